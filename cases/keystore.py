"""Each person's own encryption key, kept apart from the database and its backups (crypto-shredding).

A person's identity — its fields, name variants and the history rows of both, and the places where they
hide — is encrypted with a key of their own. The key is stored wrapped (encrypted) with the master keys
of FIELD_ENCRYPTION_KEYS, in a small SQLite file of its own (KEY_STORE_PATH) that database backups do not
contain. Erasing a person destroys their key: every copy of their identity that the erasure cannot
reach — dead rows and the write-ahead log of PostgreSQL, database backups made before, old exports —
becomes unreadable at once. The file keeps a tombstone (the person's id and when) so that a database
restored from an older backup can be told whom to forget (``erased_people``).

What erasure cannot reach: a copy of this file made before the erasure still holds the key. Back the
file up apart from the database, and keep its backups only for a short, fixed time (docs/operations.md):
an erasure is complete once the last such backup has expired.
"""

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cases.crypto import cipher

# Unwrapped keys are kept for a short while per process: a page naming a hundred people reads the file once.
_CACHE_SECONDS = 30
_cache: dict[tuple[str, str], tuple[Fernet | None, float]] = {}
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS person_keys ("
    "person_id TEXT PRIMARY KEY, wrapped TEXT, created_at REAL NOT NULL, destroyed_at REAL)"
)


def _path() -> str:
    return str(settings.KEY_STORE_PATH)


@contextmanager
def _connection():
    """A connection for one operation, closed after it: the store is read rarely (keys are cached) and a
    connection left open per thread would outlive the threads and tests that made it."""
    path = _path()
    if not Path(path).exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        Path(path).touch(mode=0o600, exist_ok=True)
    connection = sqlite3.connect(path, timeout=20, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute(_SCHEMA)
        yield connection
    finally:
        connection.close()


def _unwrap(wrapped: str) -> Fernet:
    try:
        return Fernet(cipher().decrypt(wrapped.encode()))
    except InvalidToken as exc:
        raise ImproperlyConfigured("A person's key cannot be unwrapped with FIELD_ENCRYPTION_KEYS.") from exc


def key_of(person_id, *, create: bool = False) -> Fernet | None:
    """The person's key; a new one when ``create``; None if they have none, or it was destroyed."""
    person_id = str(person_id)
    cached = _cache.get((_path(), person_id))
    if cached is not None and time.monotonic() - cached[1] < _CACHE_SECONDS and (cached[0] or not create):
        return cached[0]
    with _connection() as connection:
        row = connection.execute(
            "SELECT wrapped, destroyed_at FROM person_keys WHERE person_id = ?", (person_id,)
        ).fetchone()
        if row is None and create:
            connection.execute(
                "INSERT OR IGNORE INTO person_keys (person_id, wrapped, created_at) VALUES (?, ?, ?)",
                (person_id, cipher().encrypt(Fernet.generate_key()).decode(), time.time()),
            )
    if row is None and create:
        return key_of(person_id)
    found = _unwrap(row[0]) if row is not None and row[1] is None else None
    _cache[(_path(), person_id)] = (found, time.monotonic())
    return found


def create_keys(person_ids) -> None:
    """Keys for many new people in one transaction (bulk loading), kept at hand for the rows that follow."""
    rows = [(str(pid), Fernet.generate_key()) for pid in person_ids]
    with _connection() as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT OR IGNORE INTO person_keys (person_id, wrapped, created_at) VALUES (?, ?, ?)",
            [(pid, cipher().encrypt(key).decode(), time.time()) for pid, key in rows],
        )
        connection.execute("COMMIT")
    now = time.monotonic()
    for pid, key in rows:
        _cache[(_path(), pid)] = (Fernet(key), now)


def destroy(person_id) -> None:
    """Destroy the person's key for good, keeping a tombstone that says they were erased and when."""
    person_id = str(person_id)
    with _connection() as connection:
        connection.execute(
            "INSERT INTO person_keys (person_id, wrapped, created_at, destroyed_at) VALUES (?, NULL, ?, ?) "
            "ON CONFLICT(person_id) DO UPDATE SET wrapped = NULL, destroyed_at = excluded.destroyed_at",
            (person_id, time.time(), time.time()),
        )
    _cache.pop((_path(), person_id), None)


def is_erased(person_id) -> bool:
    with _connection() as connection:
        row = connection.execute(
            "SELECT destroyed_at FROM person_keys WHERE person_id = ?", (str(person_id),)
        ).fetchone()
    return row is not None and row[0] is not None


def erased_people() -> set[str]:
    """The ids of everyone whose key was destroyed."""
    with _connection() as connection:
        rows = connection.execute("SELECT person_id FROM person_keys WHERE destroyed_at IS NOT NULL").fetchall()
    return {row[0] for row in rows}


def rewrap_all() -> int:
    """Wrap every person's key with the first master key (key rotation); the data itself is untouched."""
    with _connection() as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            rows = connection.execute("SELECT person_id, wrapped FROM person_keys WHERE wrapped IS NOT NULL").fetchall()
            for person_id, wrapped in rows:
                connection.execute(
                    "UPDATE person_keys SET wrapped = ? WHERE person_id = ?",
                    (cipher().rotate(wrapped.encode()).decode(), person_id),
                )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    _cache.clear()
    return len(rows)


def backup(destination: Path) -> None:
    """A consistent copy of the key store, written with mode 600, even while the application runs."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.touch(mode=0o600, exist_ok=False)
    target = sqlite3.connect(destination)
    try:
        with _connection() as connection:
            connection.backup(target)
    finally:
        target.close()


def discard(person_ids) -> None:
    """Forget keys made for people who were never recorded (an import checked, or rolled back, after the keys
    were made). Never call it for someone recorded: their identity would become unreadable without a tombstone."""
    ids = [str(pid) for pid in person_ids]
    with _connection() as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "DELETE FROM person_keys WHERE person_id = ? AND destroyed_at IS NULL", [(i,) for i in ids]
        )
        connection.execute("COMMIT")
    for pid in ids:
        _cache.pop((_path(), pid), None)
