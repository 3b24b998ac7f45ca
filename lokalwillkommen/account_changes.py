"""Changes to the security of a staff account: a new password, a lost device, a second factor
reset by a coordinator. Each is written to the security log and e-mailed to the account
holder, so that a change they did not make does not go unnoticed. The e-mails carry no text
that anybody typed into a form: only the account's user name, the time and what happened."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import second_factor
from .security import log_event

logger = logging.getLogger(__name__)


def send_account_mail(*, user, template: str, context: dict | None = None) -> None:
    """Plain text from registration/email/<template>.txt to the account's own address."""
    if not user.email:
        return
    context = {
        "username": user.get_username(),
        "when": timezone.localtime(),
        **(context or {}),
    }
    subject = " ".join(
        render_to_string(f"registration/email/{template}_subject.txt", context).split()
    )
    body = render_to_string(f"registration/email/{template}.txt", context)
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    except (OSError, smtplib.SMTPException):
        # The change itself is made and logged; a mail server that is away must not undo it.
        logger.exception("account e-mail %s could not be sent", template)


def password_changed(*, user, how: str, request=None) -> None:
    """After a password change (``how``: "change", "reset" or "admin")."""
    log_event("password_changed", request=request, user=user, how=how)
    send_account_mail(user=user, template="password_changed")


@transaction.atomic
def second_factor_lost(*, user, request=None) -> None:
    """The account holder reports their authenticator device lost (signed in with a recovery
    code): the app and the recovery codes stop working; the next login sets up a new app."""
    second_factor.remove_second_factor(user=user)
    log_event("second_factor_lost", request=request, user=user)
    transaction.on_commit(
        lambda: send_account_mail(user=user, template="second_factor_lost")
    )


@transaction.atomic
def second_factor_reset(*, user, by, request=None) -> None:
    """A coordinator resets ``user``'s second factor (a lost phone and no recovery code): the
    next login with the password sets up a new app."""
    second_factor.remove_second_factor(user=user)
    log_event(
        "second_factor_reset",
        request=request,
        user=by,
        account=user.get_username(),
    )
    transaction.on_commit(
        lambda: send_account_mail(
            user=user, template="second_factor_reset", context={"by": by.get_username()}
        )
    )
