"""Writing the access log: every view, change and export of a household record goes through here."""

from .models import AccessLog
from .security import log_event

SECURITY_RELEVANT = {AccessLog.Action.EXPORT, AccessLog.Action.ERASE}


def log_access(*, user, action: str, subject, detail: str = "") -> AccessLog:
    """Record that ``user`` did ``action`` (an ``AccessLog.Action``) on ``subject``.

    Exports and erasures also go to the security log."""
    if action in SECURITY_RELEVANT:
        log_event(
            str(action),
            user=user if user is not None and user.is_authenticated else None,
            record=f"{subject._meta.model_name}:{subject.pk}",
        )
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=(user.get_username() if user is not None and user.is_authenticated else ""),
        action=action,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        subject_label=str(getattr(subject, "reference", "") or subject)[:60],
        detail=detail[:200],
    )
