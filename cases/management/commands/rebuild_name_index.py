from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Person
from cases.services import refresh_name_keys


class Command(BaseCommand):
    help = "Recompute every person's name-search hashes, e.g. after NAME_SEARCH_KEY changed."

    def handle(self, *args, **options):
        with transaction.atomic():
            person_ids = list(Person.objects.values_list("pk", flat=True))
            for person_id in person_ids:
                refresh_name_keys(person_id)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the name index of {len(person_ids)} people."))
