"""A workbook written the way an NGO keeps its records, built in code: ~50 people, ~200 events, names in Cyrillic
and Latin, dates as people type them ("c. 2017", "февраль 2019", "ок. 17 авг. 2017"), a few real Excel date
cells, and on request the mistakes such sheets hold (``SEEDED_ERRORS``)."""

import csv
import io
from datetime import date

import openpyxl

from imports.layout import APPEAL_STEPS, APPEALS, CASE_PEOPLE, CASES, PEOPLE, RESPONSES, SOURCES, STATUS_CHANGES

SURNAMES = [
    ("Исаев", "Isaev"),
    ("Магамадов", "Magamadov"),
    ("Арсамиков", "Arsamikov"),
    ("Лапунов", "Lapunov"),
    ("Вымышленный", "Vymyshlenny"),
    ("Хасанов", "Khasanov"),
    ("Умаров", "Umarov"),
    ("Дудаев", "Dudaev"),
    ("Садулаев", "Sadulaev"),
    ("Бибулатов", "Bibulatov"),
]
FIRST_NAMES = [("Исмаил", "Ismail"), ("Салех", "Salekh"), ("Идрис", "Idris"), ("Максим", "Maksim"), ("Тимур", "Timur")]
# Each a distinct person: every (first name, surname) pair once.
PEOPLE_COUNT = 50
DATES = ["c. 2017", "февраль 2019", "ок. 17 авг. 2017", "Feb 2023", "early 2022", "2019-03", "16–28 Mar 2017", "2020"]
STATUSES = ["Detained (acknowledged)", "released", "In hiding / safe house", "disappeared"]
PLACES = {"Detained (acknowledged)": "Grozny", "released": "Gudermes", "disappeared": "", "In hiding / safe house": ""}

# (sheet, row, column) of each mistake put in by ``build_workbook(with_errors=True)``, rows as the file numbers them.
SEEDED_ERRORS = [
    ("People", 8, "birth_year"),
    ("Status changes", 5, "when"),
    ("Status changes", 9, "status"),
    ("Status changes", 14, "person_id"),
    ("Status changes", 20, "when"),
    ("Status changes", 31, "when"),
    ("Cases", 7, "reference"),
]
# The same man entered twice: P-051 is P-001 (Исмаил Исаев, Ismail Isaev, born 1986) under another spelling.
SEEDED_DUPLICATE = ("People", 52, "P-051")
# Rows that name P-007, whose row has the seeded mistake: they wait for it rather than count as mistakes.
BLOCKED_BY_SEEDED = [("Case people", 8), ("Status changes", 26), ("Status changes", 27), ("Status changes", 28),
                     ("Status changes", 29)]  # fmt: skip


def person_id(index: int) -> str:
    return f"P-{index:03d}"


def people_rows() -> list[list]:
    rows = []
    for index in range(1, PEOPLE_COUNT + 1):
        first = FIRST_NAMES[(index - 1) // len(SURNAMES)]
        last = SURNAMES[(index - 1) % len(SURNAMES)]
        cyrillic, latin = f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"
        # Some sheets know only the Cyrillic name, some only the Latin one, most both.
        legal = "" if index % 7 == 0 else latin
        original = "" if index % 11 == 0 else cyrillic
        other = f"{first[1]} {last[1].replace('ae', 'aye')}" if "ae" in last[1] else ""
        birth = 1985 + index % 15
        rows.append([person_id(index), legal, original, other, "", birth, "", "", "", "not asked", "", "", "", ""])
    rows.append([person_id(PEOPLE_COUNT + 1), "Ismail Isayev", "", "", "", 1986, "", "", "", "", "", "", "", ""])
    return rows


def _when(index: int):
    return DATES[index % len(DATES)]


def build_sheets(*, with_errors: bool = False) -> dict[str, list[list]]:
    """Each sheet as rows of values, its header first."""
    cases = [
        [f"K-{n}", "", f"Detentions in Chechnya, group {n}", "", "Chechnya", "1 Mar 2021", "", ""] for n in range(1, 6)
    ]
    people = people_rows()
    memberships = [[f"K-{(i - 1) // 10 + 1}", person_id(i), "victim", ""] for i in range(1, PEOPLE_COUNT + 1)]
    sources = [[f"S-{n}", f"K-{n}", "ngo_report", f"Monitoring report {n}", "SOS Crisis Group", "2019", "", "ru", ""]
               for n in range(1, 6)]  # fmt: skip
    events = []
    for index in range(1, PEOPLE_COUNT + 1):
        for step, status in enumerate(STATUSES):
            number = (index - 1) * len(STATUSES) + step + 1
            case = f"K-{(index - 1) // 10 + 1}"
            when = _when(number) if step else date(2017, 3, 1)
            events.append(
                [f"E-{number:04d}", case, person_id(index), status, when, PLACES[status], "",
                 f"Report {number}", "credible", f"S-{(index - 1) // 10 + 1}" if step == 0 else "", ""]
            )  # fmt: skip
    appeals = [[f"A-{n}", f"K-{n}", "ecthr", "application", f"{28800 + n}/19", f"Applicant {n} v. Russia",
                "May 2019", "RU", "2017", "Russian LGBT Network", person_id((n - 1) * 10 + 1), ""]
               for n in range(1, 6)]  # fmt: skip
    steps = [[f"ST-{n}", f"A-{n}", "lodged", "24 May 2019", "Application lodged", "", ""] for n in range(1, 6)]
    responses = [[f"R-{n}", f"K-{n}", f"A-{n}", "denial", "Jun 2019", "Russian Federation", "Ministry of Justice", "",
                  "No evidence of arrests.", "", "", ""] for n in range(1, 6)]  # fmt: skip
    if with_errors:
        people[6][5] = "19x0"  # row 8: not a year
        events[3][4] = "sometime in spring"  # row 5: not a date
        events[7][3] = "arrested"  # row 9: not one of the statuses
        events[12][2] = "P-999"  # row 14: nobody with that id
        events[18][4] = "=TODAY()"  # row 20: a formula
        events[29][4] = 43508  # row 31: an Excel day number where a date belongs
        cases.append(["K-X", "C-NOTYRS", "", "", "", "", "", ""])  # row 6: a case the user may not see
    return {
        CASES.sheet: [CASES.names, *cases],
        PEOPLE.sheet: [PEOPLE.names, *people],
        CASE_PEOPLE.sheet: [CASE_PEOPLE.names, *memberships],
        SOURCES.sheet: [SOURCES.names, *sources],
        STATUS_CHANGES.sheet: [STATUS_CHANGES.names, *events],
        APPEALS.sheet: [APPEALS.names, *appeals],
        APPEAL_STEPS.sheet: [APPEAL_STEPS.names, *steps],
        RESPONSES.sheet: [RESPONSES.names, *responses],
    }


def xlsx_bytes(sheets: dict[str, list[list]], *, title: str = "") -> bytes:
    """The sheets as an XLSX workbook; a ``title`` makes another file (another SHA-256) of the same rows."""
    workbook = openpyxl.Workbook()
    workbook.properties.title = title
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "dd.mm.yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_workbook(*, with_errors: bool = False) -> bytes:
    return xlsx_bytes(build_sheets(with_errors=with_errors))


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return text.getvalue().encode(encoding)


def people_csv_cp1251() -> bytes:
    """The people sheet as Excel in Russian saves a CSV: Windows-1251, semicolons between the values."""
    return csv_bytes(build_sheets()[PEOPLE.sheet], encoding="cp1251", delimiter=";")
