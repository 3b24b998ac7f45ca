"""Every URL pattern of the project, taken from the resolver (so that a new view cannot be
forgotten), requested as: anonymous, dan (no group), eve (staff without the second factor),
bob (staff of another team), alice (staff of the household's team) and carla (coordinator).

302 for the anonymous is the login page, for eve the second-factor page; 403 a clear refusal;
404 for records outside one's teams (their existence is not revealed); 405 for GET on a view
that only takes POST."""

import pytest
from django.apps import apps

from tests.conftest import _user

from .sweep import ACTORS, build_url, client_as, routes

EXPECTED = {
    # public pages
    "healthz": (200, 200, 200, 200, 200, 200),
    "home": (200, 200, 200, 200, 200, 200),
    "offices-list": (200, 200, 200, 200, 200, 200),
    "offices-detail": (200, 200, 200, 200, 200, 200),
    "offices-calendar": (200, 200, 200, 200, 200, 200),
    "network-directory": (200, 200, 200, 200, 200, 200),
    "network-organisation": (200, 200, 200, 200, 200, 200),
    "network-offer-submit": (200, 200, 200, 200, 200, 200),
    "network-offer": (200, 200, 200, 200, 200, 200),
    "network-offer-calendar": (200, 200, 200, 200, 200, 200),
    "network-volunteer": (200, 200, 200, 200, 200, 200),
    "network-suggestion": (200, 200, 200, 200, 200, 200),
    "network-thanks": (200, 200, 200, 200, 200, 200),
    "network-manage": (200, 200, 200, 200, 200, 200),
    "network-withdraw": (405, 405, 405, 405, 405, 405),
    "network-confirm": (405, 405, 405, 405, 405, 405),
    "imprint": (200, 200, 200, 200, 200, 200),
    "privacy": (200, 200, 200, 200, 200, 200),
    "accessibility": (200, 200, 200, 200, 200, 200),
    "easy-language": (200, 200, 200, 200, 200, 200),
    # open data
    "hsds-root": (200, 200, 200, 200, 200, 200),
    "hsds-services": (200, 200, 200, 200, 200, 200),
    "hsds-service": (200, 200, 200, 200, 200, 200),
    "hsds-organizations": (200, 200, 200, 200, 200, 200),
    "hsds-locations": (200, 200, 200, 200, 200, 200),
    "hsds-taxonomies": (200, 200, 200, 200, 200, 200),
    "hsds-openapi": (200, 200, 200, 200, 200, 200),
    "hsds-dcat": (200, 200, 200, 200, 200, 200),
    # accounts
    "login": (200, 302, 302, 302, 302, 302),
    "logout": (405, 405, 405, 405, 405, 405),
    "otp-verify": (302, 302, 302, 302, 302, 302),
    "otp-setup": (302, 200, 200, 200, 200, 200),
    "otp-recovery-codes": (302, 405, 302, 405, 405, 405),
    "otp-lost": (302, 405, 302, 405, 405, 405),
    "account-security": (302, 200, 302, 200, 200, 200),
    "password_change": (302, 200, 302, 200, 200, 200),
    "password_change_done": (302, 200, 302, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200),
    # staff area: accounts (coordinators reset a lost second factor)
    "staff-accounts": (302, 403, 302, 403, 403, 200),
    "staff-account-reset-second-factor": (405, 405, 302, 405, 405, 405),
    # staff area: casework
    "staff-dashboard": (302, 403, 302, 200, 200, 200),
    "consultations-household-list": (302, 403, 302, 200, 200, 200),
    "consultations-household-create": (302, 403, 302, 200, 200, 200),
    "consultations-household-detail": (302, 403, 302, 404, 200, 200),
    "consultations-household-edit": (302, 403, 302, 404, 200, 200),
    "consultations-household-withdraw-consent": (302, 403, 302, 404, 200, 200),
    "consultations-visit-create": (302, 403, 302, 404, 200, 200),
    "consultations-visit-edit": (302, 403, 302, 404, 200, 200),
    "consultations-visit-missed": (302, 403, 302, 405, 405, 405),
    "consultations-visit-sheet": (302, 403, 302, 404, 200, 200),
    "consultations-office-sheet": (302, 403, 302, 200, 200, 200),
    "consultations-referral-create": (302, 403, 302, 404, 200, 200),
    "consultations-referral-edit": (302, 403, 302, 404, 200, 200),
    "consultations-consultation-create": (302, 403, 302, 200, 200, 200),
    # only the author, within ten minutes (carla is not the author)
    "consultations-consultation-edit": (302, 403, 302, 404, 200, 403),
    "consultations-consultation-delete": (302, 403, 302, 404, 200, 403),
    "consultations-volunteer-match": (302, 403, 302, 200, 200, 200),
    "consultations-access-log": (302, 403, 302, 403, 403, 200),
    "consultations-household-export": (302, 403, 302, 403, 403, 200),
    "consultations-household-export-json": (302, 403, 302, 403, 403, 200),
    "consultations-household-erase": (302, 403, 302, 403, 403, 200),
    # staff area: reports (bob's figures and gap lists count only his team's households)
    "consultations-reports": (302, 403, 302, 200, 200, 200),
    "consultations-reports-csv": (302, 403, 302, 200, 200, 200),
    "consultations-reports-xlsx": (302, 403, 302, 200, 200, 200),
    "consultations-gaps": (302, 403, 302, 200, 200, 200),
    "consultations-gaps-csv": (302, 403, 302, 200, 200, 200),
    "consultations-gaps-xlsx": (302, 403, 302, 200, 200, 200),
    "consultations-gap-households": (302, 403, 302, 200, 200, 200),
    # staff area: offices
    "offices-staff-list": (302, 403, 302, 200, 200, 200),
    "offices-staff-hours": (302, 403, 302, 403, 200, 200),
    "offices-staff-exception-add": (302, 403, 302, 405, 405, 405),
    "offices-staff-exception-delete": (302, 403, 302, 405, 405, 405),
    # staff area: network
    "network-staff-moderation": (302, 403, 302, 403, 403, 200),
    "network-staff-translations": (302, 403, 302, 403, 403, 200),
    "network-staff-offer-publish": (405, 405, 302, 405, 405, 405),
    "network-staff-offer-reject": (405, 405, 302, 405, 405, 405),
    "network-staff-offer-review": (302, 403, 302, 403, 403, 200),
    "network-staff-offer-change-publish": (405, 405, 302, 405, 405, 405),
    "network-staff-offer-change-reject": (405, 405, 302, 405, 405, 405),
    "network-staff-organisation-publish": (405, 405, 302, 405, 405, 405),
    "network-staff-organisation-reject": (405, 405, 302, 405, 405, 405),
    "network-staff-organisation-contacted": (405, 405, 302, 405, 405, 405),
    "network-staff-volunteers": (302, 403, 302, 403, 403, 200),
    "network-staff-volunteers-export": (302, 403, 302, 403, 403, 200),
    "network-staff-volunteer-update": (405, 405, 302, 405, 405, 405),
    "network-staff-suggestions": (302, 403, 302, 403, 403, 200),
    "network-staff-suggestion-status": (405, 405, 302, 405, 405, 405),
    "network-staff-stale": (302, 403, 302, 200, 200, 200),
}

