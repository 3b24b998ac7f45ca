from django.core.management.base import BaseCommand

from network import search


class Command(BaseCommand):
    help = (
        "Write every offer's and organisation's search document anew (after a change of the "
        "synonym table, or of a translation of a category or target group)."
    )

    def handle(self, *args, **options):
        organisations, offers = search.rebuild()
        search.merge_index()
        self.stdout.write(
            f"Search documents written: {organisations} organisations, {offers} offers."
        )
