import uuid
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from lokalwillkommen.models import Language
from network import links
from network.models import Offer, Organisation, Suggestion, VolunteerRegistration

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"


def volunteer_data(district, **extra):
    data = {
        "token": str(uuid.uuid4()),
        "name": "Miriam",
        "email": "miriam@example.org",
        "phone": "",
        "district": district.pk,
        "languages": [Language.objects.get(code="ar").pk],
        "skills": [],
        "availability": "Tuesdays",
        "message": "",
        "consent": "on",
    }
    data.update(extra)
    return data


def offer_data(district, organisation=None, **extra):
    data = {
        "token": str(uuid.uuid4()),
        "organisation": organisation.pk if organisation else "",
        "org_name": "" if organisation else "Neue Initiative",
        "org_kind": "" if organisation else "initiative",
        "org_district": "" if organisation else district.pk,
        "title": "Sprachcafé",
        "description": "Deutsch sprechen bei Kaffee",
        "category": "language",
        "district": district.pk,
        "submitter_email": "submitter@example.org",
        "consent": "on",
    }
    data.update(extra)
    return data


def suggestion_data(**extra):
    data = {"token": str(uuid.uuid4()), "topic": "", "text": "Mehr Bänke", "name": "", "email": ""}
    data.update(extra)
    return data


# --- volunteer ----------------------------------------------------------------


def test_volunteer_page_has_privacy_note_consent_and_honeypot(client):
    content = client.get(reverse("network-volunteer")).content.decode()
    assert 'class="honeypot"' in content
    assert 'name="consent"' in content
    assert 'href="/de/privacy/"' in content


def test_volunteer_registers_and_gets_signed_link(client, lanstrop_district, carla):
    response = client.post(reverse("network-volunteer"), volunteer_data(lanstrop_district))
    assert response.status_code == 302
    assert response.url == reverse("network-thanks", args=["volunteer"])
    volunteer = VolunteerRegistration.objects.get()
    assert volunteer.consent_at is not None
    assert volunteer.status == VolunteerRegistration.Status.NEW
    assert [lang.code for lang in volunteer.languages.all()] == ["ar"]
    to = {tuple(m.to) for m in mail.outbox}
    assert ("miriam@example.org",) in to and ("carla@example.org",) in to
    assert "/de/network/manage/" in mail.outbox[0].body
    assert client.get(response.url).status_code == 200


def test_a_mail_server_that_is_away_does_not_lose_a_registration(
    client, lanstrop_district, monkeypatch
):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    response = client.post(reverse("network-volunteer"), volunteer_data(lanstrop_district))
    assert response.status_code == 302
    assert response.url == reverse("network-thanks", args=["volunteer"])
    assert VolunteerRegistration.objects.count() == 1


