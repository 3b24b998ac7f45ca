"""The findings of the outside security review (issue 13), one test per item, named after it:
``pytest tests/security -k test_item_`` lists them. Each failed before its fix."""

import json
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "alice-password-123"
NEW_PASSWORD = "ein neuer langer satz am see"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="lokalwillkommen.security")

    def lines():
        return [
            json.loads(r.getMessage())
            for r in caplog.records
            if r.name == "lokalwillkommen.security"
        ]

    return lines


def _events(security_log) -> list[str]:
    return [line["event"] for line in security_log()]


# Item 1 ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_item_01_password_change_needs_second_factor_and_is_logged_and_mailed(
    alice, security_log
):
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    change = {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    password_only = Client()
    password_only.force_login(alice, second_factor=False)
    for url in ("/de/accounts/password/change/", "/de/accounts/password/change/done/"):
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/de/accounts/second-factor/?next=")
    response = password_only.post("/de/accounts/password/change/", change)
    assert response["Location"].startswith("/de/accounts/second-factor/?next=")
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    # The pages that must open with the password alone still do.
    assert password_only.get("/de/accounts/second-factor/").status_code == 200
    assert Client().get("/de/accounts/password/reset/").status_code == 200

    verified = Client()
    verified.force_login(alice)
    response = verified.post("/de/accounts/password/change/", change)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    logged = [line for line in security_log() if line["event"] == "password_changed"]
    assert len(logged) == 1 and logged[0]["user"] == "alice" and logged[0]["how"] == "change"
    assert NEW_PASSWORD not in json.dumps(security_log())
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert "alice" in mail.outbox[0].body and NEW_PASSWORD not in mail.outbox[0].body


@pytest.mark.django_db
def test_item_01_a_password_set_through_the_reset_link_is_logged_and_mailed(
    alice, security_log
):
    client = Client()
    client.post("/de/accounts/password/reset/", {"email": "alice@example.org"})
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert "password_changed" in _events(security_log)
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "alice" in mail.outbox[-1].body


# Item 13 -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_item_13_a_staff_form_token_of_another_user_or_malformed_is_a_clear_form_error(
    alice, carla, lanstrop_team, lanstrop_district
):
    from django.urls import reverse
    from django.utils import timezone

    from consultations.models import HomeVisit
    from tests.consultations.conftest import make_household

    household = make_household(lanstrop_team, lanstrop_district, user=alice)
    url = reverse("consultations-visit-create", args=[household.pk])
    when = (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"status": "planned", "scheduled_at": when, "kind": "first"}
    coordinator, staff = Client(), Client()
    coordinator.force_login(carla)
    staff.force_login(alice)
    carlas_token = coordinator.get(url).context["form"].initial["form_token"]
    assert coordinator.post(url, {**data, "form_token": carlas_token}).status_code == 302

    for token in (carlas_token, "0" * 5000, carlas_token[:-1] + "x", "ä" * 40):
        response = staff.post(url, {**data, "form_token": token, "notes": "Alices Notiz"})
        assert response.status_code == 400, token
        assert "konnte nicht geprüft werden" in response.text
        assert "Alices Notiz" in response.text  # her input is kept
    assert HomeVisit.objects.count() == 1
    # The form came back with a fresh token of her own: saving again works.
    fresh = response.context["form"].data["form_token"]
    response = staff.post(url, {**data, "form_token": fresh, "notes": "Alices Notiz"})
    assert response.status_code == 302
    assert HomeVisit.objects.filter(notes="Alices Notiz", staff=alice).count() == 1
