from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import reseal_seeds
from cases import keystore
from cases.crypto import ENCRYPTED_FILE_STORES, move_older_values


class Command(BaseCommand):
    help = (
        "After a new key was put first in FIELD_ENCRYPTION_KEYS: re-wrap every person's key, move values written "
        "before person keys existed under their person's key, and re-encrypt every attached file, stored bulk "
        "export and authenticator app's seed. Then the old keys can be removed."
    )

    def handle(self, *args, **options):
        wrapped = keystore.rewrap_all()
        rows = 0
        with transaction.atomic():
            for model in apps.get_models():
                rows += move_older_values(model)
            # Attached evidence, bulk-export ZIPs: each app registers the files it keeps (cases.crypto).
            files = sum(reencrypt() for reencrypt in ENCRYPTED_FILE_STORES)
            seeds = reseal_seeds()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Re-wrapped person keys: %(wrapped)d. Older values moved to their person's key: %(rows)d. "
                    "Re-encrypted with the current key: %(files)d files and %(seeds)d authenticator seeds."
                )
                % {"wrapped": wrapped, "rows": rows, "files": files, "seeds": seeds}
            )
        )
