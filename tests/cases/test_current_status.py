"""One order of reports decides a person's current status everywhere it is shown."""

import html
import json
import re

import pytest
from django.core.exceptions import ValidationError

from cases.enums import Status, Verification
from cases.models import CaseMembership, Person, StatusChange
from cases.services import record_status_change, save_record
from exports.services import export_case
from tests.factories import MembershipFactory

DISAPPEARED = "Disappeared / whereabouts unknown"
AT_LIBERTY = "At liberty in the region"


@pytest.fixture
def vanished(alice, case):
    """At liberty at some point in 2017 (year only, confirmed), then disappeared on 14 Jun 2017 (credible)."""
    person = MembershipFactory(case=case).person
    for status, when, verification in [
        (Status.AT_LIBERTY, "2017", Verification.CONFIRMED),
        (Status.DISAPPEARED, "14 Jun 2017", Verification.CREDIBLE),
    ]:
        record_status_change(
            by=alice, reason="Report", person=person, case=case, status=status, when=when, verification=verification
        )
    return person


@pytest.fixture
def advocate_client(client, advocate, case):
    case.team.add(advocate)
    client.force_login(advocate)
    return client


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_precise_report_inside_a_year_only_one_is_the_current_status(vanished, case):
    person = Person.objects.get(pk=vanished.pk)
    membership = CaseMembership.objects.get(person=vanished, case=case)

    assert (person.current_status, membership.current_status) == (Status.DISAPPEARED, Status.DISAPPEARED)


def test_case_list_and_its_filters_show_the_later_report(advocate_client, vanished, case):
    page = _text(advocate_client.get("/cases/"))

    assert f"{DISAPPEARED} since 14 Jun 2017" in page
    assert f"{AT_LIBERTY} since 2017" not in page
    assert advocate_client.get("/cases/", {"status": Status.DISAPPEARED}).context["total"] == 1
    assert advocate_client.get("/cases/", {"whereabouts_unknown": "on"}).context["total"] == 1
    assert advocate_client.get("/cases/", {"status": Status.AT_LIBERTY}).context["total"] == 0


@pytest.mark.parametrize("viewer", ["alice", "administrator"])
def test_person_page_and_admin_list_show_the_later_report(client, vanished, viewer, request):
    client.force_login(request.getfixturevalue(viewer))

    person_page = _text(client.get(f"/people/{vanished.pk}/"))
    admin_list = _text(client.get("/admin/cases/person/"))
    filtered = client.get("/admin/cases/person/", {"status": Status.DISAPPEARED})

    assert f"Current status: {DISAPPEARED} since 14 Jun 2017" in person_page
    assert f"{vanished.codename} Confidential {DISAPPEARED} 14 Jun 2017" in admin_list
    assert vanished.codename in _text(filtered)


def test_status_bar_ends_where_the_current_status_says(advocate_client, vanished, case):
    page = _text(advocate_client.get(f"/cases/{case.pk}/"))

    assert f"{AT_LIBERTY} (2017 – 14 Jun 2017)" in page
    assert f"{DISAPPEARED} (14 Jun 2017 – now)" in page


def test_export_states_the_later_report(alice, vanished, case):
    document = json.loads(
        export_case(case_id=case.pk, user=alice, level="internal", fmt="json", purpose="Check").content
    )

    assert document["people"][0]["status"] == f"{DISAPPEARED} (14 Jun 2017)"


def test_staff_can_say_which_report_follows_when_dates_cannot_tell(alice, case):
    person = MembershipFactory(case=case).person
    detained = record_status_change(
        by=alice,
        reason="Report",
        person=person,
        case=case,
        status=Status.DETAINED,
        when="Jun 2017",
        verification=Verification.CONFIRMED,
    )
    released = record_status_change(
        by=alice,
        reason="Report",
        person=person,
        case=case,
        status=Status.RELEASED,
        when="2017",
        verification=Verification.CONFIRMED,
    )
    assert Person.objects.get(pk=person.pk).current_status == Status.DETAINED

    released.follows = detained
    save_record(released, by=alice, reason="The release came after the June detention")

    assert Person.objects.get(pk=person.pk).current_status == Status.RELEASED
    assert list(StatusChange.objects.filter(person=person).order_by("sequence")) == [detained, released]


