"""The base every page stands on: languages, headers, health, roles, errors, settings."""

import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings

from lokalwillkommen import views as portal_views


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("ar,en;q=0.5", "/ar/"),
        ("uk-UA,uk;q=0.9", "/uk/"),
        ("en-GB", "/en/"),
        ("", "/de/"),
        ("fr-FR", "/de/"),
    ],
)
def test_root_redirects_by_the_browsers_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_with_the_rtl_stylesheet(client):
    page = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    german = client.get("/de/").content.decode()
    assert 'dir="ltr"' in german and "bootstrap.rtl" not in german


@pytest.mark.django_db
def test_layout_has_skip_link_navigation_language_switcher_and_legal_footer(client):
    page = client.get("/de/offices/").content.decode()
    assert 'href="#main"' in page and 'id="main"' in page
    assert 'aria-label="Hauptnavigation"' in page
    for lang, href in [("en", "/en/offices/"), ("ar", "/ar/offices/"), ("uk", "/uk/offices/")]:
        assert f'href="{href}" lang="{lang}"' in page
    for name in ("Impressum", "Datenschutzerklärung", "Barrierefreiheit"):
        assert name in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/de/imprint/", "/ar/privacy/", "/uk/accessibility/"])
def test_legal_pages_exist_in_every_language(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "mailto:" in response.content.decode()


@pytest.mark.django_db
def test_accessibility_statement_offers_a_way_to_report_a_barrier(client):
    page = client.get("/de/accessibility/").content.decode()
    assert "Barriere melden" in page and "mailto:" in page
    assert "Ombudsstelle" in page


def _assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/de/", "/de/does-not-exist/", "/de/accounts/login/", "/healthz", "/static/css/site.css"],
)
def test_every_response_carries_the_security_headers(client, url):
    _assert_security_headers(client.get(url))


@pytest.mark.django_db
def test_the_500_page_carries_the_security_headers_and_the_layout(client):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="tests.foundation.urls_boom"):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Etwas ist schiefgelaufen" in response.content.decode()
    _assert_security_headers(response)


@pytest.mark.django_db
def test_public_pages_set_no_cookie_but_forms_get_the_csrf_cookie(client):
    for url in ("/de/", "/de/offices/", "/de/imprint/"):
        assert client.get(url).cookies == {}, url
    assert "csrftoken" in client.get("/de/accounts/login/").cookies


