"""Log in through the real pages: password, then the second factor (set up on first login)."""

import base64

from django_otp.oath import TOTP

from tests.e2e.axe import assert_accessible


def code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def log_in(page, live_server, username: str, password: str, next_url: str = "/de/staff/"):
    """Returns the secret of the authenticator app set up on the way (first login)."""
    page.goto(f"{live_server.url}/de/accounts/login/?next={next_url}")
    assert_accessible(page, "login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/second-factor/**")
    secret = page.locator("main code").inner_text().strip()
    assert page.locator("main img[src^='data:image/svg+xml']").is_visible()
    assert_accessible(page, "second factor set-up")
    page.fill("#id_code", code_from_secret(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("main ul.font-monospace li")
    assert_accessible(page, "recovery codes")
    page.locator("main a.btn-primary").click()
    page.wait_for_url(f"**{next_url}")
    return secret


def sign_in(page, live_server, user):
    """Sign in by handing the browser a session that has passed both factors (for journeys
    that are not about logging in)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="browser test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
