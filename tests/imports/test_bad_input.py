"""Files that cannot be imported honestly are refused with a message saying what to do, and nothing is written:
no record, no history row, no upload kept."""

import io
import zipfile

import openpyxl
import pytest

from cases.models import Case, Person, StatusChange
from imports.enums import JobStatus
from imports.models import ImportJob
from imports.reading import Refused
from tests.factories import CaseFactory
from tests.imports.workbook import build_sheets, csv_bytes, people_csv_cp1251, xlsx_bytes

PEOPLE_HEADER = ["person_id", "legal_name", "name_original_script", "birth_year"]


def nothing_written(settings):
    return (
        Person.history.count() == 0
        and StatusChange.objects.count() == 0
        and not ImportJob.objects.filter(status=JobStatus.DONE).exists()
        and not list((settings.MEDIA_ROOT / "imports").glob("*.enc"))
    )


def people_workbook(rows, *, header=PEOPLE_HEADER, merge: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "People"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """An "XLSX" whose sheet unpacks to 2,000 times its packed size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (40 * 1024 * 1024))
    return buffer.getvalue()


REFUSED_FILES = {
    "merged cells": (
        "records.xlsx",
        lambda: people_workbook([["P-1", "Ismail Isaev", "", ""], ["P-2", "", "", ""]], merge="B2:B3"),
        "The sheet “People” has merged cells (B2:B3): unmerge them so that every row holds its own values.",
    ),
    "a column without a name": (
        "records.xlsx",
        lambda: people_workbook(
            [["P-1", "Ismail Isaev", "", "", "x"]], header=[*PEOPLE_HEADER[:2], "", *PEOPLE_HEADER[2:]]
        ),
        "The sheet “People” has a column without a name (column C): name it or delete it.",
    ),
    "two columns named alike": (
        "records.xlsx",
        lambda: people_workbook([["P-1", "Ismail Isaev", "Isaev"]], header=["person_id", "legal_name", "Legal_name"]),
        "The sheet “People” names two columns “Legal_name” (columns B and C): rename one.",
    ),
    "a zip bomb disguised as XLSX": (
        "records.xlsx",
        zip_bomb,
        "This workbook unpacks to far more data than a spreadsheet holds (xl/worksheets/sheet1.xml): it is refused "
        "unopened. Save it again from your spreadsheet program, or as CSV.",
    ),
    "not a workbook at all": (
        "records.xlsx",
        lambda: b"PK\x03\x04 not really",
        "This file is not a readable XLSX workbook.",
    ),
    "an empty CSV": ("records.csv", lambda: b"", "The file is empty."),
}


@pytest.mark.parametrize("name, content, message", REFUSED_FILES.values(), ids=REFUSED_FILES.keys())
def test_a_file_that_cannot_be_read_honestly_is_refused_on_upload(alice, check, settings, name, content, message):
    with pytest.raises(Refused) as refusal:
        check(alice, content(), name=name, record_type="people")

    assert str(refusal.value) == message
    assert not ImportJob.objects.exists()
    assert nothing_written(settings)


def test_a_sheet_longer_than_the_limit_is_refused(alice, check, settings):
    settings.IMPORT_MAX_ROWS = 20
    rows = [[f"P-{n}", f"Person {n}", "", ""] for n in range(21)]

    with pytest.raises(Refused, match="The sheet “People” has more than 20 rows. Split it into files of at most 20"):
        check(alice, people_workbook(rows))
    assert nothing_written(settings)


def test_the_default_limit_is_a_hundred_thousand_rows():
    from django.conf import settings

    assert settings.IMPORT_MAX_ROWS == 100_000


def test_a_csv_read_in_the_wrong_encoding_is_refused(alice, check, settings):
    with pytest.raises(Refused, match="This file cannot be read as utf-8: choose its encoding"):
        check(alice, people_csv_cp1251(), name="people.csv", record_type="people", encoding="utf-8")
    assert nothing_written(settings)


def test_a_csv_in_an_encoding_that_cannot_be_told_asks_for_it(alice, check, settings):
    undecidable = csv_bytes([PEOPLE_HEADER, ["P-1", "", ""]]) + bytes(range(0x80, 0x100)) * 3

    with pytest.raises(Refused, match="This file is not UTF-8, and its encoding cannot be told. Choose its encoding"):
        check(alice, undecidable, name="people.csv", record_type="people")
    assert nothing_written(settings)


ROW_MISTAKES = {
    "a formula": ("=TODAY()", "a formula (=TODAY()): formulas are never evaluated here."),
    "an Excel day number": (43508, "“43508” looks like an Excel day number (12 Feb 2019), not a date."),
}


@pytest.mark.parametrize("when, message", ROW_MISTAKES.values(), ids=ROW_MISTAKES.keys())
def test_a_cell_that_cannot_be_read_honestly_refuses_the_whole_file(alice, check, confirm, settings, when, message):
    sheets = build_sheets()
    sheets["Status changes"][5][4] = when

    job = check(alice, xlsx_bytes(sheets))
    assert [(e["row"], e["column"], e["message"][: len(message)]) for e in job.report["errors"]] == [
        (6, "when", message)
    ]
    job = confirm(job)

    assert job.status == JobStatus.REFUSED
    assert nothing_written(settings)
    assert Case.objects.count() == 0


def test_a_case_of_another_team_is_answered_as_if_it_did_not_exist(alice, charlie, check, confirm, settings):
    theirs = CaseFactory(team=[charlie])
    sheets = build_sheets()
    sheets["Cases"].append(["K-X", theirs.reference, "", "", "", "", "", ""])
    sheets["Cases"].append(["K-Y", "C-NOTYRS", "", "", "", "", "", ""])

    job = check(alice, xlsx_bytes(sheets))
    messages = [e["message"] for e in job.report["errors"]]

    assert messages == [
        f"no case {theirs.reference} among the cases you may see.",
        "no case C-NOTYRS among the cases you may see.",
    ]
    assert confirm(job).status == JobStatus.REFUSED
    assert nothing_written(settings)
    assert list(Case.objects.all()) == [theirs]
