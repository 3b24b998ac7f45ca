"""The open-data API, outside the language prefix: /api/hsds/…"""

from django.urls import path

from . import api_views

urlpatterns = [
    path("", api_views.root, name="hsds-root"),
    path("services", api_views.services, name="hsds-services"),
    path("services/<str:id>", api_views.service, name="hsds-service"),
    path("organizations", api_views.organizations, name="hsds-organizations"),
    path("locations", api_views.locations, name="hsds-locations"),
    path("taxonomies", api_views.taxonomies, name="hsds-taxonomies"),
    path("openapi.json", api_views.openapi, name="hsds-openapi"),
    path("dcat.jsonld", api_views.dcat_catalogue, name="hsds-dcat"),
]
