from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders.digest import send_digests
from reminders.enums import DeliveryStatus


class Command(BaseCommand):
    help = (
        "Send this period's email digest to each user who asked for one and has not had it, and retry those that "
        "failed. Run it from cron (hourly is fine): a second run in the same period sends nothing again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send at once, without waiting for DIGEST_SEND_HOUR of the day."
        )

    def handle(self, *args, now, **options):
        moment = timezone.localtime()
        if not now and moment.hour < settings.DIGEST_SEND_HOUR:
            self.stdout.write(f"Digests go out from {settings.DIGEST_SEND_HOUR:02d}:00 ({settings.TIME_ZONE}).")
            return
        outcomes = send_digests(today=moment.date())
        if outcomes[DeliveryStatus.FAILED]:
            self.stderr.write(f"{outcomes[DeliveryStatus.FAILED]} digests could not be sent; see the log.")
        self.stdout.write(
            f"{outcomes[DeliveryStatus.SENT]} sent, {outcomes[DeliveryStatus.NOTHING_DUE]} with nothing to tell, "
            f"{outcomes[DeliveryStatus.FAILED]} failed (to be retried), {outcomes[None]} already done."
        )
