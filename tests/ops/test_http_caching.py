"""Public pages are cached in HTTP (browsers and the reverse proxy), never by the portal; a
page that belongs to one visitor is never marked shareable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from offices.models import OpeningException

PUBLIC = ["/de/", "/de/offices/", "/de/offices/lanstrop/", "/de/network/", "/de/network/?q=Sport",
          "/de/imprint/", "/ar/offices/lanstrop/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_an_anonymous_visitors_public_page_may_be_kept_for_thirty_seconds(client, lanstrop, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=30", "stale-while-revalidate=30"}
    assert "Cookie" in response["Vary"]
    assert response["ETag"]
    assert not response.cookies


def test_the_browser_revalidates_with_the_etag_and_gets_a_304(client, lanstrop):
    etag = client.get("/de/offices/lanstrop/")["ETag"]
    response = client.get("/de/offices/lanstrop/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_a_change_shows_on_the_next_request_because_the_portal_keeps_no_copy(client, lanstrop):
    first = client.get("/de/offices/lanstrop/")
    today = timezone.localdate()
    OpeningException.objects.create(
        office=lanstrop, kind="closed", date_from=today + timedelta(days=3),
        date_until=today + timedelta(days=3), reason="Betriebsausflug",
    )
    second = client.get("/de/offices/lanstrop/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Betriebsausflug" in second.content.decode()


def test_a_signed_in_users_pages_are_never_shareable(alice_client, lanstrop):
    for path in ("/de/", "/de/offices/lanstrop/", "/de/network/"):
        response = alice_client.get(path)
        assert response["Cache-Control"] == "no-store", path
        assert "Cookie" in response["Vary"]


def test_a_page_with_a_form_token_is_not_shareable(client, db):
    response = client.get("/de/network/suggestions/")
    assert "public" not in response.get("Cache-Control", "")


def test_a_visitor_with_a_session_gets_a_private_copy(client, lanstrop):
    session = client.session
    session["anything"] = 1
    session.save()
    response = client.get("/de/")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" not in directives and "private" in directives


def test_staff_pages_are_never_stored(alice_client):
    for path in ("/de/staff/", "/de/staff/households/"):
        assert alice_client.get(path)["Cache-Control"] == "no-store"


def test_nothing_is_written_to_the_cache_by_public_pages(client, lanstrop):
    from django.core.cache import cache

    cache.clear()
    for path in PUBLIC:
        client.get(path)
    assert list(cache._cache) == []
