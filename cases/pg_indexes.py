"""Trigram indexes for the substring searches (codenames, case titles, reference numbers), on PostgreSQL only.

Django's ``icontains`` on PostgreSQL is ``UPPER(column::text) LIKE UPPER('%...%')``, which no
b-tree index serves; a trigram GIN index on that same expression does. SQLite, the embedded
default, keeps scanning, which is fine at its scale. Names are not here: they are encrypted and
found through keyed hashes (cases/search.py).
"""

from django.db import migrations


def trigram_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """A migration step creating ``(name, table, column)`` trigram indexes, or nothing off PostgreSQL."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # pg_trgm is a trusted extension: the database owner may create it without being a superuser.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _column in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
