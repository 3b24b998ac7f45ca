"""A partner's change to a published offer waits for moderation while the offer stays online;
the coordinator sees what changed, may correct and translate it, and publishes or rejects it."""

import pytest
from django.core import mail
from django.urls import reverse

from network import links
from network.models import Offer, OfferRevision

from .conftest import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(juki):
    return make_offer(
        juki,
        title="Hausaufgabenhilfe",
        slug="hausaufgabenhilfe",
        description="Montags Hilfe bei den Hausaufgaben.",
        submitter_email="partner@example.org",
    )


def _change(client, offer, **fields):
    data = {
        "title": offer.title,
        "description": offer.description,
        "category": offer.category,
        "district": offer.district_id,
        "languages": [language.pk for language in offer.languages.all()],
        "target_groups": [group.pk for group in offer.target_groups.all()],
        **fields,
    }
    url = reverse("network-manage", args=[links.make_token("offer", offer)])
    return client.post(url, data, follow=True)


def test_a_change_to_a_published_offer_waits_and_the_offer_stays_online(client, live, carla):
    changed = "Montags und mittwochs Hilfe bei den Hausaufgaben."
    response = _change(client, live, description=changed)
    assert "bleibt im Verzeichnis, wie es ist" in response.content.decode()
    live.refresh_from_db()
    assert live.status == Offer.Status.PUBLISHED
    assert live.description == "Montags Hilfe bei den Hausaufgaben."
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Montags Hilfe bei den Hausaufgaben." in page and "mittwochs" not in page
    revision = OfferRevision.objects.get()
    assert revision.status == OfferRevision.Status.PENDING
    assert any("carla@example.org" in message.to for message in mail.outbox)
    # The signed link's page says so, and shows the change to go on from.
    manage = client.get(reverse("network-manage", args=[links.make_token("offer", live)]))
    assert "wartet auf die Prüfung" in manage.content.decode()
    assert "mittwochs" in manage.content.decode()


def test_the_coordinator_sees_the_words_taken_out_and_put_in(client, carla_client, live):
    _change(client, live, description="Montags und mittwochs Hilfe bei den Hausaufgaben.")
    page = carla_client.get(reverse("network-staff-moderation")).content.decode()
    assert "Änderungen an veröffentlichten Angeboten (1)" in page
    assert "Montags<ins> und mittwochs</ins> Hilfe" in page
    assert "Hausaufgabenhilfe" in page


def test_publishing_the_change_updates_the_live_offer_and_tells_the_partner(
    client, carla_client, live
):
    _change(client, live, title="Hausaufgabenhilfe am Montag")
    revision = OfferRevision.objects.get()
    mail.outbox.clear()
    carla_client.post(reverse("network-staff-offer-change-publish", args=[revision.pk]))
    live.refresh_from_db()
    revision.refresh_from_db()
    assert live.title == "Hausaufgabenhilfe am Montag"
    assert live.status == Offer.Status.PUBLISHED
    assert revision.status == OfferRevision.Status.PUBLISHED and revision.reviewed_by
    assert "Hausaufgabenhilfe am Montag" in client.get(live.get_absolute_url()).content.decode()
    assert [message.to for message in mail.outbox] == [["partner@example.org"]]
    assert "Hausaufgabenhilfe" not in mail.outbox[0].body  # no text from the form


def test_the_coordinator_corrects_and_translates_before_publishing(client, carla_client, live):
    _change(client, live, title="Hausaufgaben-Hilfe")
    revision = OfferRevision.objects.get()
    review_url = reverse("network-staff-offer-review", args=[live.pk])
    form = carla_client.get(review_url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v not in (False,)}
    data.update(
        title_de="Hausaufgabenhilfe im JuKi",
        title_en="Homework help at JuKi",
        title_ar="مساعدة في الواجبات المنزلية",
        revision=revision.pk,
        publish="1",
    )
    response = carla_client.post(review_url, data)
    assert response.status_code == 302, response.context["form"].errors
    live.refresh_from_db()
    assert live.title_de == "Hausaufgabenhilfe im JuKi"
    english = client.get("/en" + live.get_absolute_url()[3:]).content.decode()
    assert "Homework help at JuKi" in english
    arabic = client.get("/ar" + live.get_absolute_url()[3:]).content.decode()
    assert "مساعدة في الواجبات المنزلية" in arabic


def test_rejecting_the_change_keeps_the_offer_and_says_why(client, carla_client, live):
    _change(client, live, title="Etwas ganz anderes")
    revision = OfferRevision.objects.get()
    mail.outbox.clear()
    carla_client.post(
        reverse("network-staff-offer-change-reject", args=[revision.pk]),
        {"reason": "Bitte den Titel beibehalten."},
    )
    live.refresh_from_db()
    revision.refresh_from_db()
    assert live.title == "Hausaufgabenhilfe" and live.status == Offer.Status.PUBLISHED
    assert revision.status == OfferRevision.Status.REJECTED
    assert "Bitte den Titel beibehalten." in mail.outbox[0].body


def test_a_second_change_replaces_the_one_still_waiting(client, live):
    _change(client, live, title="Erster Entwurf")
    _change(client, live, title="Zweiter Entwurf")
    revision = OfferRevision.objects.get()
    assert revision.data["title_de"] == ["Zweiter Entwurf"]


def test_a_change_checked_by_a_colleague_meanwhile_is_not_applied_twice(
    client, carla_client, live
):
    _change(client, live, title="Neu")
    revision = OfferRevision.objects.get()
    url = reverse("network-staff-offer-change-publish", args=[revision.pk])
    carla_client.post(url)
    assert carla_client.post(url).status_code == 404
    assert OfferRevision.objects.get().status == OfferRevision.Status.PUBLISHED


def test_only_coordinators_review_changes(client, alice_client, live):
    _change(client, live, title="Neu")
    revision = OfferRevision.objects.get()
    for url in (
        reverse("network-staff-offer-review", args=[live.pk]),
        reverse("network-staff-offer-change-publish", args=[revision.pk]),
    ):
        assert alice_client.post(url).status_code == 403
    assert Offer.objects.get().title == "Hausaufgabenhilfe"
