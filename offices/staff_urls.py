from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_office_list, name="offices-staff-list"),
    path("<slug:slug>/hours/", views.staff_hours, name="offices-staff-hours"),
    path(
        "<slug:slug>/exceptions/add/",
        views.staff_exception_add,
        name="offices-staff-exception-add",
    ),
    path(
        "<slug:slug>/exceptions/<int:pk>/delete/",
        views.staff_exception_delete,
        name="offices-staff-exception-delete",
    ),
]
