from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals and responses")

    def ready(self):
        from appeals import models, services
        from cases.models import CASE_FINDERS

        services.register_hooks()
        # A case is found by the reference of one of its appeals too (28834/19, UA RUS 4/2019).
        CASE_FINDERS.append(models.cases_with_appeal_reference)
