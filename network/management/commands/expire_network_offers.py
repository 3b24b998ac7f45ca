from django.core.management.base import BaseCommand

from network.services import offers_expire, offers_expire_unconfirmed, offers_request_confirmation


class Command(BaseCommand):
    help = (
        "Run daily from cron: expire offers whose validity has ended, ask for the yearly "
        "confirmation of offers that are due, and expire offers whose confirmation is overdue."
    )

    def handle(self, *args, **options):
        expired = offers_expire()
        asked = offers_request_confirmation()
        unconfirmed = offers_expire_unconfirmed()
        self.stdout.write(
            f"{expired} offer(s) expired at the end of their validity; confirmation asked for "
            f"{asked}; {unconfirmed} expired without confirmation."
        )
