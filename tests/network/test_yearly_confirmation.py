"""Once a year the partner confirms each offer through its signed link; an offer not confirmed
in time leaves the directory, with a notice, and comes back when confirmed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from network import links, services
from network.models import Offer

from .conftest import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(juki):
    return make_offer(
        juki,
        title="Sprachcafé am Mittwoch",
        slug="sprachcafe-am-mittwoch",
        submitter_email="partner@example.org",
        text_language="ar",
        confirmed_on=timezone.localdate() - timedelta(days=340),
    )


def _directory_titles(client):
    return client.get("/de/network/").content.decode()


def test_the_partner_is_asked_once_a_month_before_the_year_is_over_in_their_language(offer):
    assert services.offers_request_confirmation() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@example.org"]
    assert "/ar/network/manage/" in message.body  # the link in the language of the form
    assert "Sprachcafé" not in message.body  # no text from the form in the e-mail
    assert "\u0627" in message.subject  # Arabic letters: the form was filled in Arabic
    assert services.offers_request_confirmation() == 0  # asked once
    offer.refresh_from_db()
    assert offer.confirmation_requested_on == timezone.localdate()


def test_a_recently_confirmed_offer_and_the_teams_own_offers_are_not_asked(juki, offer):
    offer.confirmed_on = timezone.localdate() - timedelta(days=100)
    offer.save()
    long_ago = timezone.localdate() - timedelta(days=400)
    make_offer(juki, title="Eigenes Angebot", confirmed_on=long_ago)
    assert services.offers_request_confirmation() == 0
    assert services.offers_expire_unconfirmed() == 0
    assert mail.outbox == []


def test_an_offer_not_confirmed_in_time_leaves_the_directory_with_a_notice(client, offer):
    today = timezone.localdate()
    services.offers_request_confirmation(today=today)
    assert "Sprachcafé am Mittwoch" in _directory_titles(client)
    # The year is over, but the notice period since the request is not: it stays.
    assert services.offers_expire_unconfirmed(today=today + timedelta(days=29)) == 0
    assert services.offers_expire_unconfirmed(today=today + timedelta(days=30)) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    assert "Sprachcafé am Mittwoch" not in _directory_titles(client)
    notice = mail.outbox[-1]
    assert "/ar/network/manage/" in notice.body


def test_confirming_through_the_link_keeps_it_a_year_or_brings_it_back(client, offer):
    token = links.make_token("offer", offer)
    page = client.get(f"/de/network/manage/{token}/").content.decode()
    assert "Ist das Angebot noch aktuell?" in page
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.EXPIRED)
    response = client.post(f"/de/network/manage/{token}/confirm/", follow=True)
    assert "bleibt für ein Jahr im Verzeichnis" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.confirmed_on == timezone.localdate()
    assert offer.confirmation_due_on() == timezone.localdate() + timedelta(days=365)
    assert "Sprachcafé am Mittwoch" in _directory_titles(client)


def test_an_offer_waiting_for_moderation_cannot_be_confirmed(client, offer):
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.SUBMITTED)
    token = links.make_token("offer", offer)
    response = client.post(f"/de/network/manage/{token}/confirm/", follow=True)
    assert "kann jetzt nicht bestätigt werden" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED


def test_an_offer_whose_validity_ended_is_not_brought_back_by_a_confirmation(client, offer):
    Offer.objects.filter(pk=offer.pk).update(
        status=Offer.Status.EXPIRED, valid_until=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(services.NotConfirmable):
        services.offer_confirm(offer=offer)


def test_the_daily_command_does_all_three(offer, juki):
    make_offer(juki, title="Vorbei", valid_until=timezone.localdate() - timedelta(days=1))
    call_command("expire_network_offers", stdout=open("/dev/null", "w"))
    assert Offer.objects.get(title="Vorbei").status == Offer.Status.EXPIRED
    assert len(mail.outbox) == 1  # the confirmation request of the Sprachcafé


def test_publishing_starts_the_year(carla_client, juki):
    waiting = make_offer(juki, title="Neu", status="submitted", submitter_email="p@example.org")
    carla_client.post(f"/de/staff/network/offers/{waiting.pk}/publish/")
    waiting.refresh_from_db()
    assert waiting.status == Offer.Status.PUBLISHED
    assert waiting.confirmed_on == timezone.localdate()
