"""Writing the access log: every view, change and export of a household record goes through here."""

from .models import AccessLog


def log_access(*, user, action: str, subject, detail: str = "") -> AccessLog:
    """Record that ``user`` did ``action`` (an ``AccessLog.Action``) on ``subject``."""
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=(user.get_username() if user is not None and user.is_authenticated else ""),
        action=action,
        subject_type=subject._meta.model_name,
        subject_id=subject.pk,
        subject_label=str(getattr(subject, "reference", "") or subject)[:60],
        detail=detail[:200],
    )
