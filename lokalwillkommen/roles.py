"""Roles and the one place that decides which households a user may see.

Groups: ``staff`` and ``coordinator``; superusers count as coordinators.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

STAFF = "staff"
COORDINATOR = "coordinator"
ROLE_GROUPS = (STAFF, COORDINATOR)


def _group_names(user) -> frozenset[str]:
    """The user's groups (read with the account by ``accounts.RolesModelBackend``; with a
    query for a user object from elsewhere)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lw_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._lw_group_names = cached
    return cached


def is_coordinator(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or COORDINATOR in _group_names(user)))


def is_staff_member(user) -> bool:
    """Staff or coordinator: may enter the staff area."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or not _group_names(user).isdisjoint(ROLE_GROUPS))
    )


def team_ids(user) -> frozenset[int]:
    """The teams a user works in."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lw_team_ids", None)
    if cached is None:
        cached = frozenset(user.teams.values_list("id", flat=True))
        user._lw_team_ids = cached
    return cached


def _role_required(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _role_required(is_staff_member)
coordinator_required = _role_required(is_coordinator)
