"""Logging drop-in consultations at the counter: the office open now is chosen, else the
one used last (kept in the session); the author corrects or deletes a consultation within
ten minutes, logged in the access log; after that the page says so and refuses."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import Consultation, ConsultationTopic, Referral
from lokalwillkommen.models import AccessLog
from tests.conftest import _user, client_for
from tests.consultations.conftest import form_token


@pytest.fixture(autouse=True)
def _german():
    """The pages are asked for in German (a test before may have left another language
    active in this thread)."""
    with translation.override("de"):
        yield


@pytest.fixture
def aplerbeck(lanstrop_team, lanstrop_district):
    """A second office of alice's team, "A…" so that it comes first by name; closed today
    unless a test opens it."""
    from offices.models import Office

    return Office.objects.create(
        name="Anlaufstelle Aplerbeck", slug="aplerbeck", team=lanstrop_team,
        street="Weg 1", postcode="44287", district=lanstrop_district,
    )


def open_all_day(office, day=None):
    from offices.models import OpeningException

    day = day or timezone.localdate()
    OpeningException.objects.create(
        office=office, kind="special", date_from=day, date_until=day,
        opens=time(0, 0), closes=time(23, 59, 59), reason="Sprechstunde",
    )


def closed_today(office):
    from offices.models import OpeningException

    today = timezone.localdate()
    OpeningException.objects.create(office=office, kind="closed", date_from=today,
                                    date_until=today, reason="Fortbildung")


def consultation_data(office, **extra):
    data = {
        # a token of the user's own form (signed with the user's id), the same for a label
        "form_token": form_token(extra.pop("user", "alice"), extra.pop("form_token", "tok-c1")),
        "office": office.pk,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "topics": ["authorities"],
        "duration_minutes": 15,
    }
    data.update(extra)
    return data


def chosen_office(client):
    form = client.get(reverse("consultations-consultation-create")).context["form"]
    return form.initial.get("office")


def test_the_form_chooses_the_office_open_now_not_the_first_by_name(
    alice_client, lanstrop, aplerbeck
):
    closed_today(lanstrop)
    open_all_day(lanstrop, timezone.localdate() + timedelta(days=1))
    open_all_day(aplerbeck)
    assert chosen_office(alice_client) == aplerbeck.pk
    page = alice_client.get(reverse("consultations-consultation-create")).content.decode()
    assert "Jetzt geöffnet: Anlaufstelle Aplerbeck" in page


def test_with_no_office_open_the_office_used_last_is_kept_after_saving(
    alice_client, lanstrop, aplerbeck
):
    closed_today(lanstrop)
    assert chosen_office(alice_client) == aplerbeck.pk  # nothing used yet: first by name
    response = alice_client.post(
        reverse("consultations-consultation-create"), consultation_data(lanstrop)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations-consultation-create")
    assert chosen_office(alice_client) == lanstrop.pk
    assert "zuletzt genutzte" in alice_client.get(
        reverse("consultations-consultation-create")
    ).content.decode()


def test_of_two_open_offices_the_one_used_last_is_chosen(alice_client, lanstrop, aplerbeck):
    open_all_day(lanstrop)
    open_all_day(aplerbeck)
    alice_client.post(reverse("consultations-consultation-create"), consultation_data(lanstrop))
    assert chosen_office(alice_client) == lanstrop.pk


@pytest.fixture
def logged(alice, lanstrop):
    consultation = Consultation.objects.create(
        office=lanstrop, held_at=timezone.now(), staff=alice, duration_minutes=15
    )
    ConsultationTopic.objects.create(consultation=consultation, topic="authorities")
    return consultation


def edit_url(consultation):
    return reverse("consultations-consultation-edit", args=[consultation.pk])


def delete_url(consultation):
    return reverse("consultations-consultation-delete", args=[consultation.pk])


def test_the_author_sees_what_she_can_still_correct(alice_client, logged):
    page = alice_client.get(reverse("consultations-consultation-create")).content.decode()
    assert "Gerade von Ihnen erfasst" in page and edit_url(logged) in page


def test_the_author_corrects_a_consultation_within_ten_minutes_and_it_is_logged(
    alice_client, alice, logged, lanstrop, household
):
    page = alice_client.get(edit_url(logged))
    assert page.status_code == 200
    assert page.context["form"].initial["topics"] == ["authorities"]
    response = alice_client.post(
        edit_url(logged),
        consultation_data(lanstrop, form_token="tok-e1", topics=["kita", "school"],
                          duration_minutes=30, household_reference=household.reference,
                          version=logged.version),
    )
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.duration_minutes == 30 and logged.household == household
    assert sorted(logged.topics.values_list("topic", flat=True)) == ["kita", "school"]
    entry = AccessLog.objects.get(action="change", subject_id=household.pk)
    assert entry.username == "alice" and f"consultation {logged.pk} corrected" in entry.detail
    assert "duration_minutes" in entry.detail


def test_correcting_an_anonymous_consultation_is_logged_under_the_consultation(
    alice_client, logged, lanstrop
):
    alice_client.post(edit_url(logged), consultation_data(
        lanstrop, form_token="tok-e2", interpreter_needed="on", version=logged.version))
    entry = AccessLog.objects.get(action="change")
    assert (entry.subject_type, entry.subject_id) == ("consultation", logged.pk)


def test_after_ten_minutes_the_edit_page_says_so_and_refuses(alice_client, logged, lanstrop):
    Consultation.objects.filter(pk=logged.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    page = alice_client.get(edit_url(logged))
    assert page.status_code == 403
    assert "innerhalb von 10 Minuten" in page.content.decode()
    response = alice_client.post(edit_url(logged), consultation_data(
        lanstrop, form_token="tok-e3", duration_minutes=45, version=logged.version))
    assert response.status_code == 403
    assert alice_client.post(delete_url(logged)).status_code == 403
    logged.refresh_from_db()
    assert logged.duration_minutes == 15
    assert not AccessLog.objects.filter(action__in=["change", "delete"]).exists()


def test_a_colleague_of_the_same_team_cannot_correct_it(
    client, logged, lanstrop, lanstrop_team, django_user_model
):
    colleague = _user(django_user_model, "anna", "staff", [lanstrop_team])
    client = client_for(client, colleague)
    assert client.get(edit_url(logged)).status_code == 403
    assert client.post(delete_url(logged)).status_code == 403
    assert Consultation.objects.filter(pk=logged.pk).exists()


def test_the_author_deletes_a_consultation_logged_by_mistake(
    alice_client, alice, logged, organisation
):
    Referral.objects.create(consultation=logged, organisation=organisation, category="kita")
    page = alice_client.get(delete_url(logged))
    assert page.status_code == 200
    assert "Die damit angelegte Vermittlung wird auch gelöscht." in page.content.decode()
    response = alice_client.post(delete_url(logged))
    assert response.status_code == 302
    assert not Consultation.objects.exists() and not Referral.objects.exists()
    entry = AccessLog.objects.get(action="delete")
    assert (entry.subject_type, entry.subject_id, entry.user) == ("consultation", logged.pk, alice)


@pytest.mark.parametrize(
    ("actor", "edit", "delete"),
    [(None, 302, 302), ("dan", 403, 403), ("bob", 404, 404), ("alice", 200, 200),
     ("carla", 403, 403)],
)
def test_only_the_author_may_open_the_correction_pages(
    request, client, logged, actor, edit, delete
):
    user = request.getfixturevalue(actor) if actor else None
    client = client_for(client, user)
    assert client.get(edit_url(logged)).status_code == edit
    assert client.get(delete_url(logged)).status_code == delete


def test_the_household_page_offers_the_correction_to_its_author_only(
    alice_client, carla, client, logged, household
):
    Consultation.objects.filter(pk=logged.pk).update(household=household)
    url = reverse("consultations-household-detail", args=[household.pk])
    assert edit_url(logged) in alice_client.get(url).content.decode()
    assert edit_url(logged) not in client_for(client, carla).get(url).content.decode()


def test_a_correction_cannot_be_saved_after_the_window_closed_meanwhile(alice, logged):
    from consultations import services

    logged.created_at = timezone.now() - timedelta(minutes=10, seconds=1)
    Consultation.objects.filter(pk=logged.pk).update(created_at=logged.created_at)
    with pytest.raises(services.CorrectionClosedError):
        services.consultation_delete(consultation=logged, user=alice)
    assert services.consultation_correctable(
        logged, alice, now=logged.created_at + timedelta(minutes=10)
    )
