"""Encrypt attached files stored before files were encrypted at rest."""

from django.core.files.storage import default_storage
from django.db import migrations

# Every Fernet token starts with these bytes (version 0x80, base64url); no accepted evidence type does.
FERNET_PREFIX = b"gAAAAA"


def encrypt_plain_files(apps, schema_editor):
    from cases.crypto import encrypt_bytes, rewrite_stored

    HistoricalSource = apps.get_model("cases", "HistoricalSource")
    names = set(HistoricalSource.objects.exclude(file="").values_list("file", flat=True))
    for name in sorted(names):
        if not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as stored:
            if stored.read(len(FERNET_PREFIX)) == FERNET_PREFIX:
                continue
        rewrite_stored(default_storage, name, encrypt_bytes)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_membership_status"),
    ]

    operations = [
        migrations.RunPython(encrypt_plain_files, migrations.RunPython.noop),
    ]
