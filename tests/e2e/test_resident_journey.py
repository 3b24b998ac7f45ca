"""A resident on a phone: home page, office page, calendar link, in German and in Arabic."""

import pytest
from django.core.management import call_command

from tests.e2e.axe import assert_accessible

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_home_page_at_phone_and_desktop_width(
    live_server, page, demo, lang, viewport, shots, external_requests
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/{lang}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.get_by_role("link", name="lokal willkommen Lanstrop").is_visible()
    # Nothing sticks out sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=f"{shots}/home-{lang}-{viewport['width']}.png", full_page=True)
    assert_accessible(page, f"home {lang} {viewport['width']}")
    assert external_requests == []


def test_language_switcher_works_with_the_keyboard(live_server, page, demo):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/de/offices/")
    # The skip link is the first stop of the Tab key.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "ar":
            break
    else:
        pytest.fail("the Arabic link of the language switcher cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/ar/offices/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_accessible(page, "offices ar")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_resident_finds_lanstrop_and_adds_its_hours_to_the_calendar(
    live_server, page, demo, lang, shots, external_requests
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{lang}/")
    assert_accessible(page, "home")
    page.get_by_role("link", name="lokal willkommen Lanstrop").click()
    page.wait_for_url(f"**/{lang}/offices/lanstrop/")
    assert page.get_by_role("heading", level=1).inner_text() == "lokal willkommen Lanstrop"
    table = page.locator("table").inner_text()
    assert ("Donnerstag" if lang == "de" else "الخميس") in table
    page.screenshot(path=f"{shots}/lanstrop-{lang}.png", full_page=True)
    assert_accessible(page, f"office page {lang}")
    # To subscribe (the calendar app fetches it again) or to import once.
    assert page.locator("a[href^='webcal:'][href$='/offices/lanstrop/calendar.ics']").is_visible()
    link = page.locator("a[download][href$='calendar.ics']")
    assert link.is_visible()
    with page.expect_download() as download_info:
        link.click()
    content = open(download_info.value.path(), encoding="utf-8").read()
    assert "BEGIN:VCALENDAR" in content and "Nadlerweg 1" in content
    assert external_requests == []


@pytest.mark.parametrize(
    "url",
    [
        "/de/offices/",
        "/ar/imprint/",
        "/uk/privacy/",
        "/de/accessibility/",
        "/de/accounts/login/",
        "/ar/nothing-here/",
    ],
)
def test_other_public_pages_pass_axe(live_server, page, demo, url):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url)
    assert_accessible(page, url)
