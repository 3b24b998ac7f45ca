from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("offices/", views.office_list, name="offices-list"),
    path("offices/<slug:slug>/", views.office_detail, name="offices-detail"),
    path("offices/<slug:slug>/calendar.ics", views.office_calendar, name="offices-calendar"),
]
