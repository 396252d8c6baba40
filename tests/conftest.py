import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import AuthenticatorApp
from accounts.roles import ADMINISTRATORS, ADVOCATES, STAFF_EDITORS
from tests.factories import CaseFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEY_STORE_PATH = tmp_path / "keys.sqlite3"
    # Hashing strength is not under test here; a fast hasher keeps user fixtures cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_of_the_code():
    """Each test starts in the language of the code. A request's language stays active in its thread after the
    response (LocaleMiddleware sets it per request and leaves it), so a test that asked for a Russian page would
    otherwise hand Russian messages to the next test's direct calls."""
    translation.deactivate()
    yield
    translation.deactivate()


class VerifiedClient(Client):
    """A test client whose force_login is a login with both factors, as every page requires."""

    def force_login(self, user, backend="django.contrib.auth.backends.ModelBackend"):
        super().force_login(user, backend)
        device = AuthenticatorApp.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = AuthenticatorApp.objects.create(user=user, name="Test authenticator", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def force_login_password_only(self, user):
        super().force_login(user, "django.contrib.auth.backends.ModelBackend")


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def alice(db):
    """A staff editor on the case team."""
    return UserFactory(username="alice", role=STAFF_EDITORS)


@pytest.fixture
def bob(db):
    """Another staff editor on alice's case team."""
    return UserFactory(username="bob", role=STAFF_EDITORS)


@pytest.fixture
def charlie(db):
    """A staff editor on no team: must see nothing of the case."""
    return UserFactory(username="charlie", role=STAFF_EDITORS)


@pytest.fixture
def administrator(db):
    return UserFactory(username="root", role=ADMINISTRATORS)


@pytest.fixture
def advocate(db):
    return UserFactory(username="dana", role=ADVOCATES, is_staff=False)


@pytest.fixture
def case(alice, bob):
    return CaseFactory(title="Seized at a safe house", team=[alice, bob])


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def sqlite_file(tmp_path):
    """The environment of a process on a migrated SQLite database file of its own, as the default setup has.

    The test database is in memory and held by one connection; what happens in the file, or between
    processes sharing it, shows only here. Run Python code in it with ``run_python``.
    """
    if connection.vendor != "sqlite":
        pytest.skip("this checks the embedded SQLite default; this run is on another database")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "KEY_STORE_PATH": str(tmp_path / "keys.sqlite3"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


def run_python(env, code: str, *args: str) -> subprocess.Popen:
    """Start ``code`` with Django set up, in a process of its own, on the database ``env`` names."""
    return subprocess.Popen(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
