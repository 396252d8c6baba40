from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case records")

    def ready(self):
        from cases import checks, middleware, roles  # noqa: F401 - registers checks and signal receivers

        # Not limited to this app: the appeals permissions exist only once its own migrate step ran.
        post_migrate.connect(roles.ensure_roles, dispatch_uid="cases.ensure_roles")
        connection_created.connect(_zero_deleted_content, dispatch_uid="cases.secure_delete")


def _zero_deleted_content(sender, connection, **kwargs):
    # SQLite otherwise leaves deleted rows readable in free pages of the file until a VACUUM,
    # so an erased identity could still be carved out of a seized laptop's database file.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
