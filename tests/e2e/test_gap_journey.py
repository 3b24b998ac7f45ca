"""The gap analysis against a hand-made city: five households in Hörde need a Kita place and
speak Arabic, and no Kita offer exists there. The coordinator sees the gap in the heat map and
the table, and finds the same numbers in the CSV (';', UTF-8 BOM) and the XLSX; anonymous
consultations count as demand too. Every page passes axe-core, in German and Arabic."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import TABLET, build_city, household
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def hand_made(transactional_db, django_user_model):
    from consultations.models import Consultation, ConsultationTopic
    from lokalwillkommen.models import Language
    from network.models import Offer, Organisation

    city = build_city(django_user_model)
    for i in range(5):
        household(city, f"Familie Hörde {i}", needs=["kita"], languages=["ar"],
                  district=city["hoerde"])
    org = Organisation.objects.create(kind="kita", name="Kita Sonnenschein",
                                      slug="kita-sonnenschein", district=city["lanstrop"],
                                      status="published")
    offer = Offer.objects.create(organisation=org, title="Eltern-Kind-Gruppe", slug="ekg",
                                 category="kita", district=city["lanstrop"], status="published")
    offer.languages.set(Language.objects.filter(code__in=["ar", "de"]))
    ukrainian = Language.objects.get(code="uk")
    for _i in range(3):
        c = Consultation.objects.create(office=city["office"], language=ukrainian,
                                        held_at=timezone.now() - timedelta(hours=2))
        ConsultationTopic.objects.create(consultation=c, topic="work")
    return city


def test_the_hand_made_gap_in_the_page_the_csv_and_the_xlsx(live_server, page, hand_made, shots):
    from openpyxl import load_workbook

    page.set_viewport_size(TABLET)
    sign_in(page, live_server, hand_made["coordinator"])
    page.goto(f"{live_server.url}/de/staff/reports/gaps/")
    assert_accessible(page, "gap analysis")
    heat_row = page.locator("table.heat-map tbody tr", has_text="Hörde")
    kita = heat_row.locator("td").nth(1)  # the second need column: Kita
    assert kita.inner_text().split() == ["5", "/", "0", "kein", "Angebot"]
    assert "heat-gap" in kita.get_attribute("class")
    gap = page.locator("table.gap-table tbody tr").first
    cells = gap.locator("th, td").all_inner_texts()
    assert cells[:8] == ["Hörde", "Kita-Platz und Kinderbetreuung", "Arabisch", "5", "0", "0",
                         "0", "0"]
    work = page.locator("table.gap-table tbody tr", has_text="Ukrainisch")
    assert work.locator("td").nth(3).inner_text() == "3"  # anonymous consultations
    page.screenshot(path=f"{shots}/gap-analysis.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Lückenanalyse als CSV herunterladen").click()
    with open(download.value.path(), "rb") as f:
        raw = f.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1] == ["Hörde", "Kita-Platz und Kinderbetreuung", "Arabisch", "5", "0", "0",
                       "0", "0", "0", "ja"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Lückenanalyse als XLSX herunterladen").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    first = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert first == ["Hörde", "Kita-Platz und Kinderbetreuung", "Arabisch", 5, 0, 0, 0, 0, 0,
                     "ja"]

    # the heat map for one language; the page in Arabic, right to left
    page.select_option("#heat-language", "uk")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**language=uk**")
    lanstrop = page.locator("table.heat-map tbody tr", has_text="Lanstrop")
    assert lanstrop.locator("td").nth(4).inner_text().split()[:3] == ["3", "/", "0"]
    page.goto(f"{live_server.url}/ar/staff/reports/gaps/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page, "gap analysis in Arabic")
