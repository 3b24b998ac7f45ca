"""Writing the access log: every view, change and export of a household record, every view
of other people's data (in the portal and in the Django admin) and every search for it go
through here. A search is logged with where and in which fields it looked, never with what
was typed: the log must not become a list of names."""

from collections.abc import Iterable
from functools import wraps

from .models import AccessLog
from .security import log_event

SECURITY_RELEVANT = {AccessLog.Action.EXPORT, AccessLog.Action.ERASE}


def _who(user) -> tuple:
    if user is not None and user.is_authenticated:
        return user, user.get_username()
    return None, ""


def subject_label(subject) -> str:
    """A household's pseudonymous reference; for other records their kind and number, never
    a name."""
    reference = getattr(subject, "reference", "")
    if reference:
        return str(reference)[:60]
    return f"{subject._meta.model_name} {subject.pk}"[:60]


def log_access(*, user, action: str, subject, detail: str = "") -> AccessLog:
    """Record that ``user`` did ``action`` (an ``AccessLog.Action``) on ``subject``.

    Exports and erasures also go to the security log."""
    if action in SECURITY_RELEVANT:
        log_event(
            str(action),
            user=user if user is not None and user.is_authenticated else None,
            record=f"{subject._meta.model_name}:{subject.pk}",
        )
    user, username = _who(user)
    return AccessLog.objects.create(
        user=user,
        username=username,
        action=action,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        subject_label=subject_label(subject),
        detail=detail[:200],
    )


def log_list(*, user, subject_type: str, where: str, count: int) -> AccessLog:
    """A page listing other people's data (``count`` entries on it) was viewed."""
    user, username = _who(user)
    return AccessLog.objects.create(
        user=user,
        username=username,
        action=AccessLog.Action.VIEW,
        subject_type=subject_type,
        subject_label=where[:60],
        detail=f"list: {count} entries"[:200],
    )


def log_search(*, user, subject_type: str, where: str, fields: Iterable[str]) -> AccessLog:
    """A search for people's data: where, and in which fields; never the search text."""
    user, username = _who(user)
    return AccessLog.objects.create(
        user=user,
        username=username,
        action=AccessLog.Action.SEARCH,
        subject_type=subject_type,
        subject_label=where[:60],
        detail=("searched in: " + ", ".join(fields))[:200],
    )


def logs_searches(subject_type: str, *, params: Iterable[str] = ("q",), where: str = ""):
    """Decorate a list view (inside its role check): a GET with any of ``params`` filled in is
    logged as a search (``log_search``), before anything (a cache) can answer it."""
    params = tuple(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            used = [name for name in params if request.GET.get(name, "").strip()]
            if used and request.method in ("GET", "HEAD"):
                log_search(
                    user=request.user,
                    subject_type=subject_type,
                    where=where or view.__name__,
                    fields=used,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
