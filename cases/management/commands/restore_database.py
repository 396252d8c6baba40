import sqlite3

# subprocess runs pg_dump / pg_restore with fixed arguments, never through a shell.
import subprocess  # nosec B404
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.management.commands.backup_database import pg_environment, pg_tool
from cases.services import forget_erased


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by backup_database. Stop the application first."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A file written by backup_database.")
        parser.add_argument("--yes", action="store_true", help="Confirm that the current data is to be replaced.")

    def handle(self, *args, backup, yes, **options):
        source = Path(backup)
        if not source.is_file():
            raise CommandError(_("%(file)s is not a file.") % {"file": source})
        if not yes:
            raise CommandError(_("This replaces every record with the backup's. Run again with --yes to confirm."))
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            with sqlite3.connect(source) as copy:
                copy.backup(connection.connection)
            copy.close()
        elif connection.vendor == "postgresql":
            settings_dict = connection.settings_dict
            connection.close()
            # A fixed tool and fixed arguments; the credentials travel in the environment.
            subprocess.run(  # noqa: S603  # nosec B603
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    settings_dict["NAME"],
                    str(source),
                ],
                env=pg_environment(settings_dict),
                check=True,
            )
        else:
            raise CommandError(_("No restore procedure for %(database)s.") % {"database": connection.vendor})
        # The backup may predate erasures: the key store (not in the backup) says whom to forget again.
        forgotten = forget_erased()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Restored from %(file)s; %(count)d person erased since was forgotten again.",
                    "Restored from %(file)s; %(count)d people erased since were forgotten again.",
                    forgotten,
                )
                % {"file": source, "count": forgotten}
            )
        )