@pytest.mark.django_db
def test_staff_pages_are_not_stored_by_caches(alice_client):
    assert alice_client.get("/de/staff/")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    class Broken:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(portal_views.connection, "cursor", lambda: Broken())
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_a_page_answers_503_in_the_layout_when_the_database_is_away(client, monkeypatch):
    from offices import views

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "office_rows", broken)
    response = client.get("/de/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in page and 'lang="de"' in page


@pytest.mark.django_db
def test_a_staff_page_answers_503_when_the_session_cannot_be_read(alice_client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def broken(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", broken)
    alice_client.raise_request_exception = False
    response = alice_client.get("/de/staff/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


@pytest.mark.django_db
def test_groups_staff_and_coordinator_exist_after_migrate():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"staff", "coordinator"}


@pytest.mark.django_db
def test_staff_area_sends_the_anonymous_to_login(client):
    response = client.get("/de/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/de/accounts/login/?next=/de/staff/")


@pytest.mark.django_db
def test_staff_area_refuses_a_user_in_no_group_with_a_clear_403(client, dan):
    client.force_login(dan)
    response = client.get("/de/staff/")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["alice", "carla"])
def test_staff_and_coordinators_enter_the_staff_area(client, actor, request):
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/de/staff/").status_code == 200


@pytest.mark.django_db
def test_login_and_logout_pages_work(client, alice):
    response = client.post(
        "/de/accounts/login/", {"username": "alice", "password": "alice-password-123"}
    )
    assert response.status_code == 302
    # A password alone opens no staff page: the second factor comes next.
    assert client.get("/de/staff/")["Location"].startswith("/de/accounts/second-factor/")
    assert client.get("/de/accounts/logout/").status_code == 405  # logout needs POST
    client.post("/de/accounts/logout/")
    assert client.get("/de/staff/").status_code == 302


@pytest.mark.django_db
def test_login_is_locked_after_five_failures(client, alice):
    for _ in range(5):
        client.post("/de/accounts/login/", {"username": "alice", "password": "wrong"})
    response = client.post(
        "/de/accounts/login/", {"username": "alice", "password": "alice-password-123"}
    )
    assert response.status_code == 429
    assert "Anmeldung gesperrt" in response.content.decode()
    assert client.get("/de/staff/").status_code == 302


@pytest.mark.django_db
def test_demo_data_loads_twice_without_changing_anything(capsys):
    from django.apps import apps

    call_command("seed_demo")
    first = {m._meta.label: m.objects.count() for m in apps.get_models()}
    output = capsys.readouterr().out
    assert "lokal-willkommen-staff" in output and "lokal-willkommen-coordinator" in output
    call_command("seed_demo")
    second = {m._meta.label: m.objects.count() for m in apps.get_models()}
    first.pop("axes.AccessLog", None), second.pop("axes.AccessLog", None)
    assert first == second
    from offices.models import Office

    lanstrop = Office.objects.get(slug="lanstrop")
    assert lanstrop.street == "Nadlerweg 1" and lanstrop.postcode == "44329"
    rule = lanstrop.rules.get()
    assert (rule.weekday, str(rule.opens), str(rule.closes)) == (3, "08:30:00", "11:30:00")


EXTERNAL_RESOURCE = re.compile(
    r'(?:src|srcset|action|data)\s*=\s*"(https?:)?//|<link\b[^>]*href="(https?:)?//'
    r"|url\(\s*['\"]?(https?:)?//|@import",
    re.I,
)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_no_rendered_page_references_another_host(client, lang):
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    from django.urls import reverse
    from django.utils import translation

    from offices.models import Office

    with translation.override(lang):
        urls = [
            "/",
            "/offices/",
            "/network/",
            "/imprint/",
            "/privacy/",
            "/accessibility/",
            "/accounts/login/",
        ]
        urls = [f"/{lang}{u}" for u in urls]
        urls += [reverse("offices-detail", args=[o.slug]) for o in Office.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not EXTERNAL_RESOURCE.search(response.content.decode()), url


def _settings_process(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )


def test_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _settings_process({"DJANGO_SETTINGS_MODULE": "lokalwillkommen.settings"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_build_commands_run_without_a_secret_key():
    result = _settings_process(
        {"DJANGO_SETTINGS_MODULE": "lokalwillkommen.settings"},
        "makemigrations", "--check", "--dry-run",
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_reports_no_issue_with_production_values():
    result = _settings_process(
        {
            "DJANGO_SETTINGS_MODULE": "lokalwillkommen.settings",
            "DJANGO_SECRET_KEY": "k3J9-a8Qx_Zp2vR7mW5nT1yB4cE6hL0sD3fG8jK2qP9uX5wV1oI7rY4tA6zN0bM",
            "DJANGO_ALLOWED_HOSTS": "lokalwillkommen.example.org",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://lokalwillkommen.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_a_driver_error_that_django_did_not_wrap_is_a_503_too(client, monkeypatch):
    """Closing a server-side cursor (a form's choices) on a connection PostgreSQL has just
    closed raises psycopg's own error, not Django's (seen under load during an outage)."""
    psycopg = pytest.importorskip("psycopg")
    from network import views

    def broken(*args, **kwargs):
        raise psycopg.OperationalError(
            "consuming input failed: server closed the connection unexpectedly"
        )

    monkeypatch.setattr(views, "render", broken)
    client.raise_request_exception = False
    response = client.get("/de/network/volunteer/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
