"""Security log entries for authentication events (logging only: no business logic)."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .security import LAST_SEEN, LOGIN_AT, log_event


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[LAST_SEEN] = time.time()
    log_event("login", request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    log_event("logout", request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    log_event("login_failed", request=request, username=credentials.get("username", ""))


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_event("lockout", request=request, username=username or "")


def connect_reference_signals() -> None:
    """Every process reads the reference rows again once they change (caching.py)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from network.models import Skill, TargetGroup
    from offices.models import Office, Team

    from .caching import reference
    from .models import District, Language

    for model in (District, Language, Team, Office, TargetGroup, Skill):
        for signal in (post_save, post_delete):
            signal.connect(
                reference.changed,
                sender=model,
                weak=False,
                dispatch_uid=f"reference-{model.__name__}-{signal is post_save}",
            )
    m2m_changed.connect(
        reference.changed,
        sender=District.neighbours.through,
        weak=False,
        dispatch_uid="reference-District-neighbours",
    )
