from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from cases.crypto import ENCRYPTED_FILE_STORES
        from cases.services import ERASURE_HOOKS
        from exports.services import delete_downloads_of, reencrypt_downloads

        # Bulk-export ZIPs waiting to be downloaded are re-encrypted with the master keys, and deleted when
        # someone in one of their cases is erased.
        ENCRYPTED_FILE_STORES.append(reencrypt_downloads)
        ERASURE_HOOKS.append(delete_downloads_of)
        # The figures' kept counts learn of every write from triggers, put (back) after every migrate.
        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(sender, using, **kwargs):
    from exports.counted import install_triggers

    install_triggers(connections[using])
