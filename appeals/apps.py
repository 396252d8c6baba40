from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals and responses")

    def ready(self):
        # Registers the appeal life-cycle hooks with cases.services.
        from appeals import services  # noqa: F401
