from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals and responses")

    def ready(self):
        from appeals import models, rules, services
        from cases import history
        from cases.models import CASE_FINDERS

        services.register_hooks()
        # A deadline a rule proposed reads in the reader's language in its history too (appeals.rules.described).
        history.VALUE_READERS[(models.Deadline, "description")] = lambda row, value: rules.described(row.rule, value)
        # A case is found by the reference of one of its appeals too (28834/19, UA RUS 4/2019).
        CASE_FINDERS.append(models.cases_with_appeal_reference)
