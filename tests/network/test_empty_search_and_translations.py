"""A search that finds nothing shows the way on: the suggestion form, and the office a
resident can ask in person soonest. Coordinators see which texts lack a translation."""

from datetime import datetime

import pytest
from django.utils import timezone

from offices.hours import TZ


def test_an_empty_result_points_to_the_suggestion_form_and_the_office_open_now(
    client, lanstrop, monkeypatch
):
    moment = datetime(2026, 11, 26, 9, 0, tzinfo=TZ)  # a Thursday: Lanstrop is open
    monkeypatch.setattr(timezone, "now", lambda: moment)
    html = client.get("/de/network/", {"q": "Zzzzz"}).content.decode()
    assert "/de/network/suggestions/" in html
    assert "lokal willkommen Lanstrop" in html and "/de/offices/lanstrop/" in html
    assert "jetzt geöffnet bis 11:30" in html


def test_when_no_office_is_open_the_one_opening_next_is_named(client, lanstrop, monkeypatch):
    moment = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)  # Friday: next opening Thursday
    monkeypatch.setattr(timezone, "now", lambda: moment)
    html = client.get("/ar/network/", {"q": "Zzzzz"}).content.decode()
    assert "lokal willkommen Lanstrop" in html
    assert "08:30" in html and "الخميس" in html


@pytest.mark.django_db
def test_coordinators_see_the_texts_that_lack_a_translation(client, carla, homework, lanstrop):
    homework.title_en = "Homework help"
    homework.save()
    client.force_login(carla)
    html = client.get("/de/staff/network/translations/").content.decode()
    assert "Hausaufgabenhilfe" in html
    assert f"/admin/network/offer/{homework.pk}/change/" in html


def test_staff_who_are_not_coordinators_may_not_open_it(client, alice):
    client.force_login(alice)
    assert client.get("/de/staff/network/translations/").status_code == 403
