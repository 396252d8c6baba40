"""Authenticator apps enrolled with django-otp's own model move to ours, their seeds now encrypted; then
django-otp's tables, which held seeds and recovery codes in plain text, are dropped.

Recovery codes are not carried over: django-otp's carry 40 random bits, too few for a digest to hide them
from someone trying every code against a copy of the database. Each set moves empty, and an empty set is
renewed at its owner's next sign-in (accounts/twofactor.py). Every authenticator there was made with
django-otp's defaults (six digits, a new code every 30 seconds from the epoch), which are ours. When a
device was made and last used is not carried over: it would come back as a naive time from SQLite.
"""

from binascii import unhexlify

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import seal

DJANGO_OTP_TABLES = ("otp_totp_totpdevice", "otp_static_statictoken", "otp_static_staticdevice")
DEVICE = ("user_id", "name", "confirmed")
AUTHENTICATOR = (*DEVICE, "key", "drift", "last_t")


def _rows(connection, table, columns) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def move_devices(apps, schema_editor):
    connection = schema_editor.connection
    present = set(connection.introspection.table_names())
    if "otp_totp_totpdevice" in present:
        for row in _rows(connection, "otp_totp_totpdevice", AUTHENTICATOR):
            row["sealed_seed"] = seal(unhexlify(row.pop("key")))
            apps.get_model("accounts", "AuthenticatorApp").objects.create(**row)
    if "otp_static_staticdevice" in present:
        for row in _rows(connection, "otp_static_staticdevice", DEVICE):
            apps.get_model("accounts", "RecoveryCodes").objects.create(**row)
    for table in DJANGO_OTP_TABLES:
        if table in present:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    # Were django-otp's apps installed again, their migrations would create the tables afresh.
    MigrationRecorder(connection).migration_qs.filter(app__in=["otp_totp", "otp_static"]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(move_devices, migrations.RunPython.noop)]
