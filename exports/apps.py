from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from cases.crypto import ENCRYPTED_FILE_STORES
        from exports.services import reencrypt_downloads

        # Bulk-export ZIPs waiting to be downloaded are re-encrypted with the identity fields' keys.
        ENCRYPTED_FILE_STORES.append(reencrypt_downloads)
