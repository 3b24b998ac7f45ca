"""Who is asking, in one query after the session.

Every request of a signed-in user needs the account (active? does the session still match its
password?), whether it is in the ``staff`` or ``coordinator`` group, its teams, and the
second-factor device the session was verified with. Django and django-otp read these with four
queries; ``RolesModelBackend.get_user`` reads them with one (the account row with the roles,
team ids and confirmed devices as subqueries), and ``OTPMiddleware`` finds the session's device
among those devices. Nothing is cached: a deactivation, a new password, a removed group, team or
device takes effect on the very next request.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Aggregate, CharField, Exists, OuterRef, Subquery
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .prepared import Param, Prepared, instance, model_columns
from .roles import COORDINATOR, STAFF

DEVICE_MODELS = (TOTPDevice, StaticDevice)
DEVICES_ATTRIBUTE = "_lw_confirmed_devices"


class _IdList(Aggregate):
    """The values of a column joined with commas (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def _ids(queryset, column: str) -> Subquery:
    """A subquery: the ``column`` values of ``queryset``'s rows for the outer user, as "1,2"."""
    return Subquery(
        queryset.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(ids=_IdList(column))
        .values("ids")
    )


def _parse_ids(value: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (value or "").split(",") if part)


@lru_cache(maxsize=1)
def _accounts_with_roles():
    """The account queryset with the roles, teams and devices as subqueries. Built once per
    process (resolving the subqueries costs more than running them) and filtered per request;
    the queryset itself is never evaluated."""
    from offices.models import Team

    User = get_user_model()
    memberships = Group.objects.filter(user=OuterRef("pk"))
    return User._default_manager.annotate(
        lw_staff=Exists(memberships.filter(name=STAFF)),
        lw_coordinator=Exists(memberships.filter(name=COORDINATOR)),
        lw_teams=_ids(Team.members.through.objects.all(), "team_id"),
        **{
            f"lw_devices_{model._meta.model_name}": _ids(model.objects.filter(confirmed=True), "id")
            for model in DEVICE_MODELS
        },
    )


_ANNOTATIONS = ("lw_staff", "lw_coordinator", "lw_teams") + tuple(
    f"lw_devices_{model._meta.model_name}" for model in DEVICE_MODELS
)


# The read itself, compiled once per process (lokalwillkommen/prepared.py).
_ACCOUNT = Prepared(
    lambda: (
        _accounts_with_roles()
        .filter(pk=Param("id", models.BigIntegerField()))
        .values_list(*model_columns(get_user_model()), *_ANNOTATIONS)[:1]
    )
)


def account_with_roles(user_id):
    """The account with what every request asks of it, in one query (None if not found)."""
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    found = _ACCOUNT.first(id=user_id)
    if found is None:
        return None
    user = instance(get_user_model(), found)
    for name, value in zip(_ANNOTATIONS, found[-len(_ANNOTATIONS) :], strict=True):
        setattr(user, name, value)
    user._lw_group_names = frozenset(
        name
        for name, member in ((STAFF, user.lw_staff), (COORDINATOR, user.lw_coordinator))
        if member
    )
    user._lw_team_ids = _parse_ids(user.lw_teams)
    devices = {}
    for model in DEVICE_MODELS:
        for pk in _parse_ids(getattr(user, f"lw_devices_{model._meta.model_name}")):
            # The device with the fields known from the query; the others load when read.
            device = model.from_db(
                user._state.db, ["id", "user_id", "confirmed"], [pk, user.pk, True]
            )
            devices[device.persistent_id] = device
    setattr(user, DEVICES_ATTRIBUTE, devices)
    return user


class RolesModelBackend(ModelBackend):
    """Django's ModelBackend; ``get_user`` reads the account with its roles, teams and
    devices in one query."""

    def get_user(self, user_id):
        user = account_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware; the session's device is looked up among the confirmed devices
    read with the account, not with a query of its own."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, DEVICES_ATTRIBUTE, None)  # evaluates the lazy user
        if devices is None:  # anonymous, or signed in through another backend
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = None
        if persistent_id:
            device = devices.get(self._normalize_persistent_id(persistent_id))
        user.otp_device = self._finalize_device(request, user, device)
        return user
