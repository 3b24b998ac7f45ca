"""Staff accounts and sessions (OWASP ASVS level 2): one test per rule; each fails if the
rule is removed."""

import json
import logging
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lokalwillkommen.security import IDLE_SECONDS, LAST_SEEN, LOGIN_AT, log_event

PASSWORD = "alice-password-123"
STAFF = "/de/staff/"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def password_login(client, username="alice", password=PASSWORD, next_url=STAFF):
    return client.post(
        f"/de/accounts/login/?next={next_url}", {"username": username, "password": password}
    )


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="lokalwillkommen.security")

    def lines():
        return [
            json.loads(r.getMessage())
            for r in caplog.records
            if r.name == "lokalwillkommen.security"
        ]

    return lines


# Second factor ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_login_sets_up_the_second_factor_with_a_qr_code_and_recovery_codes(alice):
    client = Client()
    password_login(client)
    response = client.get(STAFF, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/de/accounts/second-factor/set-up/")
    assert 'src="data:image/svg+xml' in page  # the QR code is rendered by the portal
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post(
        "/de/accounts/second-factor/set-up/", {"code": code_for(device), "next": STAFF}
    )
    codes = re.findall(r"<li>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(STAFF).status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_does_not_confirm_the_set_up(alice):
    client = Client()
    password_login(client)
    client.get("/de/accounts/second-factor/set-up/")
    response = client.post("/de/accounts/second-factor/set-up/", {"code": "000000"})
    assert "nicht gültig" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert client.get(STAFF).status_code == 302


@pytest.fixture
def enrolled(alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    return device


@pytest.mark.django_db
def test_no_staff_page_opens_with_the_password_alone(enrolled):
    client = Client()
    password_login(client)
    response = client.get(STAFF)
    assert response.status_code == 302
    assert response["Location"].startswith("/de/accounts/second-factor/?next=")


@pytest.mark.django_db
def test_the_admin_needs_the_second_factor_too(django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin, second_factor=False)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_an_admin_account_in_no_group_needs_the_second_factor_for_the_admin(dan):
    dan.is_staff = True
    dan.save()
    client = Client()
    client.force_login(dan, second_factor=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/de/accounts/second-factor/")


@pytest.mark.django_db
def test_a_code_is_accepted_only_once(enrolled):
    code = code_for(enrolled)
    first = Client()
    password_login(first)
    first.post("/de/accounts/second-factor/", {"code": code, "next": STAFF})
    assert first.get(STAFF).status_code == 200
    second = Client()
    password_login(second)
    response = second.post("/de/accounts/second-factor/", {"code": code, "next": STAFF})
    assert "nicht gültig" in response.content.decode()
    assert second.get(STAFF).status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_works_once(enrolled, alice):
    from lokalwillkommen.second_factor import new_recovery_codes

    codes = new_recovery_codes(user=alice)
    client = Client()
    password_login(client)
    client.post("/de/accounts/second-factor/", {"code": codes[0]})
    assert client.get(STAFF).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    again = Client()
    password_login(again)
    again.post("/de/accounts/second-factor/", {"code": codes[0]})
    assert again.get(STAFF).status_code == 302


@pytest.mark.django_db
def test_the_demo_accounts_have_a_fixed_demo_second_factor(capsys):
    from django.core.management import call_command

    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "manage.py demo_totp staff" in out
    call_command("demo_totp", "staff")
    code = capsys.readouterr().out.strip()
    client = Client()
    password_login(client, "staff", "lokal-willkommen-staff")
    client.post("/de/accounts/second-factor/", {"code": code})
    assert client.get(STAFF).status_code == 200


# Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["kurz-11-zei", "password1234", "123456789012345", "qwertyuiop123"]
)
def test_short_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["grüne wiese am see", "correct horse battery staple"])
def test_long_passphrases_without_digits_or_capitals_are_accepted(password):
    validate_password(password)


@pytest.mark.django_db
def test_password_reset_by_e_mail(alice):
    client = Client()
    response = client.post("/de/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "ein neuer langer satz", "new_password2": "ein neuer langer satz"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("ein neuer langer satz")


@pytest.mark.django_db
def test_password_reset_survives_a_mail_server_that_is_away(alice, monkeypatch):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    response = Client().post("/de/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, alice):
    client.force_login(alice)
    response = client.post(
        "/de/accounts/password/change/",
        {
            "old_password": "falsch",
            "new_password1": "ein neuer langer satz",
            "new_password2": "ein neuer langer satz",
        },
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# Sessions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_issues_a_new_session_key(alice):
    client = Client()
    client.get("/de/accounts/login/")
    client.session.save()
    before = client.session.session_key
    password_login(client)
    assert client.session.session_key != before


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    if "idle" in seconds_ago:
        session[LAST_SEEN] = now - seconds_ago["idle"]
    if "login" in seconds_ago:
        session[LOGIN_AT] = now - seconds_ago["login"]
    session.save()


@pytest.mark.django_db
def test_an_idle_staff_session_ends_after_30_minutes(client, alice):
    client.force_login(alice)
    client.get(STAFF)
    _age_session(client, idle=IDLE_SECONDS - 60)
    assert client.get(STAFF).status_code == 200
    _age_session(client, idle=IDLE_SECONDS + 1)
    response = client.get(STAFF)
    assert response.status_code == 302 and response["Location"].startswith("/de/accounts/login/")
    assert client.get(STAFF).status_code == 302


@pytest.mark.django_db
def test_every_session_ends_after_12_hours(client, alice):
    client.force_login(alice)
    client.get(STAFF)
    _age_session(client, login=12 * 3600 + 1, idle=10)
    assert client.get(STAFF).status_code == 302
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.django_db
def test_logout_ends_the_session_at_once(client, alice):
    from django.contrib.sessions.models import Session

    client.force_login(alice)
    key = client.session.session_key
    client.post("/de/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_session_at_once(client, alice):
    client.force_login(alice)
    assert client.get(STAFF).status_code == 200
    alice.is_active = False
    alice.save()
    assert client.get(STAFF).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http:\\\\evil.example"]
)
def test_next_never_leads_off_the_site(alice, enrolled, target):
    client = Client()
    response = password_login(client, next_url=target)
    assert "evil.example" not in response["Location"]
    response = client.post(
        "/de/accounts/second-factor/", {"code": code_for(enrolled), "next": target}
    )
    assert "evil.example" not in response["Location"]


# Addresses, lockout and the security log -------------------------------------------------


@pytest.mark.django_db
def test_lockout_counts_in_the_shared_database_across_app_servers(alice):
    # Two clients stand for two app servers: the failures add up.
    for client in (Client(), Client(), Client(), Client(), Client()):
        password_login(client, password="wrong")
    assert password_login(Client()).status_code == 429


@pytest.mark.django_db
def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(alice):
    for n in range(5):
        password_login(Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), password="wrong")
    assert password_login(Client(HTTP_X_FORWARDED_FOR="10.0.0.99")).status_code == 429


@pytest.mark.django_db
@override_settings(LW_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(alice):
    for _ in range(5):
        password_login(Client(HTTP_X_FORWARDED_FOR="203.0.113.7"), password="wrong")
    assert password_login(Client(HTTP_X_FORWARDED_FOR="203.0.113.7")).status_code == 429
    assert password_login(Client(HTTP_X_FORWARDED_FOR="198.51.100.1")).status_code == 302


@pytest.mark.django_db
def test_security_log_records_logins_failures_and_lockouts_without_secrets(alice, security_log):
    for _ in range(5):
        password_login(Client(), password="S3cret-but-wrong")
    password_login(Client())
    lines = security_log()
    events = [line["event"] for line in lines]
    assert "login_failed" in events and "lockout" in events
    for line in lines:
        assert set(line) >= {"time", "event", "user", "address"}
        assert line["time"].endswith("Z")
    assert "S3cret-but-wrong" not in json.dumps(lines)


@pytest.mark.django_db
def test_security_log_records_second_factor_events_without_the_code(enrolled, security_log):
    client = Client()
    password_login(client)
    client.post("/de/accounts/second-factor/", {"code": "123456"})
    enrolled.refresh_from_db()
    enrolled.throttle_reset()  # a failure makes the next try wait a second (django-otp)
    code = code_for(enrolled)
    client.post("/de/accounts/second-factor/", {"code": code})
    events = [line["event"] for line in security_log()]
    assert "second_factor_failed" in events and "second_factor_ok" in events
    assert code not in json.dumps(security_log())


@pytest.mark.django_db
def test_security_log_records_403s_and_exports(client, carla, dan, security_log):
    other = Client()
    other.force_login(dan)
    other.get(STAFF)
    client.force_login(carla)
    client.get("/de/staff/network/volunteers/export.csv")
    events = {line["event"] for line in security_log()}
    assert {"forbidden", "export"} <= events


def test_a_newline_in_a_user_name_cannot_forge_a_log_line(caplog):
    caplog.set_level(logging.INFO, logger="lokalwillkommen.security")
    log_event("login_failed", username='eve\n{"event": "login", "user": "admin"}')
    messages = [r.getMessage() for r in caplog.records if r.name == "lokalwillkommen.security"]
    assert len(messages) == 1 and "\n" not in messages[0]
    assert json.loads(messages[0])["event"] == "login_failed"


# Markup is never trusted -----------------------------------------------------------------

REVIEWED_SAFE_USES = {
    "lokalwillkommen/templatetags/portal.py",
    "lokalwillkommen/plainforms.py",
    "consultations/row_markup.py",
    "network/card_markup.py",
    "offices/cards.py",
    "consultations/report_markup.py",
}


def test_no_safe_filter_or_mark_safe_outside_the_reviewed_list():
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in [*base.glob("*/**/*.py"), *base.glob("templates/**/*.*")]:
        relative = str(path.relative_to(base))
        if (
            relative.startswith((".venv", "tests/", "staticfiles"))
            or relative in REVIEWED_SAFE_USES
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if re.search(r"\|\s*safe\b|mark_safe\(|\|safeseq|SafeString\(", text):
            offenders.append(relative)
    assert offenders == []
