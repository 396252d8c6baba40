from django.core.management.base import BaseCommand

from cases import visibility
from cases.models import VisiblePerson


class Command(BaseCommand):
    help = (
        "Recompute who may see whom (the table behind every non-administrator's lists) from the teams and cases, "
        "e.g. after records were written in bulk without the application."
    )

    def handle(self, *args, **options):
        visibility.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt who may see whom: {VisiblePerson.objects.count()} pairs."))
