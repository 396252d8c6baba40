from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from cases.crypto import ENCRYPTED_FILE_STORES, EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value, history included, every attached file and every stored bulk export, "
        "with the first key of FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
                if not fields:
                    continue
                pk = model._meta.pk.attname
                # Read decrypts with any key; update() writes back with the first.
                for row in model._base_manager.values(pk, *fields).iterator():
                    model._base_manager.filter(**{pk: row.pop(pk)}).update(**row)
                    total += 1
            # Attached evidence, bulk-export ZIPs: each app registers the files it keeps (cases.crypto).
            files = sum(reencrypt() for reencrypt in ENCRYPTED_FILE_STORES)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows and {files} files with the current key."))
