from django.urls import path

from lokalwillkommen.urls import handler500  # noqa: F401
from lokalwillkommen.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *portal_urlpatterns]
