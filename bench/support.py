"""What the benchmark scripts share: a throw-away database, and a client logged in with both factors."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import AuthenticatorApp


def verified_client(user) -> Client:
    client = Client()
    client.force_login(user, "django.contrib.auth.backends.ModelBackend")
    device = AuthenticatorApp.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@contextmanager
def throwaway_database():
    """A test database on whatever DATABASE_URL names, destroyed afterwards: benchmarks never touch real data."""
    # Hashing strength is not what is measured; a fast hasher keeps creating users cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        if connection.vendor == "sqlite":
            # A file, as the application runs on: Django's SQLite test database is in memory by default, where
            # it is faster than on a disk and its whole size would count as the process's memory.
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
