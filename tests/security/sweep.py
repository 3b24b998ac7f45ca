"""Requests every URL pattern of the project as each actor."""

import re

from django.test import Client
from django.utils import translation

from .conftest import all_url_patterns

ACTORS = ["anonymous", "dan", "eve", "bob", "alice", "carla"]
SKIP_PREFIXES = ("admin/", "static/")
PK_OBJECTS = {
    "exceptions": "closure", "households": "household", "visits": "visit",
    "referrals": "referral", "offers": "submitted_offer",
    "organisations": "submitted_organisation", "volunteers": "volunteer",
    "suggestions": "suggestion", "accounts": "staff_account", "changes": "change",
    "consultations": "consultation",
}
QUERIES = {"consultations-gap-households": "?need=housing&district=lanstrop"}


def url_kwargs(name: str, route: str, world) -> dict | None:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {}
    for param in params:
        if param == "slug":
            if name.startswith("offices") or name == "consultations-office-sheet":
                kwargs[param] = "lanstrop"
            elif name == "network-organisation":
                kwargs[param] = world["organisation"].slug
            elif name in ("network-offer", "network-offer-calendar"):
                kwargs[param] = world["offer"].slug
            else:
                return None
        elif param == "kind":
            kwargs[param] = "volunteer"
        elif param == "table":
            kwargs[param] = "households"
        elif param == "token":
            kwargs[param] = world["manage_token"]
        elif param == "id" and name == "hsds-service":
            kwargs[param] = str(world["offer"].uuid)
        elif param in ("uidb64",):
            kwargs[param] = "MQ"
        elif param == "pk":
            # The object is named by the path segment before <int:pk>.
            segment = route.split("<int:pk>")[0].rstrip("/").rsplit("/", 1)[-1]
            object_name = PK_OBJECTS.get(segment)
            if object_name is None:
                return None
            kwargs[param] = world[object_name].pk
        else:
            return None
    if name == "password_reset_confirm":
        kwargs["token"] = "set-password"
    return kwargs


def routes():
    for route, name, _pattern in all_url_patterns():
        if route.startswith(SKIP_PREFIXES) or name is None:
            continue
        yield route, name


def build_url(name, route, world):
    from django.urls import reverse

    kwargs = url_kwargs(name, route, world)
    if kwargs is None:
        return None
    with translation.override("de"):
        return reverse(name, kwargs=kwargs) + QUERIES.get(name, "")


def client_as(actor, users):
    client = Client(enforce_csrf_checks=True)
    if actor == "anonymous":
        return client
    if actor == "eve":
        client.force_login(users["eve"], second_factor=False)
    else:
        client.force_login(users[actor])
    return client
