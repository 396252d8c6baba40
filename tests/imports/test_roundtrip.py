"""What was imported can be taken out again in the same layout, and imported back without a change."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from cases.models import Case, Person, StatusChange
from exports.models import ExportRecord
from imports.enums import JobStatus
from imports.roundtrip import export_records
from tests.imports.workbook import build_workbook


def test_an_export_in_the_import_layout_imports_back_unchanged(alice, check, confirm):
    confirm(check(alice, build_workbook()))
    history_rows = Person.history.count() + StatusChange.history.count()
    case_ids = list(Case.objects.values_list("pk", flat=True))

    result = export_records(user=alice, case_ids=case_ids, purpose="Moving to a new laptop")
    again = confirm(check(alice, result.content, name=result.filename))

    assert again.status == JobStatus.DONE
    assert again.report["error_total"] == 0
    assert {key: set(counts) for key, counts in again.report["counts"].items()} == {
        key: {"unchanged"}
        for key in (
            "cases",
            "people",
            "case_people",
            "sources",
            "status_changes",
            "appeals",
            "appeal_steps",
            "responses",
        )
    }
    assert Person.history.count() + StatusChange.history.count() == history_rows
    record = ExportRecord.objects.get()
    assert (record.level, record.format, record.purpose, record.username) == (
        "internal",
        "xlsx",
        "Moving to a new laptop",
        "alice",
    )
    assert len(record.case_ids) == 5


def test_only_the_users_cases_are_taken_out(alice, charlie, check, confirm):
    confirm(check(alice, build_workbook()))
    case_ids = list(Case.objects.values_list("pk", flat=True))

    result = export_records(user=charlie, case_ids=case_ids, purpose="Curious")

    assert ExportRecord.objects.get().case_ids == []
    workbook = openpyxl.load_workbook(io.BytesIO(result.content), read_only=True)
    assert [len(list(workbook[name].iter_rows())) for name in ("Cases", "People", "Status changes")] == [1, 1, 1]


def test_an_advocate_may_not_take_identities_out(advocate):
    with pytest.raises(PermissionDenied):
        export_records(user=advocate, case_ids=[], purpose="Press")


def test_the_case_list_offers_the_export_in_the_import_layout(alice_client, alice, check, confirm):
    confirm(check(alice, build_workbook()))
    chosen = {
        "action": "export_in_import_layout",
        "_selected_action": [str(pk) for pk in Case.objects.values_list("pk", flat=True)],
    }

    response = alice_client.post("/admin/cases/case/", {**chosen, "apply": "1", "purpose": "Backup for the board"})

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert len(list(workbook["Status changes"].iter_rows())) == 201
    assert ExportRecord.objects.get().purpose == "Backup for the board"
