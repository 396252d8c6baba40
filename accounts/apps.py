from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in (two factors, lockouts, session lifetime), the roles, deployment checks and health."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from accounts import checks, language, lockout, middleware, roles  # noqa: F401 - registers checks and signal receivers

        # After every app's migrate step: the permissions of the record apps exist only once theirs ran.
        post_migrate.connect(roles.ensure_roles, dispatch_uid="accounts.ensure_roles")
