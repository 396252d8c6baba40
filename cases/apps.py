from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case records")

    def ready(self):
        from cases import checks, middleware, roles  # noqa: F401 - registers checks and signal receivers

        # Not limited to this app: the appeals permissions exist only once its own migrate step ran.
        post_migrate.connect(roles.ensure_roles, dispatch_uid="cases.ensure_roles")
