"""A person in the cases of two teams: each team sees its own case's facts, never the other's.

Charlie's team holds case A; alice's team holds case B, which Charlie may not see. The same person is in
both, and case B knows where they went.
"""

import pytest

from cases.enums import Status
from cases.models import AccessRecord, CaseMembership, NameVariant, Person
from cases.services import add_person, add_to_case, delete_record, save_record
from tests.factories import CaseFactory, MembershipFactory, StatusChangeFactory

# "Relocated abroad" itself is among every status filter's choices: the status shown is what must not be.
HIDDEN_FACTS = [
    "HIDDENPLACE",
    "HIDDENDESCRIPTION",
    "HIDDENNOTE",
    "3 Mar 2023",
    "status-relocated_abroad",
    'field-status">Relocated abroad',
    "<strong>Relocated abroad",
]


@pytest.fixture
def shared(alice, charlie):
    case_a = CaseFactory(title="Case A", team=[charlie])
    case_b = CaseFactory(title="Case B", team=[alice])
    person = MembershipFactory(case=case_a).person
    MembershipFactory(case=case_b, person=person, note="HIDDENNOTE")
    StatusChangeFactory(case=case_a, person=person, status=Status.DETAINED, when="1 Feb 2023")
    StatusChangeFactory(
        case=case_b,
        person=person,
        status=Status.RELOCATED_ABROAD,
        when="3 Mar 2023",
        whereabouts="HIDDENPLACE",
        description="HIDDENDESCRIPTION",
    )
    return case_a, case_b, person


@pytest.mark.parametrize(
    "url", ["/cases/", "/people/{person}/", "/admin/cases/person/", "/admin/cases/person/{person}/history/"]
)
def test_status_recorded_in_a_hidden_case_does_not_show(client, charlie, shared, url):
    case_a, case_b, person = shared
    client.force_login(charlie)

    page = client.get(url.format(person=person.pk)).content.decode()

    assert [fact for fact in HIDDEN_FACTS if fact in page] == []
    assert case_b.reference not in page
    assert "Detained (acknowledged)" in page


def test_each_team_sees_the_status_its_own_case_records(client, alice, charlie, shared):
    case_a, case_b, person = shared

    client.force_login(charlie)
    charlie_sees = client.get("/admin/cases/person/").content.decode()
    client.force_login(alice)
    alice_sees = client.get("/cases/").content.decode()

    assert "Detained (acknowledged)" in charlie_sees and "1 Feb 2023" in charlie_sees
    assert "Relocated abroad" in alice_sees and "since 3 Mar 2023" in alice_sees


@pytest.mark.parametrize(
    "url",
    [
        "/cases/?status=relocated_abroad",
        "/admin/cases/case/?status=relocated_abroad",
        "/admin/cases/person/?status=relocated_abroad",
    ],
)
def test_filtering_by_a_hidden_case_status_finds_nothing(client, charlie, shared, url):
    case_a, case_b, person = shared
    client.force_login(charlie)

    page = client.get(url).content.decode()

    assert case_a.reference not in page and person.codename not in page


@pytest.mark.parametrize(
    "url",
    [
        "/cases/?status=relocated_abroad",
        "/admin/cases/case/?status=relocated_abroad",
        "/admin/cases/person/?status=relocated_abroad",
    ],
)
def test_filtering_by_status_finds_what_the_user_s_own_case_records(client, alice, shared, url):
    case_a, case_b, person = shared
    client.force_login(alice)

    page = client.get(url).content.decode()

    assert (case_b.reference if "person" not in url else person.codename) in page
    assert case_a.reference not in page


def test_the_person_history_shows_only_the_records_of_visible_cases(client, charlie, alice, shared):
    case_a, case_b, person = shared

    client.force_login(charlie)
    charlie_sees = client.get(f"/admin/cases/person/{person.pk}/history/").content.decode()
    client.force_login(alice)
    alice_sees = client.get(f"/admin/cases/person/{person.pk}/history/").content.decode()

    assert "HIDDENPLACE" not in charlie_sees and "Detained (acknowledged)" in charlie_sees
    assert "HIDDENPLACE" in alice_sees


