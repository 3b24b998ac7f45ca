"""Apply every retention period (see lokalwillkommen/retention.py). Safe to run every night
from cron: running it twice changes nothing the second time."""

from django.core.management.base import BaseCommand

from lokalwillkommen.retention import apply_retention, periods


class Command(BaseCommand):
    help = (
        "Anonymise households and delete or empty volunteers, suggestions, submitters' e-mail "
        "addresses, notes of anonymous consultations, login records and old access log "
        "entries once their retention period is over."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        done = apply_retention(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        for step, count in done.items():
            self.stdout.write(f"{count} {step}" + (" (dry run)" if dry_run else ""))
        self.stdout.write(f"Retention applied ({verb} changed as above): {periods()}.")
