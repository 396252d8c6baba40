"""Django's SQLite backend, with the database file and its journal readable by the server's account only.

SQLite creates a new database file with the process's umask (commonly 022: readable by every account on
the machine) and its write-ahead log and shared-memory files with the database file's permissions. So the
file is created 600, in a folder created 700, before SQLite first opens it; and a file some earlier
version made readable to others is narrowed to 600, with its journal files, when a connection opens.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base

# The database file and what SQLite keeps beside it: the write-ahead log, its index, a rollback journal.
SUFFIXES = ("", "-wal", "-shm", "-journal")


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            _make_private(Path(conn_params["database"]))
        return super().get_new_connection(conn_params)


def _make_private(database: Path) -> None:
    if not database.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        database.touch(mode=0o600)
    for path in (database.with_name(database.name + suffix) for suffix in SUFFIXES):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
