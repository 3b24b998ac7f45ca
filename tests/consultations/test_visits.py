"""Home visits, referrals and quick consultations."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, HomeVisit, Household, Referral

from .conftest import form_token


def when(delta_days=0):
    return (timezone.localtime() + timedelta(days=delta_days)).strftime("%Y-%m-%dT%H:%M")


def test_plan_then_log_a_visit_moves_the_household_to_visited(alice_client, alice, household):
    url = reverse("consultations-visit-create", args=[household.pk])
    response = alice_client.post(url, {"form_token": form_token("alice", "v1"), "status": "planned",
                                       "scheduled_at": when(1), "kind": "first"})
    assert response.status_code == 302
    visit = HomeVisit.objects.get()
    assert visit.staff == alice and visit.status == "planned"
    edit = reverse("consultations-visit-edit", args=[visit.pk])
    assert alice_client.get(edit + "?log=1").status_code == 200
    response = alice_client.post(edit, {
        "form_token": form_token("alice", "v2"), "version": visit.version, "status": "done",
        "scheduled_at": when(0), "kind": "first", "information_given": "Flyer",
        "next_follow_up_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
    })
    assert response.status_code == 302
    visit.refresh_from_db()
    household.refresh_from_db()
    assert visit.status == "done" and visit.version == 2
    assert household.status == Household.Status.VISITED


def test_a_future_visit_cannot_be_logged_as_done(alice_client, household):
    url = reverse("consultations-visit-create", args=[household.pk])
    response = alice_client.post(url, {"form_token": form_token("alice", "v1"), "status": "done",
                                       "scheduled_at": when(5), "kind": "first"})
    assert response.status_code == 400
    assert not HomeVisit.objects.exists()


def test_double_submit_plans_one_visit(alice_client, household):
    url = reverse("consultations-visit-create", args=[household.pk])
    data = {"form_token": form_token("alice", "same"), "status": "planned", "scheduled_at": when(1),
            "kind": "first"}
    alice_client.post(url, data)
    alice_client.post(url, data)
    assert HomeVisit.objects.count() == 1


def test_mark_missed_is_post_only_and_checks_the_version(alice_client, visit):
    url = reverse("consultations-visit-missed", args=[visit.pk])
    assert alice_client.get(url).status_code == 405
    alice_client.post(url, {"version": visit.version + 5})
    visit.refresh_from_db()
    assert visit.status == "planned"
    alice_client.post(url, {"version": visit.version})
    visit.refresh_from_db()
    assert visit.status == "missed"


def test_stale_visit_edit_is_refused(alice_client, visit):
    HomeVisit.objects.filter(pk=visit.pk).update(version=2, notes="changed meanwhile")
    response = alice_client.post(
        reverse("consultations-visit-edit", args=[visit.pk]),
        {"form_token": form_token("alice", "x"), "version": 1, "status": "planned",
         "scheduled_at": when(1), "kind": "first", "notes": "mine"},
    )
    assert response.status_code == 409
    visit.refresh_from_db()
    assert visit.notes == "changed meanwhile"


def test_referral_to_an_offer_takes_its_category_and_outcome_moves_to_support(
    alice_client, household, visit, offer
):
    url = reverse("consultations-referral-create", args=[household.pk])
    response = alice_client.post(url + f"?visit={visit.pk}", {
        "form_token": form_token("alice", "r1"), "offer": offer.pk, "visit": visit.pk,
    })
    assert response.status_code == 302, response.context["form"].errors
    referral = Referral.objects.get()
    assert referral.category == "kita"
    assert referral.organisation == offer.organisation
    assert referral.visit == visit
    edit = reverse("consultations-referral-edit", args=[referral.pk])
    response = alice_client.post(edit, {"form_token": form_token("alice", "r2"), "version": 1,
                                        "status": "taken_up"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == Household.Status.IN_SUPPORT


def test_referral_needs_a_target(alice_client, household):
    url = reverse("consultations-referral-create", args=[household.pk])
    response = alice_client.post(url, {"form_token": form_token("alice", "r1"), "category": "kita"})
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_quick_consultation_is_prefilled_and_saves_anonymously(
    alice_client, alice, lanstrop, organisation
):
    url = reverse("consultations-consultation-create")
    form = alice_client.get(url).context["form"]
    assert form.initial["office"] == lanstrop.pk
    assert "held_at" in form.initial
    response = alice_client.post(url, {
        "form_token": form_token("alice", "c1"), "office": lanstrop.pk, "held_at": when(0),
        "topics": ["authorities", "work"], "duration_minutes": 10,
        "interpreter_needed": "on", "refer_organisation": organisation.pk,
    })
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.household is None and consultation.staff == alice
    assert sorted(consultation.topics.values_list("topic", flat=True)) == ["authorities",
                                                                          "work"]
    referral = Referral.objects.get()
    assert referral.consultation == consultation and referral.category == "authorities"
    # double submit
    alice_client.post(url, {
        "form_token": form_token("alice", "c1"), "office": lanstrop.pk, "held_at": when(0),
        "topics": ["authorities"], "duration_minutes": 10,
    })
    assert Consultation.objects.count() == 1


def test_consultation_linked_by_reference(alice_client, household, lanstrop):
    response = alice_client.post(reverse("consultations-consultation-create"), {
        "form_token": form_token("alice", "c1"), "office": lanstrop.pk, "held_at": when(0),
        "topics": ["kita"], "duration_minutes": 15,
        "household_reference": household.reference.lower(),
    })
    assert response.status_code == 302
    assert Consultation.objects.get().household == household


def test_consultation_needs_a_topic_and_nothing_half_saved(alice_client, lanstrop):
    response = alice_client.post(reverse("consultations-consultation-create"), {
        "form_token": form_token("alice", "c1"), "office": lanstrop.pk, "held_at": when(0),
        "duration_minutes": 0,
    })
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_dashboard_shows_my_visits_unvisited_households_hours_and_waiting_referrals(
    alice_client, household, visit, referral, lanstrop
):
    response = alice_client.get("/de/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    sections = {
        heading: page.split(f">{heading}</h2>")[1].split("</section>")[0]
        for heading in (
            "Meine geplanten Besuche",
            "Noch nicht besucht",
            "Vermittlungen ohne Ergebnis",
            "Heutige Öffnungszeiten",
        )
    }
    assert f'href="/de/staff/visits/{visit.pk}/edit/?log=1"' in sections["Meine geplanten Besuche"]
    assert household.reference in sections["Noch nicht besucht"]
    assert f'/de/staff/referrals/{referral.pk}/edit/' in sections[
        "Vermittlungen ohne Ergebnis"
    ]
    assert lanstrop.name in sections["Heutige Öffnungszeiten"]
