"""Every public page in every interface language, Persian and Arabic right to left, at phone
width: nothing sticks out sideways (the language switcher with eight entries included), no
request leaves the site, and axe-core finds no serious or critical violation."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.e2e.axe import assert_accessible

PHONE = {"width": 390, "height": 844}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = [
    "/",
    "/offices/",
    "/offices/lanstrop/",
    "/network/",
    "/network/?q=Zzzzz",
    "/network/offers/sprachcafe-lanstrop/",
    "/leichte-sprache/",
    "/accessibility/",
]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_in_every_language_pass_axe_at_phone_width(
    live_server, page, demo, lang, shots, external_requests
):
    page.set_viewport_size(PHONE)
    rtl = lang in ("ar", "fa")
    for path in PAGES:
        page.goto(f"{live_server.url}/{lang}{path}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("dir") == ("rtl" if rtl else "ltr")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{lang}{path} is wider than the phone"
        assert_accessible(page, f"{lang}{path}")
    page.goto(f"{live_server.url}/{lang}/network/")
    page.screenshot(path=f"{shots}/directory-{lang}-390.png")
    assert external_requests == []


def test_the_language_switcher_fits_a_phone_with_eight_languages(live_server, page, demo, shots):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/fa/")
    switcher = page.locator(".language-switcher")
    box = switcher.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    links = switcher.locator("a")
    assert links.count() == 9  # eight languages and Leichte Sprache
    for n in range(links.count()):
        link = links.nth(n).bounding_box()
        assert link["x"] >= 0 and link["x"] + link["width"] <= PHONE["width"]
        assert link["height"] >= 24  # a target a finger can hit (WCAG 2.5.8)
    switcher.screenshot(path=f"{shots}/language-switcher-fa-390.png")