LOGIN_PAGE = "/de/accounts/login/"
SECOND_FACTOR_PAGE = "/de/accounts/second-factor/"
# Rows that GET may add: logs of who looked at what, sessions, login bookkeeping.
BOOKKEEPING = {
    "lokalwillkommen.AccessLog",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "otp_totp.TOTPDevice",
}


@pytest.fixture
def users(world, django_user_model, lanstrop_team):
    _user(django_user_model, "eve", "staff", [lanstrop_team])
    return {user.username: user for user in django_user_model.objects.all()}


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label not in BOOKKEEPING
    }


@pytest.mark.django_db
def test_every_url_pattern_is_in_the_sweep(world):
    names = {name for _route, name in routes()}
    assert names - set(EXPECTED) == set(), "add the new view to EXPECTED with its answers"
    assert set(EXPECTED) - names == set(), "remove views that no longer exist"
    missing = [name for route, name in routes() if build_url(name, route, world) is None]
    assert missing == [], "teach tests/security/sweep.py how to build these URLs"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_from_every_url(actor, users, world):
    client = client_as(actor, users)
    before = _row_counts()
    wrong = []
    for route, name in routes():
        if name not in EXPECTED:
            continue
        url = build_url(name, route, world)
        response = client.get(url)
        expected = EXPECTED[name][ACTORS.index(actor)]
        if response.status_code != expected:
            wrong.append(f"{name} {url}: {response.status_code}, expected {expected}")
            continue
        if response.status_code == 302 and name not in ("login", "otp-verify"):
            location = response["Location"]
            if actor == "anonymous":
                assert location.startswith(LOGIN_PAGE), (name, location)
            elif actor == "eve" and "/staff/" in url:
                assert location.startswith(SECOND_FACTOR_PAGE), (name, location)
    assert wrong == []
    assert _row_counts() == before, "a GET request changed data"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["anonymous", "alice", "carla"])
def test_no_url_accepts_a_post_without_a_csrf_token(actor, users, world):
    client = client_as(actor, users)
    before = _row_counts()
    accepted = []
    for route, name in routes():
        url = build_url(name, route, world)
        if url is None:
            continue  # test_every_url_pattern_is_in_the_sweep reports it
        response = client.post(url, {})
        if response.status_code != 403:
            accepted.append(f"{name}: {response.status_code}")
    assert accepted == []
    assert _row_counts() == before
