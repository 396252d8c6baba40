from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from cases import visibility
from cases.models import VisiblePerson


class Command(BaseCommand):
    help = (
        "Recompute who may see whom (the table behind every non-administrator's lists) from the teams and cases, "
        "e.g. after records were written in bulk without the application."
    )

    def handle(self, *args, **options):
        visibility.rebuild()
        count = VisiblePerson.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Rebuilt who may see whom: %(count)d pair of a user and a person.",
                    "Rebuilt who may see whom: %(count)d pairs of a user and a person.",
                    count,
                )
                % {"count": count}
            )
        )
