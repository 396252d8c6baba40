import os
import shutil
import sqlite3

# subprocess runs pg_dump / pg_restore with fixed arguments, never through a shell.
import subprocess  # nosec B404
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


def pg_environment(settings_dict) -> dict:
    """libpq variables for pg_dump and pg_restore, so no password appears on a command line."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(_("%(tool)s is not installed (Debian package postgresql-client).") % {"tool": name})
    return path


class Command(BaseCommand):
    help = (
        "Back up the whole database, history included, while the application runs: SQLite through its "
        "online backup API, PostgreSQL with pg_dump in custom format. Restore with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="File to write; it holds encrypted identities.")

    def handle(self, *args, output, **options):
        target = Path(output)
        try:
            # Created the server account's alone before a byte is written: the copy holds every identity.
            target.touch(mode=0o600, exist_ok=False)
        except FileExistsError:
            raise CommandError(_("%(file)s exists; choose a new file name.") % {"file": target}) from None
        try:
            self._back_up_to(target)
        except BaseException:
            target.unlink()
            raise
        self.stdout.write(self.style.SUCCESS(_("Backed up to %(file)s.") % {"file": target}))

    def _back_up_to(self, target: Path) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            copy.close()
        elif connection.vendor == "postgresql":
            settings_dict = connection.settings_dict
            # A fixed tool and fixed arguments; the credentials travel in the environment.
            subprocess.run(  # noqa: S603  # nosec B603
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), settings_dict["NAME"]],
                env=pg_environment(settings_dict),
                check=True,
            )
        else:
            raise CommandError(_("No backup procedure for %(database)s.") % {"database": connection.vendor})
