"""Anonymise households past the retention period (closed ones, and open ones without any
activity). Part of `apply_retention`, which runs every retention period; safe to run again:
running it twice changes nothing the second time."""

from django.conf import settings
from django.core.management.base import BaseCommand

from consultations.services import anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise households closed, or without any activity, for longer than "
        "LW_RETENTION_MONTHS: personal fields and free-text notes are removed, counts and "
        "categories stay. (apply_retention does this and every other retention period.)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be anonymised"
        )

    def handle(self, *args, dry_run=False, **options):
        months = getattr(settings, "LW_RETENTION_MONTHS", 24)
        references = anonymise_expired(dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        for reference in references:
            self.stdout.write(f"{reference} {verb}")
        self.stdout.write(
            f"{len(references)} household(s) {verb} (retention {months} months)."
        )
