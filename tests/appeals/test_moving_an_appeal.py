"""An appeal filed under the wrong case is moved to the right one: its answers go with it, and the past it had
in the other case stays with that case.

Charlie's team holds case A, where the appeal was first entered; alice's team holds case B, where it belongs.
An administrator moves it. Neither team may see the other's case.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal, OfficialResponse
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.services import add_source, save_record
from tests.admin_forms import form_as_shown
from tests.factories import CaseFactory, DeadlineFactory, MembershipFactory

# What case A's team wrote about the appeal and then changed before it moved: the versions case B's team
# never had. What the records say at the move goes with them.
CASE_A_RECORDS = ["HIDDENSTEPNOTE", "HIDDENSUMMARY", "HIDDENQUOTE", "HIDDENOFFICIAL"]


@pytest.fixture
def misfiled(administrator, alice, charlie):
    case_a = CaseFactory(title="Case A", team=[charlie])
    case_b = CaseFactory(title="Case B", team=[alice])
    person = MembershipFactory(case=case_b).person
    appeal = file_appeal(by=charlie, reason="Filed", case=case_a, forum="ecthr", kind="application", reference="1/24")
    step = add_appeal_step(
        by=charlie, reason="Lodged", appeal=appeal, step_type="lodged", when="8 Feb 2024", description="HIDDENSTEPNOTE"
    )
    step.description = "Application lodged by post"
    save_record(step, by=charlie, reason="Note reworded")
    response = record_official_response(
        by=charlie,
        reason="Letter received",
        case=case_a,
        appeal=appeal,
        response_type="acknowledgement",
        when="20 Feb 2024",
        body="Registry",
        official="HIDDENOFFICIAL",
        summary="HIDDENSUMMARY",
        quote="HIDDENQUOTE",
    )
    response.official, response.summary, response.quote = "Deputy Registrar", "Application registered", ""
    save_record(response, by=charlie, reason="Letter read again")
    return case_a, case_b, person, appeal, step, response


def move(client, administrator, appeal, case, reason="Entered under the wrong case"):
    client.force_login(administrator)
    url = f"/admin/appeals/appeal/{appeal.pk}/change/"
    shown = form_as_shown(client.get(url).content.decode())
    return client.post(url, {**shown, "case": str(case.pk), "change_reason": reason})


def test_moving_an_appeal_takes_its_answers_along(client, administrator, misfiled):
    case_a, case_b, person, appeal, step, response = misfiled

    moved = move(client, administrator, appeal, case_b)

    assert moved.status_code == 302
    assert OfficialResponse.objects.get(pk=response.pk).case == case_b
    latest = OfficialResponse.history.filter(id=response.pk).latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        administrator,
        "Moved with its appeal: Entered under the wrong case",
    )


def test_a_moved_appeals_deadlines_are_on_the_new_teams_dashboard_and_off_the_old(
    client, administrator, alice, charlie, misfiled
):
    case_a, case_b, person, appeal, step, response = misfiled
    due = timezone.localdate() + timedelta(days=5)
    DeadlineFactory(appeal=appeal, description="Observations on admissibility", due_on=due)

    def dashboard(user):
        client.force_login(user)
        return client.get("/deadlines/").content.decode()

    assert "Observations on admissibility" in dashboard(charlie)
    assert "Observations on admissibility" not in dashboard(alice)

    move(client, administrator, appeal, case_b)

    assert "Observations on admissibility" in dashboard(alice)
    assert "1 due within a week" in dashboard(alice)
    assert "Observations on admissibility" not in dashboard(charlie)
    assert "due within a week" not in dashboard(charlie)


@pytest.mark.parametrize(
    "page, written_since",
    [
        ("appeal", "Entered under the wrong case"),
        ("appealstep", "Letter from the Registry read"),
        ("officialresponse", "Moved with its appeal"),
    ],
)
def test_the_new_case_team_sees_none_of_what_was_recorded_in_the_old_case(
    client, administrator, alice, misfiled, page, written_since
):
    case_a, case_b, person, appeal, step, response = misfiled
    move(client, administrator, appeal, case_b)
    step.refresh_from_db()
    step.description = "Registry acknowledged"
    save_record(step, by=alice, reason="Letter from the Registry read")
    client.force_login(alice)

    record = {"appeal": appeal, "appealstep": step, "officialresponse": response}[page]
    history = client.get(f"/admin/appeals/{page}/{record.pk}/history/").content.decode()

    assert [text for text in CASE_A_RECORDS if text in history] == []
    assert case_a.reference not in history
    assert written_since in history


def test_the_old_case_keeps_its_past_and_sees_nothing_recorded_after_the_move(
    client, administrator, alice, charlie, misfiled
):
    case_a, case_b, person, appeal, step, response = misfiled
    move(client, administrator, appeal, case_b)
    step.refresh_from_db()
    step.description = "HIDDENLATERNOTE"
    save_record(step, by=alice, reason="Letter from the Registry read")
    client.force_login(charlie)

    history = client.get(f"/admin/cases/case/{case_a.pk}/history/").content.decode()

    assert "HIDDENSTEPNOTE" in history and "HIDDENSUMMARY" in history
    assert "HIDDENLATERNOTE" not in history and case_b.reference not in history


def test_the_appeal_page_of_the_new_case_shows_the_moved_answers(client, administrator, alice, misfiled):
    case_a, case_b, person, appeal, step, response = misfiled
    move(client, administrator, appeal, case_b)
    client.force_login(alice)

    page = client.get(f"/admin/appeals/appeal/{appeal.pk}/change/").content.decode()

    assert "Application registered" in page and "Deputy Registrar" in page


def test_an_appeal_whose_steps_cite_sources_of_its_case_is_not_moved(client, administrator, charlie, misfiled):
    case_a, case_b, person, appeal, step, response = misfiled
    letter = add_source(by=charlie, reason="Letter", case=case_a, source_type="court_document", title="Letter")
    step.sources.add(letter)

    refused = move(client, administrator, appeal, case_b)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["case"] == [
        "Its steps or answers cite 1 source of the case it is in; a source belongs to one case. Take it off them "
        "first, then move the appeal and attach the source in its new case."
    ]
    assert Appeal.objects.get(pk=appeal.pk).case == case_a
    assert OfficialResponse.objects.get(pk=response.pk).case == case_a


def test_an_appeal_covering_people_not_in_the_new_case_is_not_moved(client, administrator, misfiled):
    case_a, case_b, person, appeal, step, response = misfiled
    appeal.people.add(MembershipFactory(case=case_a).person)

    refused = move(client, administrator, appeal, case_b)

    assert refused.context["adminform"].form.errors["case"] == [
        "1 person it covers is not in the case chosen: add them to that case first, or take them off this appeal."
    ]
    assert Appeal.objects.get(pk=appeal.pk).case == case_a


def test_people_in_the_new_case_move_with_the_appeal(client, administrator, misfiled):
    case_a, case_b, person, appeal, step, response = misfiled
    MembershipFactory(case=case_a, person=person)
    appeal.people.add(person)

    moved = move(client, administrator, appeal, case_b)

    assert moved.status_code == 302
    assert list(Appeal.objects.get(pk=appeal.pk).people.all()) == [person]
