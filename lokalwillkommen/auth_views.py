"""Login's second step and the set-up of the second factor."""

import logging
import smtplib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from . import account_changes, second_factor
from .bidi import isolate
from .roles import ROLE_GROUPS, coordinator_required
from .security import client_address, limit_exceeded, log_event

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _continue(request):
    return redirect(_next_url(request) or "staff-dashboard")


@never_cache
@login_required
def otp_verify(request):
    """Ask for the code from the authenticator app (or a recovery code)."""
    if request.user.is_verified():
        return _continue(request)
    if second_factor.confirmed_totp(request.user) is None:
        setup = redirect("otp-setup")
        if _next_url(request):
            setup["Location"] += f"?next={request.GET.get('next', '')}"
        return setup
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            log_event("second_factor_ok", request=request, device=device.__class__.__name__)
            return _continue(request)
        log_event("second_factor_failed", request=request)
        form.add_error(
            "code", _("This code is not valid. Codes work once and only for a short time.")
        )
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
def otp_setup(request):
    """First login: connect an authenticator app by QR code, confirm with a code."""
    if second_factor.confirmed_totp(request.user) is not None and not request.user.is_verified():
        return redirect("otp-verify")
    device = second_factor.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_totp(
            user=request.user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            log_event("second_factor_set_up", request=request)
            return render(
                request,
                "registration/otp_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code", _("This code is not valid. Check the time on your phone and try the new code.")
        )
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.base32_secret(device),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
@require_POST
def otp_recovery_codes(request):
    """New recovery codes (the old ones stop working); needs the second factor."""
    if not request.user.is_verified():
        return redirect("otp-verify")
    codes = second_factor.new_recovery_codes(user=request.user)
    log_event("recovery_codes_renewed", request=request)
    return render(request, "registration/otp_recovery_codes.html", {"codes": codes, "next": ""})


def _reset_limit() -> tuple[int, int]:
    return getattr(settings, "LW_PASSWORD_RESET_RATE_LIMIT", (5, 3600))


@never_cache
@login_required
def account_security(request):
    """The account's own page: password, second factor, recovery codes, a lost device. (The
    second factor is asked for before it opens.)"""
    return render(
        request,
        "registration/account_security.html",
        {
            "has_app": second_factor.confirmed_totp(request.user) is not None,
            "codes_left": second_factor.recovery_codes_left(request.user),
        },
    )


@never_cache
@login_required
@require_POST
def otp_lost(request):
    """The device with the app is lost: the app and the recovery codes stop working, and the
    account sets up a new app at once. Needs the second factor (a recovery code will do), so
    that the password alone can never replace it."""
    if not request.user.is_verified():
        return redirect("otp-verify")
    account_changes.second_factor_lost(user=request.user, request=request)
    messages.success(
        request,
        _("The lost device no longer works for your account. Set up the app on your new phone."),
    )
    return redirect("otp-setup")


def _resettable_accounts(coordinator):
    User = get_user_model()
    accounts_ = (
        User.objects.filter(is_active=True, groups__name__in=ROLE_GROUPS)
        .distinct()
        .order_by("username")
    )
    if not coordinator.is_superuser:
        accounts_ = accounts_.exclude(is_superuser=True)
    return accounts_.exclude(pk=coordinator.pk)


@never_cache
@coordinator_required
def staff_accounts(request):
    """Coordinators: the staff accounts, with the state of their second factor, and the reset
    for an account whose phone and recovery codes are lost."""
    rows = [
        {
            "account": account,
            "has_app": second_factor.confirmed_totp(account) is not None,
            "codes_left": second_factor.recovery_codes_left(account),
        }
        for account in _resettable_accounts(request.user)
    ]
    return render(request, "registration/staff_accounts.html", {"rows": rows})


@require_POST
@coordinator_required
def staff_account_reset_second_factor(request, pk):
    account = get_object_or_404(_resettable_accounts(request.user), pk=pk)
    if request.POST.get("confirm") != account.get_username():
        messages.error(request, _("Type the user name to confirm the reset."))
        return redirect("staff-accounts")
    account_changes.second_factor_reset(user=account, by=request.user, request=request)
    messages.success(
        request,
        _(
            "The second factor of %(name)s is reset: at the next login with the password a new "
            "app is set up. %(name)s has been told by e-mail."
        )
        % {"name": isolate(account.get_username())},
    )
    return redirect("staff-accounts")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form; a mail server that is away is logged instead of answering 500 (the
    page says the same whether or not an account exists, so nothing is revealed). Each account
    gets at most ``LW_PASSWORD_RESET_RATE_LIMIT`` reset e-mails in its window, however many
    addresses ask for them; the page looks the same when one is held back."""

    request = None

    def get_users(self, email):
        limit, window = _reset_limit()
        for user in super().get_users(email):
            if limit_exceeded(f"password-reset:account:{user.pk}", limit=limit, window=window):
                log_event("password_reset_limited", request=self.request, user=user)
                continue
            log_event("password_reset_requested", request=self.request, user=user)
            yield user

    def send_mail(self, *args, **kwargs):
        try:
            super().send_mail(*args, **kwargs)
        except (OSError, smtplib.SMTPException):
            logger.exception("password reset e-mail could not be sent")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with at most ``LW_PASSWORD_RESET_RATE_LIMIT`` requests per client
    address (the form is shown again with a message and 429) and per account (see the
    form)."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        limit, window = _reset_limit()
        key = f"password-reset:address:{client_address(request)}"
        if limit_exceeded(key, limit=limit, window=window):
            log_event("password_reset_limited", request=request)
            context = self.get_context_data(form=self.form_class(), rate_limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.request = self.request
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (the old password, then the new one twice; the second factor is asked
    for before the page opens); the change is logged and e-mailed to the account holder."""

    def form_valid(self, form):
        response = super().form_valid(form)
        account_changes.password_changed(user=form.user, how="change", request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view behind the link from the reset e-mail; the new password is logged and
    e-mailed to the account holder."""

    def form_valid(self, form):
        response = super().form_valid(form)
        account_changes.password_changed(user=form.user, how="reset", request=self.request)
        return response
