"""Creating, editing and listing households: consent, double submit, stale edits, queries."""

from datetime import date

import pytest
from django.urls import reverse

from consultations.models import Household
from lokalwillkommen.models import AccessLog, Language

from .conftest import form_token, make_household


def household_data(team, district, **extra):
    data = {
        "form_token": form_token("alice", "tok-1"),
        "contact_name": "Familie Neu",
        "phone": "0231 99",
        "street": "Neuer Weg 2",
        "postcode": "44329",
        "district": district.pk,
        "moved_in_on": "2026-02-01",
        "previous_housing": "Übergangsheim",
        "size": 3,
        "children_0_2": 1,
        "children_3_5": 0,
        "children_6_9": 0,
        "children_10_17": 0,
        "status": "new",
        "team": team.pk,
        "consent_given_on": "2026-02-02",
        "consent_scope": "casework",
        "consent_confirmed": "on",
        "needs": ["kita", "language"],
        "languages": [Language.objects.get(code="ar").pk],
    }
    data.update(extra)
    return data


def test_staff_creates_a_household_with_consent_and_a_reference(
    alice_client, alice, lanstrop_team, lanstrop_district
):
    response = alice_client.post(
        reverse("consultations-household-create"), household_data(lanstrop_team,
                                                                   lanstrop_district)
    )
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.reference.startswith("LW-") and household.reference.endswith("-0001")
    assert household.consent_recorded_by == alice
    assert sorted(household.needs.values_list("need", flat=True)) == ["kita", "language"]
    assert AccessLog.objects.filter(action="create", subject_id=household.pk).exists()


def test_household_without_consent_is_refused_and_nothing_saved(
    alice_client, lanstrop_team, lanstrop_district
):
    data = household_data(lanstrop_team, lanstrop_district, consent_given_on="")
    del data["consent_confirmed"]
    response = alice_client.post(reverse("consultations-household-create"), data)
    assert response.status_code == 400
    assert "consent_confirmed" in response.context["form"].errors
    assert not Household.objects.exists()