def test_whoever_recorded_a_person_loses_them_for_good_when_off_the_team(client, alice, bob, administrator):
    case = CaseFactory(team=[alice, bob])
    person = add_person(by=alice, reason="Intake", identity={"legal_name": "Ivan Canarov"})
    client.force_login(alice)
    assert client.get(f"/people/{person.pk}/").status_code == 200  # before any case, their recorder sees them
    add_to_case(by=alice, reason="Intake", case=case, person=person, role="victim")

    case.team.remove(alice)
    identity = person.identity
    identity.current_whereabouts = "Safe flat CANARY"
    save_record(identity, by=bob, reason="Moved")

    delete_record(case, by=administrator, reason="Closed")  # the person is in no case any more

    for url in [
        f"/people/{person.pk}/",
        f"/admin/cases/person/{person.pk}/change/",
        f"/admin/cases/personidentity/{person.pk}/change/",
        f"/admin/cases/person/{person.pk}/history/",
    ]:
        response = client.get(url)
        assert response.status_code in {302, 404}, url  # the admin answers a missing record with a redirect
        assert "CANARY" not in response.content.decode()


def test_moving_a_report_to_another_case_moves_the_status_with_it(alice, shared):
    case_a, case_b, person = shared
    report = person.status_changes.get(case=case_b)

    report.case = case_a
    save_record(report, by=alice, reason="Filed under the wrong case", people_in_case={person.pk})

    statuses = dict(person.memberships.values_list("case_id", "current_status"))
    assert statuses == {case_a.pk: Status.RELOCATED_ABROAD, case_b.pk: ""}


@pytest.mark.parametrize("page", ["namevariant", "case_history", "statuschange"])
def test_every_admin_read_of_a_case_record_is_logged(alice_client, alice, case, page):
    person = add_person(by=alice, reason="Intake", names=[("Ivan Canarov", "latin", "original")])
    add_to_case(by=alice, reason="Intake", case=case, person=person, role="victim")
    change = StatusChangeFactory(case=case, person=person)
    url = {
        "namevariant": f"/admin/cases/namevariant/{NameVariant.objects.get(person=person).pk}/change/",
        "case_history": f"/admin/cases/case/{case.pk}/history/",
        "statuschange": f"/admin/cases/statuschange/{change.pk}/change/",
    }[page]

    assert alice_client.get(url).status_code == 200

    logged = AccessRecord.objects.get()
    expected = {
        "namevariant": ("", person.codename),
        "case_history": (case.reference, ""),
        "statuschange": (case.reference, person.codename),
    }[page]
    assert (logged.username, logged.case_reference, logged.person_codename) == ("alice", *expected)


def test_deleting_a_case_takes_its_reports_out_of_the_person_s_status(administrator, client, shared):
    case_a, case_b, person = shared

    delete_record(case_b, by=administrator, reason="Opened in error")

    person.refresh_from_db()
    assert (person.current_status, person.latest_status_change.case_id) == (Status.DETAINED, case_a.pk)
    client.force_login(administrator)
    assert 'field-status">Detained (acknowledged)' in client.get("/admin/cases/person/").content.decode()


def test_a_report_moved_to_someone_else_leaves_its_first_person_s_status(alice, administrator, shared):
    case_a, case_b, person = shared
    report = person.status_changes.get(case=case_b)
    other = MembershipFactory(case=case_b).person
    delete_record(CaseMembership.objects.get(case=case_b, person=person), by=administrator, reason="Wrong case")

    report.person = other
    save_record(report, by=administrator, reason="Filed under the wrong person", people_in_case={other.pk})

    assert Person.objects.get(pk=person.pk).current_status == Status.DETAINED
    assert Person.objects.get(pk=other.pk).current_status == Status.RELOCATED_ABROAD


def test_a_report_moved_between_cases_keeps_its_past_from_the_other_team(client, alice, charlie, shared):
    case_a, case_b, person = shared
    report = person.status_changes.get(case=case_b)
    report.case, report.whereabouts, report.description = case_a, "", "Left the country"
    save_record(report, by=alice, reason="Belongs to case A", people_in_case={person.pk})
    client.force_login(charlie)

    page = client.get(f"/admin/cases/statuschange/{report.pk}/history/").content.decode()

    assert "Left the country" in page
    assert "HIDDENPLACE" not in page and "HIDDENDESCRIPTION" not in page
