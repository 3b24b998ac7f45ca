"""Settings for lokal willkommen, read from environment variables only.

Every variable is listed in README.md and in .env.example.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django.conf.locale
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    value = os.environ.get(name, "").strip() or default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
# Commands that never sign anything run without a key: building files, and printing the
# demo's second-factor code.
KEYLESS_COMMANDS = {
    "makemigrations",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "demo_totp",
}
if not SECRET_KEY and not DEBUG and sys.argv[1:2] and sys.argv[1] in KEYLESS_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the portal refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Behind TLS (the production default); `make run` and `make dev` serve plain HTTP on loopback.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)

INSTALLED_APPS = [
    # Before the admin: translated columns of offices, offers and organisations.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "lokalwillkommen",
    "offices",
    "consultations",
    "network",
]

MIDDLEWARE = [
    # Outermost: the open-data API's answers are the same for every anonymous client.
    "lokalwillkommen.caching.PublicAPIHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lokalwillkommen.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lokalwillkommen.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lokalwillkommen.accounts.OTPMiddleware",
    "lokalwillkommen.security.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lokalwillkommen.urls"
WSGI_APPLICATION = "lokalwillkommen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lokalwillkommen.context_processors.portal",
            ],
        },
    },
]

# Database: a SQLite file in the project unless DATABASE_URL says otherwise (an empty value
# counts as unset: dj-database-url would pick a dummy backend that fails on every page).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The reads of lokalwillkommen/prepared.py as server-side prepared statements on PostgreSQL.
# Off (0) behind a connection pooler that cannot keep them (PgBouncer in transaction mode
# before 1.21, or without max_prepared_statements).
LW_PG_PREPARED = env_bool("LW_PG_PREPARED", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast instead of hanging when the database is away.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["default"]["TEST"] = {"NAME": env_str("DJANGO_TEST_DATABASE", "") or None}
    if not DATABASES["default"]["TEST"]["NAME"]:
        del DATABASES["default"]["TEST"]
else:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    # Every transaction takes the write lock when it begins and waits for it (up to the
    # timeout): two forms saved at the same moment then queue instead of one of them failing
    # with "database is locked" (a 503) when both try to turn a read into a write.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# Cache: Redis when REDIS_URL is set (shared by several app servers), else process memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lokalwillkommen.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lw",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the account with its roles, teams and second-factor
    # devices in one query (accounts.py).
    "lokalwillkommen.accounts.RolesModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-dashboard"
LOGOUT_REDIRECT_URL = "home"

# Sessions: in the database, so every app server sees them (Django's engine, its read prepared
# once: lokalwillkommen/sessions.py); with Redis, read through it (written to both), so a
# request does not wait for the database to learn who is asking.
SESSION_ENGINE = "lokalwillkommen.sessions"
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login lockout (django-axes): five failures lock the user name from that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address is taken from X-Forwarded-For only behind a trusted reverse proxy
# (lokalwillkommen.security.client_address); lockouts and rate limits count by it.
LW_TRUSTED_PROXY_COUNT = int(env_str("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = LW_TRUSTED_PROXY_COUNT or None
AXES_CLIENT_IP_CALLABLE = "lokalwillkommen.security.client_address"
AXES_SENSITIVE_PARAMETERS = ["password", "code", "token"]
OTP_TOTP_ISSUER = "lokal willkommen"
CSRF_FAILURE_VIEW = "lokalwillkommen.views.csrf_failure"

LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("fa", _("Persian")),
    ("tr", _("Turkish")),
    ("ru", _("Russian")),
    ("ti", _("Tigrinya")),
]
# Django knows no Tigrinya: its name, direction and the formats of dates (no month names,
# as Django has no Tigrinya catalogue: lokalwillkommen/formats/ti/).
LANG_INFO = {
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
}
django.conf.locale.LANG_INFO.update(LANG_INFO)
FORMAT_MODULE_PATH = ["lokalwillkommen.formats"]
# Texts people type in (offices, offers, organisations) are kept in four languages, in
# columns of the same row (django-modeltranslation). A page in another interface language
# shows English where there is an English text, else the German one (network/translated.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_LANGUAGES = ("de", "en", "ar", "uk")
# A model instance's ``offer.title`` (e-mails, staff pages) falls back through every column.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("de", "en", "ar", "uk")}
MODELTRANSLATION_AUTO_POPULATE = False
LOCALE_PATHS = [
    BASE_DIR / "offices" / "locale",
    BASE_DIR / "consultations" / "locale",
    BASE_DIR / "network" / "locale",
    BASE_DIR / "locale",
]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: SMTP when DJANGO_EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env_str("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "lokal willkommen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who receives notifications of new submissions (comma-separated addresses).
COORDINATOR_EMAILS = env_list("LW_COORDINATOR_EMAILS")

# Retention (lokalwillkommen/retention.py, applied by `manage.py apply_retention`): households
# closed, or open without activity, are anonymised after this many months, and notes of
# anonymous consultations are emptied …
LW_RETENTION_MONTHS = int(env_str("LW_RETENTION_MONTHS", "24"))
# … volunteer registrations and suggestions are deleted this long after their last change …
LW_VOLUNTEER_RETENTION_MONTHS = int(env_str("LW_VOLUNTEER_RETENTION_MONTHS", "24"))
LW_SUGGESTION_RETENTION_MONTHS = int(env_str("LW_SUGGESTION_RETENTION_MONTHS", "12"))
# … submitters' e-mail addresses are removed (and rejected submissions deleted) …
LW_SUBMITTER_RETENTION_MONTHS = int(env_str("LW_SUBMITTER_RETENTION_MONTHS", "12"))
# … login records (django-axes) are deleted after this many days …
LW_LOGIN_RECORD_RETENTION_DAYS = int(env_str("LW_LOGIN_RECORD_RETENTION_DAYS", "90"))
# … and entries of the access log after this many months.
LW_ACCESS_LOG_RETENTION_MONTHS = int(env_str("LW_ACCESS_LOG_RETENTION_MONTHS", "24"))
# A newly moved-in household is visited for the first time within this many days of its
# move-in date (the dashboard and household list mark it due and then overdue).
LW_FIRST_VISIT_DAYS = int(env_str("LW_FIRST_VISIT_DAYS", "14"))
# Contact shown in the imprint, privacy notice and accessibility statement.
LW_CONTACT_EMAIL = env_str("LW_CONTACT_EMAIL", "lokalwillkommen@example.org")
# Public forms: at most COUNT posts per address and form in SECONDS ("COUNT/SECONDS").
_rate_limit = env_str("LW_NETWORK_RATE_LIMIT", "10/3600").split("/")
NETWORK_RATE_LIMIT = (int(_rate_limit[0]), int(_rate_limit[1]))
# How often (seconds) a process checks whether districts, languages, teams, target groups or
# skills changed (lokalwillkommen/caching.py).
LW_REFERENCE_CHECK_SECONDS = float(env_str("LW_REFERENCE_CHECK_SECONDS", "5"))
# Open data (the HSDS API under /api/hsds/): the publisher named in it and in the DCAT-AP.de
# description, and at most COUNT requests per client address in SECONDS ("COUNT/SECONDS").
LW_OPEN_DATA_PUBLISHER = env_str("LW_OPEN_DATA_PUBLISHER", "lokal willkommen")
_api_rate_limit = env_str("LW_API_RATE_LIMIT", "120/60").split("/")
API_RATE_LIMIT = (int(_api_rate_limit[0]), int(_api_rate_limit[1]))
# Password reset: at most COUNT requests per client address, and COUNT e-mails per account,
# in SECONDS ("COUNT/SECONDS").
_reset_limit = env_str("LW_PASSWORD_RESET_RATE_LIMIT", "5/3600").split("/")
LW_PASSWORD_RESET_RATE_LIMIT = (int(_reset_limit[0]), int(_reset_limit[1]))
# The address of the portal as residents and partners reach it, for links in e-mails sent
# without a request (the yearly confirmation of offers, sent from cron).
LW_BASE_URL = env_str("LW_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Partners confirm each published offer once a year (days); the request goes out this many
# days before, and an offer not confirmed by then expires, with a notice.
LW_OFFER_CONFIRM_DAYS = int(env_str("LW_OFFER_CONFIRM_DAYS", "365"))
LW_OFFER_CONFIRM_NOTICE_DAYS = int(env_str("LW_OFFER_CONFIRM_NOTICE_DAYS", "30"))
# Only for `make bench`: a view at /bench/floor that does nothing but answer.
LW_BENCH_FLOOR = env_bool("LW_BENCH_FLOOR", False)

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "security": {"format": "security %(message)s"},
    },
    # Addresses in log lines lose search texts and the tokens of signed links
    # (lokalwillkommen/log_redaction.py).
    "filters": {"redact": {"()": "lokalwillkommen.log_redaction.RedactingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        },
        "security": {"class": "logging.StreamHandler", "formatter": "security"},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The security log: one JSON object per line (see lokalwillkommen/security.py).
        "lokalwillkommen.security": {
            "handlers": ["security"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
