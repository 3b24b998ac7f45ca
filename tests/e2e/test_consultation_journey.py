"""Drop-in hours on a phone: the form comes with the office open now (not the first by name),
the consultation is saved, corrected and then deleted by its author within ten minutes, and
both are in the access log. Every page passes axe-core."""

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import PHONE, build_city, no_sideways_scroll, open_all_day_today
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def counter(transactional_db, django_user_model):
    city = build_city(django_user_model)
    open_all_day_today(city["office"])  # "lokal willkommen Lanstrop", second by name
    return city


def test_logging_correcting_and_deleting_a_consultation_on_a_phone(
    live_server, page, counter, shots
):
    from consultations.models import Consultation
    from lokalwillkommen.models import AccessLog

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, counter["staff"])
    page.goto(f"{live_server.url}/de/staff/consultations/new/")
    assert_accessible(page, "consultation form")
    no_sideways_scroll(page)
    office = page.locator("#id_office")
    assert office.input_value() == str(counter["office"].pk)
    help_text = page.locator("#div_id_office").inner_text()
    assert "Jetzt geöffnet: lokal willkommen Lanstrop" in help_text

    page.check("input[name=topics][value=authorities]")
    page.select_option("#id_language", label="Arabisch")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url("**/consultations/new/")
    assert "Die Beratung wurde gespeichert." in page.locator(".messages").inner_text()
    consultation = Consultation.objects.get()
    # the office is still the one open now, and the new one is listed for correction
    assert page.locator("#id_office").input_value() == str(counter["office"].pk)
    recent = page.locator("section[aria-labelledby=h-recent]")
    assert recent.locator("li").count() == 1
    assert_accessible(page, "consultation saved")
    page.screenshot(path=f"{shots}/consultation-saved.png", full_page=True)

    # the author corrects it: one more topic, a longer duration
    recent.get_by_role("link").click()
    page.wait_for_url(f"**/consultations/{consultation.pk}/edit/")
    assert_accessible(page, "correction form")
    no_sideways_scroll(page)
    page.check("input[name=topics][value=health]")
    page.fill("#id_duration_minutes", "25")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url("**/consultations/new/")
    assert "Die Beratung wurde korrigiert." in page.locator(".messages").inner_text()
    consultation.refresh_from_db()
    assert consultation.duration_minutes == 25
    assert sorted(consultation.topics.values_list("topic", flat=True)) == [
        "authorities", "health"
    ]

    # …and finds it was logged by mistake after all
    page.locator("section[aria-labelledby=h-recent]").get_by_role("link").click()
    page.get_by_role("link", name="Diese Beratung löschen").click()
    page.wait_for_url(f"**/consultations/{consultation.pk}/delete/")
    assert_accessible(page, "delete confirmation")
    page.get_by_role("button", name="Beratung löschen").click()
    page.wait_for_url("**/consultations/new/")
    assert "Die Beratung wurde gelöscht." in page.locator(".messages").inner_text()
    assert not Consultation.objects.exists()
    actions = list(
        AccessLog.objects.filter(subject_type="consultation", subject_id=consultation.pk)
        .order_by("at", "id").values_list("action", "username")
    )
    assert actions == [("change", "erika"), ("delete", "erika")]

    # after ten minutes the page says so and refuses
    from datetime import timedelta

    from django.utils import timezone

    old = Consultation.objects.create(office=counter["office"], held_at=timezone.now(),
                                      staff=counter["staff"])
    Consultation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    response = page.goto(f"{live_server.url}/de/staff/consultations/{old.pk}/edit/")
    assert response.status == 403
    assert "innerhalb von 10 Minuten" in page.locator("main").inner_text()
    assert_accessible(page, "correction refused")