def test_validation_messages_are_translated(alice_client, lanstrop_team, lanstrop_district):
    data = household_data(lanstrop_team, lanstrop_district, size=1, children_0_2=2,
                          postcode="abc")
    response = alice_client.post(reverse("consultations-household-create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["postcode"] == ["Eine Postleitzahl hat fünf Ziffern."]
    assert "size" in errors
    assert not Household.objects.exists()


def test_double_submit_creates_one_household(alice_client, lanstrop_team, lanstrop_district):
    data = household_data(lanstrop_team, lanstrop_district)
    url = reverse("consultations-household-create")
    first = alice_client.post(url, data)
    second = alice_client.post(url, data)
    assert Household.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_staff_cannot_create_a_household_for_another_team(
    alice_client, other_team, lanstrop_district
):
    response = alice_client.post(
        reverse("consultations-household-create"), household_data(other_team, lanstrop_district)
    )
    assert response.status_code == 400
    assert not Household.objects.exists()


def edit_data(household, **extra):
    data = {
        "form_token": form_token(
            extra.pop("user", "alice"), extra.pop("form_token", "edit-1")
        ),
        "version": household.version,
        "contact_name": household.contact_name,
        "phone": household.phone,
        "street": household.street,
        "postcode": household.postcode,
        "district": household.district_id,
        "moved_in_on": household.moved_in_on.isoformat(),
        "previous_housing": household.previous_housing,
        "size": household.size,
        "children_0_2": household.children_0_2,
        "children_3_5": household.children_3_5,
        "children_6_9": household.children_6_9,
        "children_10_17": household.children_10_17,
        "status": household.status,
        "team": household.team_id,
        "consent_given_on": household.consent_given_on.isoformat(),
        "consent_scope": household.consent_scope,
        "needs": ["kita"],
        "notes": household.notes,
    }
    data.update(extra)
    return data


def test_edit_saves_and_bumps_the_version(alice_client, household):
    url = reverse("consultations-household-edit", args=[household.pk])
    response = alice_client.post(url, edit_data(household, phone="0231 1", needs=["housing"]))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.phone == "0231 1"
    assert household.version == 2
    assert list(household.needs.values_list("need", flat=True)) == ["housing"]


def test_stale_edit_is_refused_and_the_input_kept(alice_client, carla, client, household):
    url = reverse("consultations-household-edit", args=[household.pk])
    stale = edit_data(household, form_token="alice", phone="0231 ALICE")
    # carla saves first
    from django.test import Client

    other = Client()
    other.force_login(carla)
    carlas = edit_data(household, form_token="carla", user="carla", phone="0231 CARLA")
    assert other.post(url, carlas).status_code == 302
    response = alice_client.post(url, stale)
    assert response.status_code == 409
    assert "geändert" in response.text  # German message: somebody else changed it
    assert "0231 ALICE" in response.text  # her input is still in the form
    household.refresh_from_db()
    assert household.phone == "0231 CARLA"
    assert household.version == 2


def test_closing_sets_closed_at_and_reopening_clears_it(alice_client, household):
    url = reverse("consultations-household-edit", args=[household.pk])
    alice_client.post(url, edit_data(household, status="closed", form_token="a"))
    household.refresh_from_db()
    assert household.closed_at is not None
    alice_client.post(url, edit_data(household, status="in_support", form_token="b"))
    household.refresh_from_db()
    assert household.closed_at is None


def test_list_search_and_filters(alice_client, alice, household, lanstrop_team,
                                 lanstrop_district):
    other = make_household(lanstrop_team, lanstrop_district, name="Familie Zweite",
                           street="Andere Gasse 9", needs=["work"], status="contacted")
    url = reverse("consultations-household-list")

    def refs(**params):
        page = alice_client.get(url, params).context["page"]
        return {h.reference for h in page}

    assert refs() == {household.reference, other.reference}
    assert refs(q="Zweite") == {other.reference}
    assert refs(q="andere gasse") == {other.reference}
    assert refs(q=household.reference) == {household.reference}
    assert refs(status="contacted") == {other.reference}
    assert refs(need="kita") == {household.reference}
    assert refs(district="lanstrop", team="eving-scharnhorst") == {
        household.reference, other.reference}


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_does_not_grow(
    alice_client, alice, lanstrop_team, lanstrop_district, django_assert_max_num_queries, count
):
    for i in range(count):
        make_household(lanstrop_team, lanstrop_district, name=f"F {i}", needs=["kita", "work"])
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("consultations-household-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_household_page_query_count_does_not_grow(
    alice_client, alice, household, organisation, lanstrop, django_assert_max_num_queries,
    count,
):
    from django.utils import timezone

    from consultations.models import Consultation, ConsultationTopic, HomeVisit, Referral

    for _i in range(count):
        visit = HomeVisit.objects.create(household=household, scheduled_at=timezone.now(),
                                         staff=alice)
        Referral.objects.create(household=household, visit=visit, organisation=organisation,
                                category="kita")
        consultation = Consultation.objects.create(office=lanstrop, held_at=timezone.now(),
                                                   household=household, staff=alice)
        ConsultationTopic.objects.create(consultation=consultation, topic="work")
    with django_assert_max_num_queries(20):
        response = alice_client.get(
            reverse("consultations-household-detail", args=[household.pk])
        )
    assert response.status_code == 200
    assert response.text.count("Eltern") == 0  # no offer, only organisation
    assert response.text.count("Kita Sonnenschein") == count


def test_reference_is_unique_per_year_and_counts_up(lanstrop_team, lanstrop_district):
    first = make_household(lanstrop_team, lanstrop_district)
    second = make_household(lanstrop_team, lanstrop_district)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


def test_database_refuses_more_children_than_members(lanstrop_team, lanstrop_district):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_household(lanstrop_team, lanstrop_district, size=1, children_0_2=2)


def test_moved_in_date_kept(household):
    assert household.moved_in_on == date(2026, 1, 15)


def test_on_the_arabic_page_phone_numbers_and_german_text_keep_their_own_direction(
    alice_client, household
):
    page = alice_client.get(f"/ar/staff/households/{household.pk}/").text
    assert f'<a href="tel:0231123456" dir="ltr">{household.phone}</a>' in page
    assert f"<bdi>{household.street} {household.postcode}</bdi>" in page
    assert f"<bdi>{household.contact_name}</bdi>" in page
    assert 'dir="auto">Allergie' in page  # a note in whatever language it was written
