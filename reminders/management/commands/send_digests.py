from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            self.stdout.write(
                _("Digests go out from %(hour)02d:00 (%(zone)s).")
                % {"hour": settings.DIGEST_SEND_HOUR, "zone": settings.TIME_ZONE}
            )
            return
        outcomes = send_digests(today=moment.date())
        failed = outcomes[DeliveryStatus.FAILED]
        if failed:
            self.stderr.write(
                ngettext(
                    "%(count)d digest could not be sent; see the log.",
                    "%(count)d digests could not be sent; see the log.",
                    failed,
                )
                % {"count": failed}
            )
        self.stdout.write(
            _(
                "%(sent)d sent, %(empty)d with nothing to tell, %(failed)d failed (to be retried), "
                "%(done)d already done."
            )
            % {
                "sent": outcomes[DeliveryStatus.SENT],
                "empty": outcomes[DeliveryStatus.NOTHING_DUE],
                "failed": failed,
                "done": outcomes[None],
            }
        )
