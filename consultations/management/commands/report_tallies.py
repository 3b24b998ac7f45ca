"""Check or rebuild the report's monthly counts of consultations (consultations/tallies.py).

They follow every change made through the portal; after changes made around it (SQL by
hand, a partial restore), ``--check`` lists the months that differ from the records and
``--rebuild`` counts every month again."""

from django.core.management.base import BaseCommand, CommandError

from consultations import tallies


class Command(BaseCommand):
    help = (
        "Check (--check, the default) the report's monthly counts of consultations against "
        "the records, or count them again (--rebuild)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--check", action="store_true", help="list differences (default)")
        group.add_argument("--rebuild", action="store_true", help="count every month again")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            rows = tallies.rebuild()
            self.stdout.write(f"Monthly counts rebuilt: {rows} rows.")
            return
        differences = tallies.drift()
        for (month, dimension, value), (stored, counted) in differences.items():
            self.stdout.write(
                f"{month:%Y-%m} {dimension} {value or '-'}: stored {stored}, records {counted}"
            )
        if differences:
            raise CommandError(
                f"{len(differences)} monthly count(s) differ from the records; "
                "run report_tallies --rebuild."
            )
        self.stdout.write("Monthly counts agree with the records.")