def test_volunteer_without_consent_is_refused_and_nothing_stored(client, lanstrop_district):
    data = volunteer_data(lanstrop_district)
    del data["consent"]
    response = client.post(reverse("network-volunteer"), data)
    assert response.status_code == 200
    assert "Bitte stimmen Sie dem Datenschutzhinweis zu" in response.content.decode()
    assert not VolunteerRegistration.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "field,value",
    [("email", "not-an-address"), ("name", ""), ("name", "x" * 121), ("message", "x" * 2001)],
)
def test_volunteer_bad_input_is_refused(client, lanstrop_district, field, value):
    response = client.post(
        reverse("network-volunteer"), volunteer_data(lanstrop_district, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not VolunteerRegistration.objects.exists()


def test_volunteer_error_messages_are_translated(client, lanstrop_district):
    data = volunteer_data(lanstrop_district, email="nope")
    response = client.post("/ar/network/volunteer/", data)
    assert "أدخل عنوان بريد إلكتروني صالحاً" in response.content.decode() or (
        response.context["form"].errors["email"][0] != "Enter a valid email address."
    )


def test_volunteer_double_submit_stores_one(client, lanstrop_district):
    data = volunteer_data(lanstrop_district)
    first = client.post(reverse("network-volunteer"), data)
    second = client.post(reverse("network-volunteer"), data)
    assert first.url == second.url
    assert VolunteerRegistration.objects.count() == 1


def test_markup_in_volunteer_is_escaped_in_staff_list_and_emails(client, lanstrop_district, carla):
    data = volunteer_data(lanstrop_district, name=SCRIPT, availability=SCRIPT, message=SCRIPT)
    client.post(reverse("network-volunteer"), data)
    volunteer = VolunteerRegistration.objects.get()
    assert volunteer.name == SCRIPT  # stored exactly as typed
    client.force_login(carla)
    content = client.get(reverse("network-staff-volunteers")).content.decode()
    assert SCRIPT not in content and ESCAPED in content
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert "<script>" not in html
        if message.to == ["miriam@example.org"]:
            assert SCRIPT not in message.body  # the confirmation carries no text from the form
        else:
            assert SCRIPT in message.body  # the team's notice shows it as typed


# --- suggestion ---------------------------------------------------------------


def test_anonymous_suggestion_needs_no_consent(client, carla):
    response = client.post(reverse("network-suggestion"), suggestion_data())
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.consent_at is None
    assert mail.outbox[0].to == ["carla@example.org"]


def test_a_suggestion_names_its_need_and_district_and_keeps_the_form_language(
    client, lanstrop_district
):
    url = reverse("network-suggestion").replace("/de/", "/ar/", 1)
    response = client.post(
        url, suggestion_data(need="leisure", district=lanstrop_district.pk)
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.need, suggestion.district, suggestion.language) == (
        "leisure", lanstrop_district, "ar"
    )


def test_suggestion_with_contact_needs_consent(client):
    response = client.post(reverse("network-suggestion"), suggestion_data(email="me@example.org"))
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("field,value", [("text", ""), ("text", "x" * 4001), ("email", "a@")])
def test_suggestion_bad_input(client, field, value):
    response = client.post(
        reverse("network-suggestion"), suggestion_data(consent="on", **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Suggestion.objects.exists()


def test_markup_in_suggestion_is_escaped_in_inbox_and_email(client, carla):
    client.post(reverse("network-suggestion"), suggestion_data(text=SCRIPT, topic=SCRIPT))
    assert Suggestion.objects.get().text == SCRIPT
    html = mail.outbox[0].alternatives[0][0]
    assert ESCAPED in html and "<script>" not in html
    assert SCRIPT in mail.outbox[0].body  # plain text: shown exactly as typed
    assert "<" not in mail.outbox[0].subject
    client.force_login(carla)
    content = client.get(reverse("network-staff-suggestions")).content.decode()
    assert SCRIPT not in content and ESCAPED in content


# --- offer submission ---------------------------------------------------------


def test_offer_for_new_organisation_waits_for_moderation(client, lanstrop_district, carla):
    response = client.post(reverse("network-offer-submit"), offer_data(lanstrop_district))
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.SUBMITTED
    assert offer.organisation.status == Organisation.Status.SUBMITTED
    assert offer.organisation.name == "Neue Initiative"
    assert {m.to[0] for m in mail.outbox} == {"submitter@example.org", "carla@example.org"}
    listing = client.get(reverse("network-directory"))
    assert offer.get_absolute_url() not in listing.content.decode()


def test_offer_for_existing_organisation(client, juki, lanstrop_district):
    response = client.post(
        reverse("network-offer-submit"), offer_data(lanstrop_district, organisation=juki)
    )
    assert response.status_code == 302
    assert Offer.objects.get().organisation == juki
    assert Organisation.objects.count() == 1


def test_offer_needs_an_organisation(client, lanstrop_district):
    data = offer_data(lanstrop_district, org_name="", org_kind="")
    response = client.post(reverse("network-offer-submit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["org_name"]
    assert not Offer.objects.exists() and not Organisation.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("submitter_email", "nope"),
        ("title", "x" * 161),
        ("description", ""),
        ("category", "weapons"),
        ("consent", ""),
        ("org_website", "javascript:alert(1)"),
        ("valid_until", "2020-01-01"),
    ],
)
def test_offer_bad_input_is_refused(client, lanstrop_district, field, value):
    data = offer_data(lanstrop_district, valid_from="2024-01-01", **{field: value})
    if not value:
        data.pop(field)
    response = client.post(reverse("network-offer-submit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Offer.objects.exists() and not Organisation.objects.exists()


def test_markup_in_offer_is_escaped_in_moderation_queue_and_emails(
    client, lanstrop_district, carla
):
    data = offer_data(
        lanstrop_district,
        title=SCRIPT,
        description=SCRIPT,
        place=SCRIPT,
        time_note=SCRIPT,
        cost_note=SCRIPT,
        org_name=SCRIPT,
        org_address=SCRIPT,
        org_description=SCRIPT,
        org_contact_name=SCRIPT,
    )
    response = client.post(reverse("network-offer-submit"), data)
    assert response.status_code == 302, response.context["form"].errors
    offer = Offer.objects.get()
    assert offer.title == SCRIPT and offer.organisation.name == SCRIPT
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert "<script>" not in html and "<b>" not in html
        assert "<" not in message.subject
    client.force_login(carla)
    content = client.get(reverse("network-staff-moderation")).content.decode()
    assert SCRIPT not in content and ESCAPED in content
    client.post(reverse("network-staff-organisation-publish", args=[offer.organisation.pk]))
    client.post(reverse("network-staff-offer-publish", args=[offer.pk]))
    client.logout()
    offer.refresh_from_db()
    page = client.get(reverse("network-offer", args=[offer.slug])).content.decode()
    assert SCRIPT not in page and ESCAPED in page
    listing = client.get(reverse("network-directory")).content.decode()
    assert SCRIPT not in listing and ESCAPED in listing


def test_invalid_submission_keeps_what_was_typed(client, lanstrop_district):
    data = offer_data(lanstrop_district, submitter_email="bad")
    response = client.post(reverse("network-offer-submit"), data)
    assert "Deutsch sprechen bei Kaffee" in response.content.decode()


# --- honeypot and rate limit --------------------------------------------------


@pytest.mark.parametrize(
    "url_name,model",
    [
        ("network-volunteer", VolunteerRegistration),
        ("network-suggestion", Suggestion),
        ("network-offer-submit", Offer),
    ],
)
def test_honeypot_stores_nothing(client, lanstrop_district, url_name, model):
    data = {
        "network-volunteer": volunteer_data(lanstrop_district),
        "network-suggestion": suggestion_data(),
        "network-offer-submit": offer_data(lanstrop_district),
    }[url_name]
    data["website_url"] = "http://spam.example"
    response = client.post(reverse(url_name), data)
    assert response.status_code == 302
    assert not model.objects.exists()
    assert not mail.outbox


@override_settings(NETWORK_RATE_LIMIT=(2, 3600))
def test_rate_limit_refuses_with_friendly_message_and_stores_nothing(client):
    for _ in range(2):
        assert client.post(reverse("network-suggestion"), suggestion_data()).status_code == 302
    response = client.post(reverse("network-suggestion"), suggestion_data(text="third"))
    assert response.status_code == 429
    assert "Bitte versuchen Sie es in einer Stunde erneut" in response.content.decode()
    assert Suggestion.objects.count() == 2
    other = client.post(reverse("network-suggestion"), suggestion_data(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


# --- signed link --------------------------------------------------------------


def _submit_offer(client, district, **extra):
    client.post(reverse("network-offer-submit"), offer_data(district, **extra))
    return Offer.objects.get()


def test_signed_link_changes_an_offer_waiting_for_moderation_at_once(
    client, juki, lanstrop_district
):
    offer = _submit_offer(client, lanstrop_district, organisation=juki)
    token = links.make_token("offer", offer)
    url = reverse("network-manage", args=[token])
    assert "Sprachcafé" in client.get(url).content.decode()
    data = {
        "title": "Sprachcafé neu",
        "description": "Neu",
        "category": "language",
        "district": lanstrop_district.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Sprachcafé neu"
    assert offer.status == Offer.Status.SUBMITTED


def test_signed_link_withdraw_deletes(client, lanstrop_district):
    offer = _submit_offer(client, lanstrop_district)
    token = links.make_token("offer", offer)
    response = client.post(reverse("network-withdraw", args=[token]))
    assert response.status_code == 200
    assert not Offer.objects.exists() and not Organisation.objects.exists()
    assert client.get(reverse("network-manage", args=[token])).status_code == 404


def test_volunteer_can_withdraw_with_link(client, lanstrop_district):
    client.post(reverse("network-volunteer"), volunteer_data(lanstrop_district))
    volunteer = VolunteerRegistration.objects.get()
    token = links.make_token("volunteer", volunteer)
    client.post(reverse("network-withdraw", args=[token]))
    assert not VolunteerRegistration.objects.exists()


def test_tampered_link_is_refused(client, lanstrop_district):
    offer = _submit_offer(client, lanstrop_district)
    token = links.make_token("offer", offer)
    forged = signing.dumps({"k": "offer", "id": offer.pk + 1}, salt="other")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        assert client.get(reverse("network-manage", args=[bad])).status_code == 404
        assert client.post(reverse("network-withdraw", args=[bad])).status_code == 404
    assert Offer.objects.exists()


def test_expired_link_is_refused(client, lanstrop_district, settings):
    offer = _submit_offer(client, lanstrop_district)
    token = links.make_token("offer", offer)
    settings.NETWORK_LINK_MAX_AGE = -1
    assert client.get(reverse("network-manage", args=[token])).status_code == 404
    settings.NETWORK_LINK_MAX_AGE = int(timedelta(days=1).total_seconds())
    assert client.get(reverse("network-manage", args=[token])).status_code == 200


# --- the language of submitted texts -------------------------------------------


def test_an_offer_typed_into_the_arabic_form_is_marked_arabic_on_other_pages(
    client, lanstrop_district
):
    from network.services import offer_publish, organisation_publish

    data = offer_data(lanstrop_district, title="مقهى اللغة", description="نتحدث الألمانية")
    response = client.post("/ar/network/offers/submit/", data)
    assert response.status_code == 302, response.content[:300]
    offer = Offer.objects.get()
    assert offer.text_language == "ar"
    assert offer.organisation.text_language == "ar"
    organisation_publish(organisation=offer.organisation)
    offer_publish(offer=offer)
    german = client.get(f"/de/network/offers/{offer.slug}/").text
    assert '<h1 lang="ar" dir="rtl">مقهى اللغة</h1>' in german
    arabic = client.get(f"/ar/network/offers/{offer.slug}/").text
    # the page's own language: no language mark, isolated as typed text
    assert '<h1 dir="auto">مقهى اللغة</h1>' in arabic


def test_a_german_offer_on_the_arabic_and_ukrainian_pages_is_marked_german(client, homework):
    for language in ("ar", "uk", "en"):
        detail = client.get(f"/{language}/network/offers/{homework.slug}/").text
        assert f'<h1 lang="de" dir="ltr">{homework.title}</h1>' in detail
        directory = client.get(f"/{language}/network/").text
        assert f'lang="de" dir="ltr">{homework.title}</a>' in directory
    german = client.get(f"/de/network/offers/{homework.slug}/").text
    assert f'<h1 dir="auto">{homework.title}</h1>' in german
