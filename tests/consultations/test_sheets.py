"""Printable A4 sheets: per office and per home visit, in the household's language, with the
hours and a QR code to the office page; Arabic right to left; under 500 KB; the visit sheet
names nobody."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from consultations.models import HomeVisit
from consultations.sheets import sheet_language
from lokalwillkommen.models import AccessLog, Language
from tests.conftest import client_for

LIMIT = 500 * 1024


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) < LIMIT
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def fonts(reader) -> set[str]:
    found = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        found.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return found


@pytest.fixture
def done_visit(household, alice, lanstrop):
    household.languages.set(Language.objects.filter(code__in=["ar", "fa"]))
    return HomeVisit.objects.create(
        household=household, staff=alice, status="done",
        scheduled_at=timezone.now() - timedelta(hours=2),
        information_given="Flyer der Anlaufstelle, Liste der Kitas",
        next_follow_up_on=timezone.localdate() + timedelta(days=14),
    )


def test_the_language_of_a_sheet():
    assert sheet_language(["so", "ar", "de"]) == "ar"  # Somali: not a language of the portal
    assert sheet_language(["ps", "ku"]) == "de"
    assert sheet_language(["fa", "ar"]) == "fa"
    assert sheet_language(["ar"], "uk") == "uk"
    assert sheet_language(["ar"], "xx") == "ar"


def test_the_office_sheet_has_the_hours_and_a_link_to_the_office_page(alice_client, lanstrop):
    response = alice_client.get(
        reverse("consultations-office-sheet", args=["lanstrop"]), {"lang": "de"}
    )
    reader, text = read(response)
    assert "Nadlerweg 1, 44329 Dortmund" in text
    assert "Donnerstag: 08:30–11:30" in text
    assert "/de/offices/lanstrop/" in text
    assert fonts(reader) == {"NotoSans", "NotoSansBold"}
    assert 'filename="lokal-willkommen-lanstrop-de.pdf"' in response["Content-Disposition"]


def test_the_office_sheet_in_arabic_is_shaped_right_to_left(alice_client, lanstrop):
    response = alice_client.get(
        reverse("consultations-office-sheet", args=["lanstrop"]), {"lang": "ar"}
    )
    reader, text = read(response)
    assert {"NotoNaskhArabic", "NotoNaskhArabicBold"} <= fonts(reader)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert "/ar/offices/lanstrop/" in text
    assert "Nadlerweg 1" in text
    # the Arabic words come out in reading order once the shaped glyphs are mapped back
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)


def test_the_visit_sheet_is_in_the_households_language_and_names_nobody(
    alice_client, done_visit, household
):
    response = alice_client.get(reverse("consultations-visit-sheet", args=[done_visit.pk]))
    reader, text = read(response)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert household.reference in text
    assert "Flyer der Anlaufstelle" in text
    assert "Nadlerweg 1" in text  # the office, not the household
    for private in (household.contact_name, household.phone, household.street,
                    household.previous_housing, household.notes):
        assert private not in text
    entry = AccessLog.objects.get(subject_id=household.pk, action="view")
    assert entry.detail == f"visit sheet {done_visit.pk} (ar)"


def test_the_visit_sheet_in_ukrainian_on_request(alice_client, done_visit):
    response = alice_client.get(
        reverse("consultations-visit-sheet", args=[done_visit.pk]), {"lang": "uk"}
    )
    reader, text = read(response)
    assert reader.trailer["/Root"]["/Lang"] == "uk"
    assert "Ваш" in text


@pytest.mark.parametrize(("actor", "status"),
                         [(None, 302), ("dan", 403), ("bob", 404), ("alice", 200), ("carla", 200)])
def test_only_the_households_team_prints_its_visit_sheet(
    request, client, done_visit, actor, status
):
    user = request.getfixturevalue(actor) if actor else None
    response = client_for(client, user).get(
        reverse("consultations-visit-sheet", args=[done_visit.pk])
    )
    assert response.status_code == status


def test_an_unknown_office_has_no_sheet(alice_client, lanstrop):
    response = alice_client.get(reverse("consultations-office-sheet", args=["nowhere"]))
    assert response.status_code == 404


def test_the_pages_link_to_the_sheets(alice_client, done_visit, household):
    dashboard = alice_client.get(reverse("staff-dashboard")).content.decode()
    assert reverse("consultations-office-sheet", args=["lanstrop"]) + "?lang=ar" in dashboard
    page = alice_client.get(reverse("consultations-household-detail", args=[household.pk]))
    assert reverse("consultations-visit-sheet", args=[done_visit.pk]) in page.content.decode()


@pytest.mark.parametrize("language", ["fa", "ti", "ru", "tr"])
def test_a_sheet_in_persian_tigrinya_russian_or_turkish_has_its_own_letters(
    alice_client, lanstrop, language
):
    """Persian right to left in the Arabic font, Tigrinya in the Ethiopic one: every letter of
    the sheet is in a font embedded in it."""
    response = alice_client.get(
        reverse("consultations-office-sheet", args=[lanstrop.slug]) + f"?lang={language}"
    )
    assert response.status_code == 200
    assert len(response.content) < 500_000
    reader = PdfReader(io.BytesIO(response.content))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    wanted = {"fa": "NotoNaskhArabic", "ti": "NotoSansEthiopic"}.get(language, "NotoSans")
    assert any(wanted in name for name in fonts), fonts
