from django.core.management.base import BaseCommand

from network.services import offers_expire


class Command(BaseCommand):
    help = "Mark published offers whose validity has ended as expired (run daily from cron)."

    def handle(self, *args, **options):
        count = offers_expire()
        self.stdout.write(f"{count} offer(s) expired.")
