"""Staff change hours and announce closures themselves; the public pages show it at once."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from offices.hours import TZ
from offices.models import OpeningException, OpeningRule

HOURS = "/de/staff/offices/lanstrop/hours/"


@pytest.fixture
def tuesday(monkeypatch):
    moment = datetime(2026, 11, 24, 15, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _formset_data(office, **changes):
    rule = office.rules.get()
    data = {
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "1",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": str(rule.pk),
        "rules-0-office": str(office.pk),
        "rules-0-weekday": "3",
        "rules-0-opens": "08:30",
        "rules-0-closes": "11:30",
        "rules-0-valid_from": "2018-09-01",
        "rules-0-valid_until": "",
        "rules-0-label": "Sprechstunde",
        "rules-1-office": str(office.pk),
        "rules-1-weekday": "",
        "rules-1-opens": "",
        "rules-1-closes": "",
        "rules-1-valid_from": "",
        "rules-1-valid_until": "",
        "rules-1-label": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("actor", "expected"),
    [(None, 302), ("dan", 403), ("bob", 403), ("alice", 200), ("carla", 200)],
)
def test_who_may_open_the_hours_page(client, lanstrop, actor, expected, request):
    if actor:
        client.force_login(request.getfixturevalue(actor))
    response = client.get(HOURS)
    assert response.status_code == expected
    if actor is None:
        assert "/accounts/login/" in response["Location"]


def test_staff_list_shows_only_my_teams_offices(client, lanstrop, bob):
    client.force_login(bob)
    assert "lokal willkommen Lanstrop" not in client.get("/de/staff/offices/").content.decode()


def test_alice_moves_the_drop_in_to_the_afternoon_and_the_home_page_shows_it(
    alice_client, lanstrop, tuesday
):
    response = alice_client.post(
        HOURS, _formset_data(lanstrop, **{"rules-0-opens": "14:00", "rules-0-closes": "16:00"})
    )
    assert response.status_code == 302
    assert OpeningRule.objects.get().opens.hour == 14
    assert "Öffnet Donnerstag um 14:00" in alice_client.get("/de/").content.decode()


def test_closing_before_opening_is_refused_with_a_message_and_nothing_changes(
    alice_client, lanstrop
):
    response = alice_client.post(
        HOURS, _formset_data(lanstrop, **{"rules-0-opens": "12:00", "rules-0-closes": "11:00"})
    )
    assert response.status_code == 200
    assert "Die Anlaufstelle muss schließen, nachdem sie öffnet." in response.content.decode()
    assert OpeningRule.objects.get().opens.hour == 8


def test_overlapping_rules_for_one_weekday_are_refused(alice_client, lanstrop):
    data = _formset_data(
        lanstrop,
        **{
            "rules-1-weekday": "3",
            "rules-1-opens": "11:00",
            "rules-1-closes": "13:00",
            "rules-1-valid_from": "2026-01-01",
        },
    )
    response = alice_client.post(HOURS, data)
    assert "überschneiden sich" in response.content.decode()
    assert OpeningRule.objects.count() == 1


def test_alice_announces_a_closure_and_the_office_page_shows_it_once_on_double_submit(
    alice_client, client, lanstrop, tuesday
):
    data = {"kind": "closed", "date_from": "2026-11-26", "date_until": "", "reason": "Teamtag"}
    for _ in range(2):
        response = alice_client.post("/de/staff/offices/lanstrop/exceptions/add/", data)
        assert response.status_code == 302
    assert OpeningException.objects.count() == 1
    page = client.get("/de/offices/lanstrop/").content.decode()
    assert "Teamtag" in page


def test_a_closure_that_ends_before_it_starts_is_refused(alice_client, lanstrop):
    response = alice_client.post(
        "/de/staff/offices/lanstrop/exceptions/add/",
        {"kind": "closed", "date_from": "2026-12-10", "date_until": "2026-12-01", "reason": ""},
    )
    assert response.status_code == 400
    assert "Der letzte Tag liegt vor dem ersten Tag." in response.content.decode()
    assert not OpeningException.objects.exists()


def test_a_special_opening_needs_times(alice_client, lanstrop):
    response = alice_client.post(
        "/de/staff/offices/lanstrop/exceptions/add/",
        {"kind": "special", "date_from": "2026-12-10", "reason": "Adventscafé"},
    )
    assert "braucht eine Uhrzeit" in response.content.decode()
    assert not OpeningException.objects.exists()


def test_a_special_opening_on_a_holiday_shows_on_the_home_page(
    client, alice, lanstrop, monkeypatch
):
    moment = datetime(2026, 12, 24, 12, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    alice_client = client
    client.force_login(alice)  # after the clock is set, so the session has not expired
    response = alice_client.post(
        "/de/staff/offices/lanstrop/exceptions/add/",
        {
            "kind": "special",
            "date_from": "2026-12-26",
            "opens": "10:00",
            "closes": "12:00",
            "reason": "Weihnachtscafé",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert OpeningException.objects.get().date_until == date(2026, 12, 26)
    assert "Öffnet Samstag um 10:00" in alice_client.get("/de/").content.decode()


def test_bob_cannot_add_a_closure_to_another_teams_office(client, bob, lanstrop):
    client.force_login(bob)
    response = client.post(
        "/de/staff/offices/lanstrop/exceptions/add/",
        {"kind": "closed", "date_from": "2026-11-26", "reason": "x"},
    )
    assert response.status_code == 403
    assert not OpeningException.objects.exists()


def test_removing_a_closure_needs_post(alice_client, lanstrop):
    closure = OpeningException.objects.create(
        office=lanstrop, kind="closed", date_from=date(2026, 12, 3), date_until=date(2026, 12, 3)
    )
    url = f"/de/staff/offices/lanstrop/exceptions/{closure.pk}/delete/"
    assert alice_client.get(url).status_code == 405
    assert alice_client.post(url).status_code == 302
    assert not OpeningException.objects.exists()
