"""Addresses as they may appear in a log: without what people searched for and without the
tokens of signed links.

A request's address can carry personal data or a secret: the household list's search
(``?q=<a family's name>``), the signed link that lets a submitter see, change or withdraw what
they sent (``/<lang>/network/manage/<token>/``), a password reset link
(``/<lang>/accounts/password/reset/<uid>/<token>/``). Logs are kept longer and read by more
people than those pages, so every log line that names an address writes it through
``redact_url``: gunicorn's access log (``RedactingLogger``, as ``make run`` starts it), Django's
own request warnings (``RedactingFilter``) and the security log.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Query parameters whose values are never personal: filters by fixed choices and page numbers.
SAFE_PARAMETERS = frozenset(
    {
        "page", "org_page", "status", "district", "team", "need", "kind", "category",
        "language", "target_group", "show", "period", "year", "month", "quarter",
    }
)
_SECRET_PATHS = [
    re.compile(r"(/network/manage/)[^/?#]+"),
    re.compile(r"(/accounts/password/reset/)[^/?#]+/[^/?#]+"),
]


def redact_path(path: str) -> str:
    for pattern in _SECRET_PATHS:
        path = pattern.sub(lambda match: match.group(1) + REDACTED, path)
    return path


def redact_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [(key, value if key in SAFE_PARAMETERS else REDACTED) for key, value in pairs],
        safe="[]",
    )


def redact_url(url) -> str:
    """``url`` (a path with its query, or a full address) without secrets and search texts."""
    if not url or url == "-":
        return url
    parts = urlsplit(str(url))
    return urlunsplit(
        (parts.scheme, parts.netloc, redact_path(parts.path), redact_query(parts.query), "")
    )


class RedactingLogger(Logger):
    """gunicorn's logger; the request line, path, query string and referrer of each access log
    line are redacted (``gunicorn --logger-class lokalwillkommen.log_redaction.RedactingLogger``).
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        method, _uri, protocol = atoms["r"].split(" ", 2)
        atoms["r"] = f"{method} {redact_url(environ.get('RAW_URI', ''))} {protocol}"
        atoms["U"] = redact_path(atoms["U"] or "")
        atoms["q"] = redact_query(atoms["q"] or "")
        atoms["f"] = redact_url(atoms["f"])
        for key in list(atoms):
            if key in ("{referer}i", "{raw_uri}e", "{http_referer}e", "{request_uri}e"):
                atoms[key] = redact_url(atoms[key])
            elif key in ("{path_info}e", "{script_name}e"):
                atoms[key] = redact_path(atoms[key])
            elif key == "{query_string}e":
                atoms[key] = redact_query(atoms[key])
        return atoms


_ADDRESS = re.compile(r"/[^\s\"']*")


class RedactingFilter:
    """A logging filter for the lines Django writes about requests ("Not Found: /…", the
    development server's request lines): the addresses they name are redacted."""

    def filter(self, record) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _ADDRESS.sub(lambda match: redact_url(match.group(0)), arg)
                if isinstance(arg, str)
                else arg
                for arg in record.args
            )
        return True
