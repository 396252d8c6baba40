"""Rows are read, looked up and created a batch at a time (imports.engine.BATCH): where a batch ends changes
nothing a user reads in the report or finds in the records."""

import pytest

from cases.models import Person, StatusChange
from imports import engine
from imports.enums import JobStatus
from tests.imports.workbook import PEOPLE_COUNT, STATUS_CHANGES, build_sheets, build_workbook, xlsx_bytes


def report_of(job) -> dict:
    report = job.report
    return {
        "counts": report["counts"],
        "errors": sorted((e["sheet"], e["row"], e["column"], e["message"]) for e in report["errors"]),
        # A new case's detail is its reference, drawn at random.
        "rows": sorted(
            (r["sheet"], r["row"], r["outcome"], r["detail"] * (r["sheet"] != "Cases")) for r in report["rows"]
        ),
        "duplicates": sorted((d["sheet"], d["row"], d["id"], d["why"]) for d in report["duplicates"]),
    }


def test_small_batches_report_what_one_batch_reports(alice, check, monkeypatch):
    in_one = report_of(check(alice, build_workbook(with_errors=True)))
    monkeypatch.setattr(engine, "BATCH", 7)

    in_many = report_of(check(alice, xlsx_bytes(build_sheets(with_errors=True), title="again")))

    assert in_many == in_one
    assert in_one["counts"]["status_changes"]["create"] > 100


def test_a_file_imported_in_small_batches_imports_again_unchanged(alice, check, confirm, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 7)
    first = confirm(check(alice, build_workbook()))
    history_rows = Person.history.count() + StatusChange.history.count()

    again = confirm(check(alice, xlsx_bytes(build_sheets(), title="saved again")))

    assert (first.status, again.status) == (JobStatus.DONE, JobStatus.DONE)
    assert set(again.report["counts"]["people"]) == {"unchanged"}
    assert set(again.report["counts"]["status_changes"]) == {"unchanged"}
    assert (Person.objects.count(), StatusChange.objects.count()) == (PEOPLE_COUNT + 1, 200)
    assert Person.history.count() + StatusChange.history.count() == history_rows


@pytest.mark.parametrize("batch", [1000, 7])
def test_a_status_of_someone_not_in_the_case_is_named_by_row_and_column(alice, check, monkeypatch, batch):
    monkeypatch.setattr(engine, "BATCH", batch)
    sheets = build_sheets()
    # Row 3 is P-001's second report; P-001 is in K-1 only.
    sheets[STATUS_CHANGES.sheet][2][1] = "K-2"

    job = check(alice, xlsx_bytes(sheets))

    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in job.report["errors"]] == [
        ("Status changes", 3, "person_id", "This person is not part of this case; add them to the case first.")
    ]
    assert job.report["counts"]["status_changes"] == {"create": 199, "error": 1}
    assert (Person.objects.count(), StatusChange.objects.count()) == (0, 0)
