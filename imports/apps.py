from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports and merges")

    def ready(self):
        from cases.crypto import ENCRYPTED_FILE_STORES
        from imports.storage import reencrypt_uploads

        # Uploaded sheets waiting for their import are kept encrypted like evidence, and re-encrypted by rotation.
        ENCRYPTED_FILE_STORES.append(reencrypt_uploads)
