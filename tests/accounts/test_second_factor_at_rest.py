"""A copied database or backup gives no one a second factor: the authenticator's secret is stored encrypted
with the master keys, recovery codes only as digests."""

import os
from base64 import b32decode

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django_otp.oath import TOTP

from accounts.models import AuthenticatorApp, RecoveryCode

PASSWORD = "correct horse battery staple"
# For the upgrade from django-otp's own devices: a recovery code as it made them, and its tables with the
# columns the move reads.
OLD_CODE = "abcd2345"
DJANGO_OTP_TABLES = [
    "CREATE TABLE otp_totp_totpdevice (id integer PRIMARY KEY, user_id integer NOT NULL, name varchar(64) NOT NULL,"
    " confirmed boolean NOT NULL, key varchar(80) NOT NULL, drift smallint NOT NULL, last_t bigint NOT NULL)",
    "CREATE TABLE otp_static_staticdevice (id integer PRIMARY KEY, user_id integer NOT NULL,"
    " name varchar(64) NOT NULL, confirmed boolean NOT NULL)",
    "CREATE TABLE otp_static_statictoken (id integer PRIMARY KEY, device_id integer NOT NULL,"
    " token varchar(16) NOT NULL)",
]


def _app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app into which the secret was typed shows (``steps_ahead``: a phone running fast)."""
    seed = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(seed, drift=steps_ahead).token():06d}"


def _log_in(client, user):
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def _enrol(client, user) -> tuple[str, list[str]]:
    """Enrol as a person does; the secret shown to type into the app, and the recovery codes shown."""
    _log_in(client, user)
    secret = client.get("/accounts/2fa/setup/").context["secret"]
    done = client.post("/accounts/2fa/setup/", {"token": _app_code(secret), "next": "/cases/"})
    return secret, done.context["codes"]


def _every_stored_text() -> str:
    """Every value of every column of every table, read with raw SQL."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - the schema's own names
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks).lower()


def test_no_table_holds_the_authenticator_secret_or_a_recovery_code(client, alice):
    secret, codes = _enrol(client, alice)

    stored = _every_stored_text()

    seed = b32decode(secret + "=" * (-len(secret) % 8))
    assert len(codes) == 10
    for value in [secret, seed.hex(), *codes, *(code.replace("-", "") for code in codes)]:
        assert value.lower() not in stored


def test_a_recovery_code_works_once_typed_as_people_type_it(client, alice):
    _secret, codes = _enrol(client, alice)
    _log_in(client, alice)

    used = client.post("/accounts/2fa/", {"token": codes[0].upper().replace("-", " "), "next": "/cases/"})
    _log_in(client, alice)
    again = client.post("/accounts/2fa/", {"token": codes[0], "next": "/cases/"})

    assert used["Location"] == "/cases/"
    assert "That code is not valid." in again.content.decode()


def test_after_key_rotation_the_authenticator_works_with_the_new_key_alone(client, alice, settings):
    secret, _codes = _enrol(client, alice)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]

    call_command("rotate_encryption_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    _log_in(client, alice)
    # The code of the enrolment's time step was used up; a phone running one step fast shows the next.
    verified = client.post("/accounts/2fa/", {"token": _app_code(secret, steps_ahead=1), "next": "/cases/"})

    assert verified["Location"] == "/cases/"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", target)])


def _migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_authenticators_of_django_otp_move_encrypted_and_its_plain_tables_go(client, alice):
    seed = os.urandom(20)
    _migrate("0001_initial")
    with connection.cursor() as cursor:
        for statement in DJANGO_OTP_TABLES:
            cursor.execute(statement)
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice VALUES (7, %s, 'phone', %s, %s, 0, -1)", [alice.pk, True, seed.hex()]
        )
        cursor.execute("INSERT INTO otp_static_staticdevice VALUES (8, %s, 'backup', %s)", [alice.pk, True])
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (9, 8, %s)", [OLD_CODE])
    MigrationRecorder(connection).record_applied("otp_totp", "0003_add_timestamps")

    _migrate("0002_devices_from_django_otp")

    app = AuthenticatorApp.objects.get(user=alice)
    assert (app.name, app.confirmed, app.seed) == ("phone", True, seed)
    stored = _every_stored_text()
    assert seed.hex() not in stored
    assert OLD_CODE not in stored
    assert [table for table in connection.introspection.table_names() if table.startswith("otp_")] == []
    assert not MigrationRecorder(connection).migration_qs.filter(app="otp_totp").exists()
    _migrate_to_the_latest()
    _log_in(client, alice)
    signed_in = client.post("/accounts/2fa/", {"token": app.current_code(), "next": "/cases/"})
    assert len(signed_in.context["codes"]) == 10  # the codes not carried over are replaced at once
    assert RecoveryCode.objects.filter(device__user=alice).count() == 10
