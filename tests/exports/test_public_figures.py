"""The public figures export: small counts withheld with what would give them away, nothing that names
anyone, and a record of every export like any other."""

import csv
import hashlib
import io

import pytest

from cases.enums import Consent, Sensitivity, Status
from cases.models import AccessRecord
from cases.services import save_record
from exports.models import ExportRecord
from tests.exports.conftest import flat, readable_text
from tests.factories import MembershipFactory, PersonIdentityFactory

EXPORT = "/figures/export/"


def _people(alice, case, report, status, count, *, consent=Consent.GIVEN):
    people = []
    for n in range(count):
        identity = PersonIdentityFactory(legal_name=f"Canaryname {status} {n}")
        person = identity.person
        person.consent_publicity = consent
        person.sensitivity = Sensitivity.PUBLIC if consent == Consent.GIVEN else Sensitivity.CONFIDENTIAL
        save_record(person, by=alice, reason="Consent recorded")
        MembershipFactory(case=case, person=person)
        report(case, person=person, status=status, when="2021")
        people.append(person)
    return people


def table_rows(content: bytes, title: str) -> dict[str, list[str]]:
    """One table of the CSV: its rows by label, from its title to the blank line after it."""
    rows, inside = {}, False
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if row and row[0] == title:
            inside = True
        elif inside and not row:
            break
        elif inside and len(row) > 1:
            rows[row[0]] = row[1:]
    return rows


@pytest.fixture
def nine_people(alice, case, report):
    return [
        *_people(alice, case, report, Status.DETAINED, 3),
        *_people(alice, case, report, Status.RELEASED, 6),
    ]


def test_a_count_of_three_is_withheld_and_so_is_the_count_that_would_give_it_away(alice_client, nine_people):
    response = alice_client.post(EXPORT, {"format": "csv", "purpose": "Annual report", "threshold": 5})

    assert response.status_code == 200
    people = table_rows(response.content, "People by current status")
    assert people == {
        "": ["People"],
        "Detained (acknowledged)": ["<5"],
        "Released": ["x"],
        "All people counted": ["9"],
    }


def test_a_large_count_with_few_people_who_did_not_consent_is_withheld(alice, alice_client, case, report):
    _people(alice, case, report, Status.DETAINED, 6)
    _people(alice, case, report, Status.DETAINED, 2, consent=Consent.NOT_ASKED)
    _people(alice, case, report, Status.RELEASED, 7)

    response = alice_client.post(EXPORT, {"format": "csv", "purpose": "Annual report", "threshold": 5})

    people = table_rows(response.content, "People by current status")
    # Those who consented are public: a count of 8 detained, or 15 in all, would say two more are detained.
    assert (people["Detained (acknowledged)"], people["Released"], people["All people counted"]) == (
        ["x"],
        ["7"],
        ["x"],
    )


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_public_figures_name_no_one_and_are_recorded_as_an_export(alice_client, alice, case, nine_people, fmt):
    response = alice_client.post(EXPORT, {"format": fmt, "purpose": "Annual report", "threshold": 5})

    text = readable_text(response.content, fmt)
    names = [person.codename for person in nine_people] + [person.identity.legal_name for person in nine_people]
    assert [name for name in names if flat(name) in text] == []
    assert [value for value in (case.title, case.reference) if flat(value) in text] == []
    assert flat("People by current status") in text
    assert flat("<5") in text
    record = ExportRecord.objects.get()
    assert (record.user, record.level, record.format, record.purpose) == (alice, "public", fmt, "Annual report")
    assert record.case_references == [case.reference]
    assert record.sha256 == hashlib.sha256(response.content).hexdigest()
    assert record.filename in response["Content-Disposition"]
    assert flat(str(record.pk.hex)) in text  # the footer leads back to the record
    assert AccessRecord.objects.filter(action="export", object_id=str(record.pk)).count() == 1


def test_an_export_without_a_purpose_or_under_the_threshold_is_refused_and_not_recorded(alice_client, nine_people):
    no_purpose = alice_client.post(EXPORT, {"format": "csv", "purpose": " ", "threshold": 5})
    low = alice_client.post(EXPORT, {"format": "csv", "purpose": "Press", "threshold": 2})

    assert (no_purpose.status_code, low.status_code) == (400, 400)
    assert "Recipient or purpose: This field is required." in no_purpose.content.decode()
    assert "Ensure this value is greater than or equal to 5." in low.content.decode()
    assert ExportRecord.objects.count() == 0


def test_an_outsider_exports_figures_of_nothing(client, charlie, nine_people):
    client.force_login(charlie)

    response = client.post(EXPORT, {"format": "csv", "purpose": "Curious", "threshold": 5})

    assert table_rows(response.content, "People by current status") == {
        "": ["People"],
        "All people counted": ["0"],
    }
    assert ExportRecord.objects.get().case_references == []


def test_public_figures_are_written_in_the_language_chosen_for_them(alice_client, nine_people):
    # Asked for from an English page, for a Russian-speaking recipient: the headings, the rows and the filters.
    response = alice_client.post(EXPORT, {"format": "csv", "purpose": "Мемориал", "threshold": 5, "language": "ru"})

    assert response.status_code == 200
    people = table_rows(response.content, "Лица по текущему статусу")
    assert people["Задержан(а) (задержание признано)"] == ["<5"]
    assert ["Инстанция", "все инстанции"] in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert ExportRecord.objects.get().language == "ru"
