"""Named actors for every test: the resident (anonymous client), alice (staff of the Lanstrop
team), bob (staff of another team), carla (coordinator), dan (logged in, in no group)."""

import os
from datetime import date, time

import pytest
from django.contrib.auth.models import Group
from django.test import Client

# Playwright's sync API runs an event loop; Django's ORM refuses to run inside one without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _german_to_begin_with():
    """Every test starts in German, whatever the one before asked for: texts assigned to a
    translated field (``offer.title = …``) go into the active language's column."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


@pytest.fixture(autouse=True)
def _fresh_reference_rows():
    """Districts, languages and teams are held per process (lokalwillkommen/caching.py); each
    test reads the rows of its own database, and starts in German."""
    from django.utils import translation

    from lokalwillkommen.caching import reference

    reference.forget()
    translation.activate("de")  # no test inherits the language another one left active
    yield
    reference.forget()
    translation.deactivate()


@pytest.fixture
def lanstrop_district(db):
    from lokalwillkommen.models import District

    return District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})[0]


@pytest.fixture
def other_district(db):
    from lokalwillkommen.models import District

    return District.objects.get_or_create(slug="nordstadt", defaults={"name": "Nordstadt"})[0]


@pytest.fixture
def lanstrop_team(db):
    from offices.models import Team

    return Team.objects.get_or_create(
        slug="eving-scharnhorst", defaults={"name": "Eving und Scharnhorst"}
    )[0]


@pytest.fixture
def other_team(db):
    from offices.models import Team

    return Team.objects.get_or_create(slug="innenstadt-nord", defaults={"name": "Innenstadt-Nord"})[
        0
    ]


@pytest.fixture
def lanstrop(db, lanstrop_team, lanstrop_district):
    """The office at Nadlerweg 1, open Thursdays 08:30–11:30 since September 2018."""
    from offices.models import Office, OpeningRule

    office = Office.objects.create(
        name="lokal willkommen Lanstrop",
        slug="lanstrop",
        team=lanstrop_team,
        street="Nadlerweg 1",
        postcode="44329",
        district=lanstrop_district,
    )
    OpeningRule.objects.create(
        office=office,
        weekday=3,
        opens=time(8, 30),
        closes=time(11, 30),
        valid_from=date(2018, 9, 1),
        label="Drop-in hours",
    )
    return office


def _user(django_user_model, username, group=None, teams=()):
    user = django_user_model.objects.create_user(
        username=username, password=f"{username}-password-123", email=f"{username}@example.org"
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    for team in teams:
        team.members.add(user)
    return user


@pytest.fixture
def alice(django_user_model, lanstrop_team):
    return _user(django_user_model, "alice", "staff", [lanstrop_team])


@pytest.fixture
def bob(django_user_model, other_team):
    return _user(django_user_model, "bob", "staff", [other_team])


@pytest.fixture
def carla(django_user_model):
    return _user(django_user_model, "carla", "coordinator")


@pytest.fixture
def dan(django_user_model):
    return _user(django_user_model, "dan")


_force_login = Client.force_login


def force_login(self, user, backend=None, second_factor=True):
    """Log in as ``user``; staff and coordinators have passed their second factor too,
    unless ``second_factor=False``."""
    _force_login(self, user, backend)
    if second_factor:
        verify_second_factor(self, user)


def verify_second_factor(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


Client.force_login = force_login


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def alice_client(client, alice):
    return client_for(client, alice)


@pytest.fixture
def carla_client(client, carla):
    return client_for(client, carla)
