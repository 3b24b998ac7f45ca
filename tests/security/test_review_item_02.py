"""Issue 13, item 2: the language links and hreflang alternates are built from the resolved
URL pattern only, so a crafted path can never make them point to another site."""

import re

import pytest
from django.conf import settings


def _links(html: str) -> list[str]:
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    alternates = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]*)"', html)
    return re.findall(r'href="([^"]*)"', switcher) + alternates


@pytest.mark.parametrize(
    "path",
    ["//evil.example/de/", "//evil.example/de/offices/", "/de//evil.example/", "/nowhere/de/"],
)
def test_item_02_language_links_on_a_404_stay_on_this_site(client, db, path):
    # As a server receives it ("GET //evil.example/de/ HTTP/1.1"): the test client would read
    # "//evil.example" as a host name, so the path is given as the server's PATH_INFO.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    links = _links(response.content.decode())
    # every language in the switcher (and Leichte Sprache), an alternate for each other one
    assert len(links) >= 2 * len(settings.LANGUAGES) - 1
    for link in links:
        assert link.startswith("/") and not link.startswith("//"), link
        assert "evil" not in link and "nowhere" not in link, link


def test_item_02_language_links_of_a_page_lead_to_the_same_page_in_each_language(
    client, lanstrop
):
    html = client.get("/de/offices/lanstrop/?x=1").content.decode()
    links = _links(html)
    assert "/ar/offices/lanstrop/?x=1" in links and "/uk/offices/lanstrop/?x=1" in links
    assert all(link.startswith("/") and not link.startswith("//") for link in links)


def test_item_02_a_404_inside_a_known_pattern_links_to_the_same_address_elsewhere(client, db):
    html = client.get("/de/offices/no-such-office/").content.decode()
    assert "/en/offices/no-such-office/" in _links(html)
