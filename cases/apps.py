from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case records")

    def ready(self):
        from cases import crypto, services, visibility

        services.register_hooks()
        visibility.connect()
        crypto.ENCRYPTED_FILE_STORES.append(services.reencrypt_source_files)
