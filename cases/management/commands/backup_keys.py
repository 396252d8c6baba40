from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases import keystore


class Command(BaseCommand):
    help = (
        "Copy the key store (each person's key, wrapped by FIELD_ENCRYPTION_KEYS) to a file of mode 600. Keep these "
        "copies apart from the database backups, and only for a short, fixed time: an erasure is complete once the "
        "last copy made before it is gone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Where to write the copy; the file must not exist.")

    def handle(self, *args, output, **options):
        destination = Path(output)
        if destination.exists():
            raise CommandError(_("%(file)s exists already; choose a new file.") % {"file": destination})
        keystore.backup(destination)
        self.stdout.write(self.style.SUCCESS(_("Key store copied to %(file)s.") % {"file": destination}))
