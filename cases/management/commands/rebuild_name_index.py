from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import ngettext

from cases.crypto import opened_person_values
from cases.models import NameVariant, Person, PersonIdentity
from cases.services import refresh_name_keys


class Command(BaseCommand):
    help = "Recompute every person's name-search hashes, e.g. after NAME_SEARCH_KEY changed."

    def handle(self, *args, **options):
        # Each person's names read through their fields give "" without the key: first make sure the key store
        # opens them all, so that a missing one is not taken for erasures and nobody left findable by name.
        try:
            opened_person_values(NameVariant, ["name"])
            opened_person_values(PersonIdentity, ["legal_name", "name_original_script"])
        except ImproperlyConfigured as refused:
            raise CommandError(str(refused)) from refused
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
