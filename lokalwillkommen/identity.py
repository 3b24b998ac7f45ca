"""Who is asking, without three database queries on every staff request.

Every request of a logged-in user needs the account (is it active, does the session still match
its password), its second-factor device, its groups and its teams. Read from the database,
that is four queries per request before a page does any work of its own. Here they are kept in
the shared cache (Redis when ``REDIS_URL`` is set, so every app server sees the same entries and
the same invalidations) for at most ``IDENTITY_TTL`` seconds:

- ``CachedModelBackend`` loads the account with its group names, team ids and confirmed
  second-factor devices prefetched, and keeps that copy;
- ``CachedOTPMiddleware`` finds the device a session was verified with among those devices.

So a staff request asks the cache twice (session, account) instead of the database four times.

Invalidation: any save or deletion of an account or of one of its devices, and any change to
an account's groups or teams, starts a new version of the account's entry at once (signals
below), so deactivating an account, changing its password, removing it from a group or a team,
or removing its device takes effect on its next request, on every app server. A copy is stored
with the version read before the database was, so a request racing with such a change cannot
leave the old account behind. Changes that bypass the signals (``QuerySet.update`` in a shell)
show once the entry expires.

Only a cache shared by every process is used: with the per-process memory cache one worker could
not invalidate another's entries, so without Redis every request reads the database, as before
(unless ``LW_IDENTITY_CACHE`` says otherwise, as in the tests).
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.middleware import OTPMiddleware

from .public_cache import bump_version, lookup, shared_cache

logger = logging.getLogger(__name__)

IDENTITY_TTL = 300
_USER_KEY = "identity:user:{}"
_VERSION_KEY = "identity:user-version:{}"
DEVICES_ATTRIBUTE = "_lw_confirmed_devices"


def enabled() -> bool:
    return shared_cache("LW_IDENTITY_CACHE")


def forget_user(user_id) -> None:
    """Start a new version of the account's cached copy (and so of its groups, teams and
    devices), now and again after the commit, as the page caches do. A copy is stored with
    the version read *before* the account was read from the database and served only while
    that version is current, so a request that read the old rows cannot leave them cached.

    While Redis cannot be reached the change itself goes through (logged): nothing is cached
    then, and a copy stored before the outage expires within ``IDENTITY_TTL``."""
    if enabled():
        bump_version(_VERSION_KEY.format(user_id))


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend; ``get_user`` is served from the shared cache when it can be."""

    def get_user(self, user_id):
        if not enabled():
            return super().get_user(user_id)
        key = _USER_KEY.format(user_id)
        # One round trip: the current version and the copy, served only if they match.
        try:
            version, hit = lookup(key, _VERSION_KEY.format(user_id))
        except Exception:  # noqa: BLE001 - without the cache, read the database as usual
            logger.warning("identity cache unavailable", exc_info=True)
            return super().get_user(user_id)
        if hit is not None:
            return hit[0]
        user = super().get_user(user_id)
        if user is None:
            return None
        from .roles import prefetch_roles

        prefetch_roles(user)
        setattr(
            user,
            DEVICES_ATTRIBUTE,
            {d.persistent_id: d for d in devices_for_user(user, confirmed=True)},
        )
        cache.set(key, (version, user), IDENTITY_TTL)
        return user


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware; the device a session was verified with is looked up among the
    confirmed devices the cached account carries, not in the database."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, DEVICES_ATTRIBUTE, None)  # loads the (lazy) account
        if devices is None:  # anonymous, or the identity cache is off
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = None
        if persistent_id:
            device = devices.get(self._normalize_persistent_id(persistent_id))
        user.otp_device = self._finalize_device(request, user, device)
        return user


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves this; nothing a request decides depends on it
    forget_user(instance.pk)


def _device_changed(sender, instance, **kwargs):
    forget_user(instance.user_id)


def _memberships_changed(sender, instance, action, pk_set, **kwargs):
    User = get_user_model()
    if isinstance(instance, User):
        if action.startswith("post_"):
            forget_user(instance.pk)
        return
    # From the group's or team's side: pk_set holds the users; a clear names none, so the
    # members are read before it.
    if action == "pre_clear":
        field = type(instance)._meta.model_name
        pk_set = sender.objects.filter(**{field: instance}).values_list("user_id", flat=True)
    elif not action.startswith("post_"):
        return
    for pk in pk_set or ():
        forget_user(pk)


def connect_signals() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from offices.models import Team

    User = get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="identity-user-saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="identity-user-deleted")
    for device_model in (TOTPDevice, StaticDevice):
        name = device_model.__name__
        post_save.connect(_device_changed, sender=device_model, dispatch_uid=f"identity-{name}-s")
        post_delete.connect(_device_changed, sender=device_model, dispatch_uid=f"identity-{name}-d")
    for through in (User.groups.through, Team.members.through):
        m2m_changed.connect(
            _memberships_changed, sender=through, dispatch_uid=f"identity-{through.__name__}"
        )
