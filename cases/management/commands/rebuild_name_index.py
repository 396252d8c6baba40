from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import ngettext

from cases.models import Person
from cases.services import refresh_name_keys


class Command(BaseCommand):
    help = "Recompute every person's name-search hashes, e.g. after NAME_SEARCH_KEY changed."

    def handle(self, *args, **options):
        with transaction.atomic():
            person_ids = list(Person.objects.values_list("pk", flat=True))
            for person_id in person_ids:
                refresh_name_keys(person_id)
        count = len(person_ids)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Rebuilt the name index of %(count)d person.", "Rebuilt the name index of %(count)d people.", count
                )
                % {"count": count}
            )
        )
