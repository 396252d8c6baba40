"""Backups hold every record and every history row, and restore brings them back."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case
from front import demo


def _counts():
    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models() if m._meta.managed}


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_every_record_and_history_row(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()
    before = _counts()
    backup = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")
    call_command("backup_database", output=str(backup))

    history_rows = Case.objects.get(reference="C-DEMO01").history.count()
    Case.objects.get(reference="C-DEMO01").delete()
    assert _counts() != before

    call_command("restore_database", str(backup), yes=True)

    assert _counts() == before
    assert Case.objects.get(reference="C-DEMO01").history.count() == history_rows
    assert oct(backup.stat().st_mode & 0o777) == "0o600"


def test_restore_asks_for_confirmation(tmp_path, db):
    backup = tmp_path / "backup"
    backup.write_bytes(b"x")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_database", str(backup))
