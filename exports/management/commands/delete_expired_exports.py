from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from exports.services import delete_expired_downloads


class Command(BaseCommand):
    help = (
        "Delete bulk export ZIPs older than EXPORT_DOWNLOAD_HOURS (their export records stay). "
        "The worker and the download pages also do it; run this from cron so nothing lingers while they are idle."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_downloads()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Deleted %(count)d expired bulk export file.",
                    "Deleted %(count)d expired bulk export files.",
                    deleted,
                )
                % {"count": deleted}
            )
        )