def test_an_unverified_later_report_does_not_overwrite_an_established_status(alice, advocate_client, case):
    person = MembershipFactory(case=case).person
    for status, when, verification in [
        (Status.DISAPPEARED, "15 Feb 2023", Verification.CONFIRMED),
        (Status.AT_LIBERTY, "Mar 2023", Verification.UNVERIFIED),
    ]:
        record_status_change(
            by=alice, reason="Report", person=person, case=case, status=status, when=when, verification=verification
        )

    page = _text(advocate_client.get(f"/cases/{case.pk}/"))

    assert Person.objects.get(pk=person.pk).current_status == Status.DISAPPEARED
    assert f"{DISAPPEARED} (15 Feb 2023 – now)" in page
    assert f"{AT_LIBERTY} (" not in page


def test_a_circle_of_reports_following_each_other_is_refused(alice_client, alice, case):
    person = MembershipFactory(case=case).person
    first = record_status_change(by=alice, reason="R", person=person, case=case, status=Status.DETAINED, when="2017")
    second = record_status_change(
        by=alice, reason="R", person=person, case=case, status=Status.RELEASED, when="2017", follows=first
    )

    response = alice_client.post(
        f"/admin/cases/statuschange/{first.pk}/change/",
        {
            "case": case.pk,
            "person": person.pk,
            "status": Status.DETAINED,
            "when": "2017",
            "verification": "confirmed",
            "follows": second.pk,
            "change_reason": "Circle",
            "seen_version": first.version,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["follows"] == ["That report already comes after this one."]
    assert StatusChange.objects.get(pk=first.pk).follows_id is None


def test_a_report_cannot_follow_one_about_someone_else(alice_client, alice, case):
    first = record_status_change(
        by=alice, reason="R", person=MembershipFactory(case=case).person, case=case, status=Status.DETAINED, when="2017"
    )
    other = MembershipFactory(case=case).person

    response = alice_client.post(
        "/admin/cases/statuschange/add/",
        {
            "case": case.pk,
            "person": other.pk,
            "status": Status.RELEASED,
            "when": "2017",
            "verification": "confirmed",
            "follows": first.pk,
            "change_reason": "Wrong person",
        },
    )

    assert response.context["adminform"].form.errors["follows"] == [
        "Choose a report about the same person in the same case."
    ]
    assert not StatusChange.objects.filter(person=other).exists()


def test_another_account_must_be_about_the_same_person(alice_client, alice, case):
    someone = MembershipFactory(case=case).person
    detained = record_status_change(
        by=alice, reason="R", person=someone, case=case, status=Status.DETAINED, when="2017"
    )
    other = MembershipFactory(case=case).person

    response = alice_client.post(
        "/admin/cases/statuschange/add/",
        {
            "case": case.pk,
            "person": other.pk,
            "status": Status.RELEASED,
            "when": "2018",
            "verification": "confirmed",
            "differs_from": detained.pk,
            "change_reason": "Wrong report picked",
        },
    )

    assert response.context["adminform"].form.errors["differs_from"] == [
        "Choose a report about the same person in the same case."
    ]
    assert not StatusChange.objects.filter(person=other).exists()


def test_another_account_of_another_account_is_refused(alice_client, alice, case):
    someone = MembershipFactory(case=case).person
    detained = record_status_change(
        by=alice, reason="R", person=someone, case=case, status=Status.DETAINED, when="2017"
    )
    account = record_status_change(
        by=alice, reason="R", person=someone, case=case, status=Status.DISAPPEARED, when="2017", differs_from=detained
    )

    response = alice_client.post(
        "/admin/cases/statuschange/add/",
        {
            "case": case.pk,
            "person": someone.pk,
            "status": Status.RELEASED,
            "when": "2017",
            "verification": "confirmed",
            "differs_from": account.pk,
            "change_reason": "A third account",
        },
    )

    assert response.context["adminform"].form.errors["differs_from"] == [
        "That report is itself another account: link to the report it disagrees with."
    ]
    assert not StatusChange.objects.filter(status=Status.RELEASED).exists()


def test_a_report_with_accounts_of_its_own_cannot_become_another_account(alice, case):
    someone = MembershipFactory(case=case).person
    first = record_status_change(by=alice, reason="R", person=someone, case=case, status=Status.DETAINED, when="2017")
    second = record_status_change(by=alice, reason="R", person=someone, case=case, status=Status.RELEASED, when="2018")
    record_status_change(
        by=alice, reason="R", person=someone, case=case, status=Status.DISAPPEARED, when="2018", differs_from=second
    )

    second.differs_from = first
    with pytest.raises(ValidationError) as refused:
        second.full_clean()

    assert refused.value.message_dict["differs_from"] == [
        "Other reports are accounts of this one, so it cannot be another account itself: link them to the report "
        "this one disagrees with first."
    ]
