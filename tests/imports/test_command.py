"""``manage.py import_records``: the same check and import as the admin's, in the foreground."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import Person, StatusChange
from imports.models import ImportJob
from tests.imports.workbook import PEOPLE_COUNT, build_workbook


@pytest.fixture
def workbook(tmp_path):
    def write(**options):
        path = tmp_path / "records.xlsx"
        path.write_bytes(build_workbook(**options))
        return path

    return write


def test_a_dry_run_prints_each_mistake_and_writes_nothing(alice, workbook, capsys):
    with pytest.raises(CommandError, match="7 rows have errors."):
        call_command("import_records", str(workbook(with_errors=True)), "--user", "alice", "--dry-run")

    out, err = capsys.readouterr()
    assert "  People: 50 create, 1 error" in out
    assert "People, row 52 (P-051): possible duplicate of row 2 (P-001)" in out
    assert "Status changes, row 14, column person_id: no record with the id “P-999”" in err
    assert Person.objects.count() == 0
    assert not ImportJob.objects.filter(status="done").exists()


def test_a_dry_run_of_a_good_file_then_the_import(alice, workbook, capsys):
    path = workbook()
    call_command("import_records", str(path), "--user", "alice", "--dry-run")
    assert Person.objects.count() == 0

    call_command("import_records", str(path), "--user", "alice")

    assert (Person.objects.count(), StatusChange.objects.count()) == (PEOPLE_COUNT + 1, 200)
    with pytest.raises(CommandError, match="This file was imported already"):
        call_command("import_records", str(path), "--user", "alice")


def test_only_staff_allowed_identities_may_import(advocate, workbook):
    with pytest.raises(CommandError, match="Import as an active staff user allowed to read identities."):
        call_command("import_records", str(workbook()), "--user", advocate.username)
