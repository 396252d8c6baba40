"""Sessions that end, and a deployment gate that refuses unsafe settings."""

import os
import subprocess
import sys
import time

from cryptography.fernet import Fernet
from django.conf import settings

from accounts.checks import check_hardening
from accounts.middleware import SESSION_STARTED
from tests.conftest import ROOT


def test_session_ends_a_fixed_time_after_login_however_active(client, alice, case):
    client.force_login(alice)
    assert client.get("/cases/").status_code == 200
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get("/cases/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/cases/")
    assert client.get("/cases/").status_code == 302


def test_idle_sessions_expire_and_each_request_renews_them():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_deactivated_user_is_logged_out_at_the_next_request(client, alice, case):
    client.force_login(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = client.get(f"/cases/{case.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_rotates_the_session_key(client, alice):
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")

    client.post("/accounts/login/", {"username": "alice", "password": "correct horse battery staple"})

    assert client.cookies["sessionid"].value != (before.value if before else None)


def test_hardening_checks_name_what_is_unsafe(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.twofactor.RequireSecondFactorMiddleware"]
    settings.SECURE_CSP = {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    ids = sorted(error.id for error in check_hardening(None))

    assert ids == ["cases.E001", "cases.E002", "cases.E003", "cases.E004", "cases.E005", "cases.E005"]


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "x" * 20 + Fernet.generate_key().decode(),
        "NAME_SEARCH_KEY": Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "cases.example.org",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, refused by the deploy checks
    env.pop("DATABASE_URL", None)

    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_with_a_development_key():
    env = {**os.environ, "APP_ENV": "production", "ALLOWED_HOSTS": "cases.example.org"}
    env.pop("SECRET_KEY", None)

    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "Production needs SECRET_KEY" in result.stderr
