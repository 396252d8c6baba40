"""An NGO's workbook imported as staff do it: a dry run that names each mistake, then the import, recorded like a
manual edit, whole or not at all."""

import pytest
from django.db import connection

from cases.models import Case, CaseMembership, Person, PersonIdentity, StatusChange
from imports.enums import JobStatus
from imports.reading import Refused
from tests.imports.workbook import (
    BLOCKED_BY_SEEDED,
    PEOPLE_COUNT,
    SEEDED_DUPLICATE,
    SEEDED_ERRORS,
    build_sheets,
    build_workbook,
    people_csv_cp1251,
    xlsx_bytes,
)


def written():
    """What an import could have left behind, counted."""
    return (Case.objects.count(), Person.objects.count(), StatusChange.objects.count())


def test_the_dry_run_names_exactly_the_mistakes_in_the_sheet_and_writes_nothing(alice, check):
    job = check(alice, build_workbook(with_errors=True))

    assert job.status == JobStatus.CHECKED
    assert sorted((e["sheet"], e["row"], e["column"]) for e in job.report["errors"]) == sorted(SEEDED_ERRORS)
    waiting = sorted((r["sheet"], r["row"]) for r in job.report["rows"] if r["outcome"] == "blocked")
    assert waiting == sorted(BLOCKED_BY_SEEDED)
    assert [(d["sheet"], d["row"], d["id"]) for d in job.report["duplicates"]] == [SEEDED_DUPLICATE]
    assert job.report["counts"]["people"] == {"create": PEOPLE_COUNT, "error": 1}
    assert written() == (0, 0, 0)


def test_each_mistake_says_what_to_fix(alice, check):
    messages = {
        (e["sheet"], e["row"]): e["message"] for e in check(alice, build_workbook(with_errors=True)).report["errors"]
    }

    assert messages[("People", 8)] == "“19x0” is not a year of birth."
    assert messages[("Status changes", 9)].startswith("“arrested” is not one of: At liberty in the region,")
    assert messages[("Status changes", 14)] == "no record with the id “P-999” in this file or among those you may see."
    assert "formulas are never evaluated" in messages[("Status changes", 20)]
    assert messages[("Status changes", 31)].startswith("“43508” looks like an Excel day number (12 Feb 2019)")
    assert messages[("Cases", 7)] == "no case C-NOTYRS among the cases you may see."


def test_the_confirmed_import_is_recorded_like_a_manual_edit(alice, bob, check, confirm, settings):
    job = confirm(check(alice, build_workbook()))

    assert job.status == JobStatus.DONE
    assert written() == (5, PEOPLE_COUNT + 1, 200)
    reason = f"Import of records.xlsx (SHA-256 {job.sha256})"
    for model in (Case, Person, PersonIdentity, StatusChange, CaseMembership):
        created = model.history.filter(history_type="+")
        assert created.exists()
        assert set(created.values_list("history_user", "history_change_reason")) == {(alice.pk, reason)}
    # The importer's team: alice sees every imported case, her colleague bob none of them.
    assert Case.objects.visible_to(alice).count() == 5
    assert Case.objects.visible_to(bob).count() == 0
    # Found by a spelling in the other script, through the search keys; the name itself is stored encrypted.
    isaev = Person.objects.matching("Исаев Исмаил", alice)
    assert {p.identity.legal_name for p in isaev} == {"Ismail Isaev", "Ismail Isayev"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name FROM cases_personidentity")
        assert not any("Isaev" in str(row[0]) for row in cursor.fetchall())
    # Statuses as precise as the sheet gave them.
    typed = {c.description: str(c.when) for c in StatusChange.objects.filter(description__startswith="Report ")}
    assert (typed["Report 1"], typed["Report 2"], typed["Report 6"]) == (
        "1 Mar 2017",
        "c. 17 Aug 2017",
        "16–28 Mar 2017",
    )
    # The upload is gone once imported; its hash stays on the job.
    assert not job.stored
    assert not list((settings.MEDIA_ROOT / "imports").glob("*.enc"))


def test_the_same_file_again_is_refused_and_a_resaved_copy_changes_nothing(alice, check, confirm):
    content = build_workbook()
    confirm(check(alice, content))
    history_rows = Person.history.count() + StatusChange.history.count()

    with pytest.raises(Refused, match="This file was imported already"):
        check(alice, content)
    again = confirm(check(alice, xlsx_bytes(build_sheets(), title="saved again")))

    assert again.status == JobStatus.DONE
    assert set(again.report["counts"]["status_changes"]) == {"unchanged"}
    assert set(again.report["counts"]["people"]) == {"unchanged"}
    assert written() == (5, PEOPLE_COUNT + 1, 200)
    assert Person.history.count() + StatusChange.history.count() == history_rows


def test_a_windows_1251_csv_is_read_in_its_encoding(alice, check, confirm):
    job = confirm(check(alice, people_csv_cp1251(), name="люди.csv", record_type="people"))

    assert (job.encoding, job.status) == ("cp1251", JobStatus.DONE)
    # P-001 and its seeded duplicate P-051 both answer; their order is their random codenames'.
    found = Person.objects.matching("Isaev Ismail", alice)
    assert "Исмаил Исаев" in {person.identity.name_original_script for person in found}


def test_a_sheet_with_a_mistake_is_not_imported_at_all_even_if_confirmed(alice, check, confirm):
    job = confirm(check(alice, build_workbook(with_errors=True)))

    assert job.status == JobStatus.REFUSED
    assert job.message == "7 rows have errors: nothing was written. Correct them and upload the file again."
    assert written() == (0, 0, 0)
