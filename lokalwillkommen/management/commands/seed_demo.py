"""Load the demo data set. Running it twice changes nothing.

Each app contributes its part through a ``demo.load(stdout=...)`` function; this command
runs them in order and prints the demo logins.
"""

import base64
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from lokalwillkommen.caching import reference
from lokalwillkommen.reference import ensure_reference_data

DEMO_ACCOUNTS = {
    # user name: (password, group, team slugs)
    "staff": ("lokal-willkommen-staff", "staff", ["eving-scharnhorst"]),
    "coordinator": ("lokal-willkommen-coordinator", "coordinator", []),
}
APPS_IN_ORDER = ("offices", "network", "consultations")
# The demo accounts' second factor (hex of the base32 secret below). Demo only.
DEMO_DEVICE_NAME = "demo"
DEMO_TOTP_SECRET = "LOKALWILLKOMMENDEMO2FA7Q"
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="also create a city-sized data set: about SCALE households (for benchmarks)",
        )

    def handle(self, *args, scale=0, **options):
        with transaction.atomic():
            ensure_reference_data()
            for app in APPS_IN_ORDER:
                module = _demo_module(app)
                if module is not None:
                    module.load(stdout=self.stdout)
            create_demo_accounts()
        if scale:
            for app in APPS_IN_ORDER:
                module = _demo_module(app)
                if module is not None and hasattr(module, "load_scale"):
                    module.load_scale(scale=scale, stdout=self.stdout)
            # Fresh planner statistics: without them PostgreSQL guesses a handful of rows per
            # team after a bulk load and picks plans that are a hundred times slower, until
            # autovacuum gets round to it.
            analyze_tables()
        # The data set is written with bulk_create, which sends no signals: every process
        # reads the districts, languages and teams again.
        reference.changed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (only in the demo):")
        for username, (password, group, _teams) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {group:12} user {username!r:15} password {password!r}")
        self.stdout.write(
            "Second factor of both demo accounts: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or print the current code with\n"
            "  .venv/bin/python manage.py demo_totp staff"
        )


def analyze_tables() -> None:
    """Planner statistics (and, outside a transaction on PostgreSQL, the visibility map) for
    every table, so that neither slow plans nor autovacuum catching up follow a bulk load."""
    from django.apps import apps
    from django.db import connection

    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(t) for t in tables)
            if connection.in_atomic_block:  # VACUUM cannot run in a transaction (the tests)
                cursor.execute(f"ANALYZE {names}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {names}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def _demo_module(app: str):
    try:
        return import_module(f"{app}.demo")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.demo":
            raise
        return None


def create_demo_accounts() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from offices.models import Team

    User = get_user_model()
    for username, (password, group_name, team_slugs) in DEMO_ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        for team in Team.objects.filter(slug__in=team_slugs):
            team.members.add(user)
        # A fixed second factor, only in the demo: `manage.py demo_totp USER` prints the code.
        TOTPDevice.objects.update_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
