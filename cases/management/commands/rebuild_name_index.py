from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import ngettext

from cases.models import NameKey, NameVariant, Person, PersonIdentity
from cases.search import rebuild_index


class Command(BaseCommand):
    help = "Recompute every person's name-search hashes, e.g. after NAME_SEARCH_KEY changed."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                rebuild_index(NameVariant, PersonIdentity, NameKey)
        except ImproperlyConfigured as refused:
            raise CommandError(str(refused)) from refused
        count = Person.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Rebuilt the name index of %(count)d person.", "Rebuilt the name index of %(count)d people.", count
                )
                % {"count": count}
            )
        )
