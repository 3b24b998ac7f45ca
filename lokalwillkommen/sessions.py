"""Django's database sessions, with the session read as a prepared query
(``lokalwillkommen/prepared.py``): every signed-in request reads its session, and compiling
that one query cost more than running it. Everything else is Django's ``db`` engine."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from .prepared import Param, Prepared

_SESSION = Prepared(
    lambda: Session.objects.filter(
        session_key=Param("key", models.CharField()),
        expire_date__gt=Param("now", models.DateTimeField()),
    ).values_list("session_data", "expire_date")[:1]
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        found = _SESSION.first(key=key, now=timezone.now()) if key else None
        if found is None:
            self._session_key = None
            return None
        data, expire_date = found
        return self.model(session_key=key, session_data=data, expire_date=expire_date)
