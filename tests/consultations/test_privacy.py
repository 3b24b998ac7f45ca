"""Retention, withdrawn consent, erasure and export leave no personal data behind, keep the
statistics, and are logged."""

import json
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, ConsultationTopic, HomeVisit, Household, Referral
from consultations.selectors import statistics
from consultations.services import household_withdraw_consent
from lokalwillkommen.models import AccessLog, Language

from .conftest import make_household

PERSONAL = ["contact_name", "phone", "street", "postcode", "previous_housing", "notes"]


def populate(household, alice, lanstrop, organisation):
    household.languages.set(Language.objects.filter(code__in=["ar", "de"]))
    visit = HomeVisit.objects.create(
        household=household, scheduled_at=timezone.now() - timedelta(days=3), staff=alice,
        status="done", information_given="Flyer", notes="Kind krank",
    )
    Referral.objects.create(household=household, visit=visit, organisation=organisation,
                            category="kita", notes="Mutter ruft an")
    consultation = Consultation.objects.create(
        office=lanstrop, held_at=timezone.now(), household=household, notes="Frage Jobcenter",
    )
    ConsultationTopic.objects.create(consultation=consultation, topic="work")
    Referral.objects.create(consultation=consultation, organisation=organisation,
                            category="work", notes="Termin vereinbart")


def assert_no_personal_data(household):
    household.refresh_from_db()
    for field in PERSONAL:
        assert getattr(household, field) == "", field
    assert household.anonymised_at is not None
    assert household.status == "closed"
    assert household.moved_in_on.day == 1
    assert not HomeVisit.objects.filter(household=household).exclude(notes="").exists()
    assert not HomeVisit.objects.filter(household=household).exclude(
        information_given="").exists()
    assert not Referral.objects.exclude(notes="").exists()
    assert not Consultation.objects.filter(household=household).exclude(notes="").exists()
    # and nothing personal anywhere in the stored row
    # (the texts only: a timestamp's microseconds may read "0231")
    row = Household.objects.filter(pk=household.pk).values()[0]
    values = " ".join(v for v in row.values() if isinstance(v, str))
    for word in ("Familie", "0231", "Teststraße", "44329", "Übergangsheim", "Allergie"):
        assert word not in values


def ended(stats: dict) -> dict:
    """The statistics after anonymisation or erasure: the same counts, but the household's
    planned visits and open referrals have ended (cancelled)."""
    from collections import Counter

    open_referral = {"suggested", "contacted"}
    visits, referrals = Counter(), Counter()
    for (status, kind), count in stats["visits"].items():
        visits[("cancelled" if status == "planned" else status, kind)] += count
    for (category, status), count in stats["referrals"].items():
        referrals[(category, "cancelled" if status in open_referral else status)] += count
    return {**stats, "visits": dict(visits), "referrals": dict(referrals)}


def close_long_ago(household, months):
    Household.objects.filter(pk=household.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=31 * months)
    )


def test_retention_anonymises_expired_closed_households_and_keeps_statistics(
    household, alice, lanstrop, organisation, lanstrop_team, lanstrop_district, settings
):
    settings.LW_RETENTION_MONTHS = 24
    populate(household, alice, lanstrop, organisation)
    recent = make_household(lanstrop_team, lanstrop_district, name="Familie Jung")
    open_one = make_household(lanstrop_team, lanstrop_district, name="Familie Offen")
    close_long_ago(household, 25)
    close_long_ago(recent, 12)
    before = statistics()

    call_command("anonymise_expired", "--dry-run", stdout=open("/dev/null", "w"))
    household.refresh_from_db()
    assert household.contact_name == "Familie Test"  # dry run changes nothing

    call_command("anonymise_expired", stdout=open("/dev/null", "w"))
    assert_no_personal_data(household)
    assert statistics() == ended(before)
    recent.refresh_from_db()
    open_one.refresh_from_db()
    assert recent.contact_name == "Familie Jung" and open_one.contact_name == "Familie Offen"
    assert AccessLog.objects.filter(action="anonymise", subject_id=household.pk).count() == 1

    call_command("anonymise_expired", stdout=open("/dev/null", "w"))  # idempotent
    assert AccessLog.objects.filter(action="anonymise", subject_id=household.pk).count() == 1
    assert statistics() == ended(before)


def test_retention_period_comes_from_settings(household, settings):
    settings.LW_RETENTION_MONTHS = 6
    close_long_ago(household, 7)
    call_command("anonymise_expired", stdout=open("/dev/null", "w"))
    household.refresh_from_db()
    assert household.anonymised_at is not None


def test_withdrawn_consent_anonymises_at_once(
    household, alice, lanstrop, organisation, alice_client
):
    populate(household, alice, lanstrop, organisation)
    before = statistics()
    url = reverse("consultations-household-withdraw-consent", args=[household.pk])
    assert alice_client.get(url).status_code == 200
    assert alice_client.post(url).status_code == 302
    assert_no_personal_data(household)
    assert statistics() == ended(before)
    assert household_withdraw_consent(household=household, user=alice) is False


def test_anonymised_household_cannot_be_edited(household, alice, alice_client):
    household_withdraw_consent(household=household, user=alice)
    response = alice_client.get(reverse("consultations-household-edit", args=[household.pk]))
    assert response.status_code == 302


def test_erasure_needs_confirmation_removes_personal_data_and_is_logged(
    household, alice, carla, carla_client, lanstrop, organisation
):
    populate(household, alice, lanstrop, organisation)
    before = statistics()
    url = reverse("consultations-household-erase", args=[household.pk])
    response = carla_client.post(url, {"confirm": "wrong"})
    assert response.status_code == 400
    household.refresh_from_db()
    assert household.contact_name == "Familie Test"

    response = carla_client.post(url, {"confirm": household.reference})
    assert response.status_code == 302
    assert_no_personal_data(household)
    assert statistics() == ended(before)
    assert AccessLog.objects.filter(action="erase", subject_id=household.pk, user=carla).exists()


def test_export_contains_everything_and_is_logged(
    household, alice, carla, carla_client, lanstrop, organisation
):
    populate(household, alice, lanstrop, organisation)
    page = carla_client.get(reverse("consultations-household-export", args=[household.pk]))
    assert page.status_code == 200
    assert "Familie Test" in page.text and "Kind krank" in page.text
    response = carla_client.get(
        reverse("consultations-household-export-json", args=[household.pk])
    )
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["contact_person"] == "Familie Test"
    assert data["needs"] == ["kita"]
    assert data["home_visits"][0]["notes"] == "Kind krank"
    assert data["consultations"][0]["topics"] == ["work"]
    assert data["referrals"][0]["organisation"] == "Kita Sonnenschein"
    assert AccessLog.objects.filter(action="export", subject_id=household.pk).count() == 2


def test_access_log_page_lists_entries_for_coordinators(client, carla, alice, household):
    from tests.conftest import client_for

    client_for(client, alice).get(reverse("consultations-household-detail", args=[household.pk]))
    response = client_for(client, carla).get(
        reverse("consultations-access-log"), {"record": household.reference}
    )
    assert response.status_code == 200
    assert household.reference in response.text
    assert "alice" in response.text
