from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import Offer, Organisation, Suggestion, VolunteerRegistration

from .conftest import make_offer

pytestmark = pytest.mark.django_db

COORDINATOR_PAGES = [
    "network-staff-moderation",
    "network-staff-volunteers",
    "network-staff-volunteers-export",
    "network-staff-suggestions",
]


def _login(client, request, actor):
    if actor:
        client.force_login(request.getfixturevalue(actor))
    return client


@pytest.mark.parametrize(
    "actor,expected",
    [(None, 302), ("dan", 403), ("alice", 403), ("bob", 403), ("carla", 200)],
)
@pytest.mark.parametrize("name", COORDINATOR_PAGES)
def test_coordinator_pages_access(client, request, actor, expected, name):
    response = _login(client, request, actor).get(reverse(name))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "actor,expected",
    [(None, 302), ("dan", 403), ("alice", 200), ("bob", 200), ("carla", 200)],
)
def test_stale_contacts_access(client, request, actor, expected):
    response = _login(client, request, actor).get(reverse("network-staff-stale"))
    assert response.status_code == expected


@pytest.mark.parametrize("actor", [None, "dan", "alice", "bob"])
def test_only_coordinators_moderate(client, request, actor, juki):
    offer = make_offer(juki, status="submitted")
    _login(client, request, actor)
    client.post(reverse("network-staff-offer-publish", args=[offer.pk]))
    client.post(reverse("network-staff-offer-reject", args=[offer.pk]), {"reason": "no"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED


def test_state_changing_views_refuse_get(carla_client, juki):
    offer = make_offer(juki, status="submitted")
    response = carla_client.get(reverse("network-staff-offer-publish", args=[offer.pk]))
    assert response.status_code == 405


def test_publish_offer_publishes_new_organisation(carla_client, lanstrop_district):
    org = Organisation.objects.create(
        name="Neu", slug="neu", kind="initiative", district=lanstrop_district
    )
    offer = make_offer(org, status="submitted", submitter_email="s@example.org")
    carla_client.post(reverse("network-staff-offer-publish", args=[offer.pk]))
    offer.refresh_from_db()
    org.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED and org.status == Organisation.Status.PUBLISHED
    assert mail.outbox[-1].to == ["s@example.org"]


def test_reject_needs_reason_and_emails_it_escaped(carla_client, juki):
    offer = make_offer(juki, status="submitted", submitter_email="s@example.org")
    url = reverse("network-staff-offer-reject", args=[offer.pk])
    carla_client.post(url, {"reason": ""})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED
    carla_client.post(url, {"reason": "<i>Kein</i> Angebot"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.REJECTED
    assert offer.rejection_reason == "<i>Kein</i> Angebot"
    message = mail.outbox[-1]
    assert "<i>Kein</i> Angebot" in message.body
    assert "&lt;i&gt;Kein&lt;/i&gt;" in message.alternatives[0][0]


def test_reject_organisation_rejects_its_waiting_offers(carla_client, lanstrop_district):
    org = Organisation.objects.create(
        name="Neu",
        slug="neu",
        kind="initiative",
        district=lanstrop_district,
        submitter_email="s@example.org",
    )
    offer = make_offer(org, status="submitted")
    carla_client.post(
        reverse("network-staff-organisation-reject", args=[org.pk]), {"reason": "unbekannt"}
    )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.REJECTED
    assert mail.outbox[-1].to == ["s@example.org"]


def test_offers_expire_when_validity_ends(juki):
    today = timezone.localdate()
    old = make_offer(juki, title="Old", slug="old", valid_until=today - timedelta(days=1))
    current = make_offer(juki, title="Now", slug="now", valid_until=today)
    assert services.offers_expire(today=today) == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == Offer.Status.EXPIRED and current.status == Offer.Status.PUBLISHED


def test_volunteer_status_notes_filters_and_csv(carla_client, lanstrop_district):
    volunteer = VolunteerRegistration.objects.create(
        name="=HYPERLINK(1)",
        email="v@example.org",
        district=lanstrop_district,
        consent_at=timezone.now(),
    )
    carla_client.post(
        reverse("network-staff-volunteer-update", args=[volunteer.pk]),
        {"status": "contacted", "staff_notes": "called"},
    )
    volunteer.refresh_from_db()
    assert volunteer.status == "contacted" and volunteer.staff_notes == "called"
    url = reverse("network-staff-volunteers")
    assert carla_client.get(url, {"status": "active"}).context["page"].paginator.count == 0
    assert carla_client.get(url, {"status": "contacted"}).context["page"].paginator.count == 1
    csv = carla_client.get(reverse("network-staff-volunteers-export")).content.decode()
    assert "'=HYPERLINK(1)" in csv and "v@example.org" in csv


def test_suggestion_status_change(carla_client):
    suggestion = Suggestion.objects.create(text="Mehr Bänke")
    carla_client.post(
        reverse("network-staff-suggestion-status", args=[suggestion.pk]), {"status": "done"}
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "done"


def test_stale_contacts_lists_old_and_never_contacted(alice_client, juki, lanstrop_district):
    juki.last_contact = date.today() - timedelta(days=400)
    juki.save()
    Organisation.objects.create(
        name="Fresh",
        slug="fresh",
        kind="other",
        district=lanstrop_district,
        status="published",
        last_contact=timezone.localdate(),
    )
    response = alice_client.get(reverse("network-staff-stale"))
    names = [org.name for org in response.context["page"]]
    assert names == ["JuKi-Treff Lanstrop"]
    alice_client.post(reverse("network-staff-organisation-contacted", args=[juki.pk]))
    juki.refresh_from_db()
    assert juki.last_contact == timezone.localdate()


def test_demo_load_is_idempotent():
    from network import demo

    demo.load()
    counts = (Organisation.objects.count(), Offer.objects.count())
    demo.load()
    assert (Organisation.objects.count(), Offer.objects.count()) == counts
    assert Organisation.objects.filter(slug="initiative-angekommen").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL")
def test_search_uses_german_stemming(client, lanstrop_district):
    org = Organisation.objects.create(
        name="TuS",
        slug="tus",
        kind="sports_club",
        district=lanstrop_district,
        status="published",
    )
    make_offer(
        org, title="Training im Sportverein", slug="training", description="Fußball für Kinder"
    )
    response = client.get(reverse("network-directory"), {"q": "Sportvereine"})
    assert [card["title"] for card in response.context["cards"]] == ["Training im Sportverein"]


def test_a_long_moderation_queue_is_shown_oldest_first_a_page_at_a_time(client, carla, juki):
    for number in range(25):
        make_offer(
            juki, title=f"Angebot {number:02d}", slug=f"angebot-{number:02d}", status="submitted"
        )
    client.force_login(carla)
    first = client.get(reverse("network-staff-moderation"))
    assert "Submitted offers" in first.text or "Eingereichte Angebote" in first.text
    assert "(25)" in first.text
    assert "Angebot 00" in first.text and "Angebot 19" in first.text
    assert "Angebot 20" not in first.text
    assert "?page=2" in first.text
    second = client.get(reverse("network-staff-moderation") + "?page=2")
    assert "Angebot 20" in second.text and "Angebot 24" in second.text
    assert "Angebot 19" not in second.text


def test_submitted_organisations_page_on_their_own_and_keep_the_offers_page(
    client, carla, lanstrop_district
):
    for number in range(22):
        Organisation.objects.create(
            kind="initiative", name=f"Initiative {number:02d}", slug=f"initiative-{number:02d}",
            district=lanstrop_district, status="submitted",
        )
    client.force_login(carla)
    url = reverse("network-staff-moderation")
    first = client.get(url)
    assert "(22)" in first.text
    assert "Initiative 19" in first.text and "Initiative 20" not in first.text
    assert 'aria-label="Seiten der eingereichten Organisationen"' in first.text
    second = client.get(url + "?page=1&org_page=2")
    assert "Initiative 21" in second.text and "Initiative 19" not in second.text
    assert "?page=1&amp;org_page=1" in second.text  # back, keeping the offers' page


def test_the_moderation_queue_marks_each_submission_with_the_language_it_was_written_in(
    client, carla, juki
):
    make_offer(juki, title="مقهى اللغة", slug="maqha", status="submitted", text_language="ar")
    client.force_login(carla)
    page = client.get(reverse("network-staff-moderation")).text
    assert '<h3 class="h5" lang="ar" dir="rtl">مقهى اللغة</h3>' in page
    assert "Sprache der Texte" in page and "Arabisch" in page
    arabic = client.get("/ar/staff/network/moderation/").text
    assert '<h3 class="h5">مقهى اللغة</h3>' in arabic
