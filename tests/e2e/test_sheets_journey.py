"""Printing on the way to a home visit: the office sheet in Arabic from the dashboard and the
household's sheet after the visit, both A4 PDFs under 500 KB, from a phone."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import PHONE, build_city, household
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def visited(transactional_db, django_user_model):
    from consultations.models import HomeVisit

    city = build_city(django_user_model)
    h = household(city, "Familie Haddad", languages=["ar", "de"])
    HomeVisit.objects.create(household=h, staff=city["staff"], status="done",
                             scheduled_at=timezone.now() - timedelta(hours=1),
                             information_given="Flyer der Anlaufstelle")
    return {**city, "household": h}


def pdf_of(download):
    with open(download.value.path(), "rb") as f:
        content = f.read()
    assert content.startswith(b"%PDF-") and len(content) < 500 * 1024
    reader = PdfReader(io.BytesIO(content))
    return reader, reader.pages[0].extract_text().replace("\n", "")


def test_office_and_visit_sheets_from_a_phone(live_server, page, visited):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, visited["staff"])
    page.goto(f"{live_server.url}/de/staff/")
    arabic = page.locator("section[aria-labelledby=h-hours] a[lang=ar]")
    assert arabic.count() == 2  # one per office of the team
    with page.expect_download() as download:
        arabic.nth(1).click()  # the second office by name: lokal willkommen Lanstrop
    reader, text = pdf_of(download)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert "Nadlerweg 1" in text and "/ar/offices/lanstrop/" in text
    assert download.value.suggested_filename == "lokal-willkommen-lanstrop-ar.pdf"

    h = visited["household"]
    page.goto(f"{live_server.url}/de/staff/households/{h.pk}/")
    assert_accessible(page, "household page with the sheet links")
    with page.expect_download() as download:
        page.get_by_role("link", name="Blatt für den Haushalt (PDF)").click()
    reader, text = pdf_of(download)
    assert reader.trailer["/Root"]["/Lang"] == "ar"  # the household's language
    assert h.reference in text and "Familie Haddad" not in text
