"""A case of a thousand events: its admin page and its history cost what a short case's do, and stay usable."""

import re
from datetime import date, timedelta

import pytest

from appeals.models import AppealStep
from cases.admin import SHOWN_ON_CASE_PAGE
from cases.enums import Status
from cases.history import HISTORY_PER_PAGE
from cases.models import StatusChange
from tests.admin_forms import form_as_shown
from tests.cases.sized_case import case_with_events
from tests.factories import (
    AppealFactory,
    AppealStepFactory,
    CaseFactory,
    MembershipFactory,
    OfficialResponseFactory,
    StatusChangeFactory,
)

# Queries of the admin case page and of the case history, pinned whatever the case's size and the same on
# SQLite and PostgreSQL. A new query fails here; if a change needs one, update the figure. Whether the reader is
# an administrator is asked once a request (accounts.roles.is_administrator), not by every scoped query.
CASE_PAGE_QUERIES = 31
CASE_HISTORY_QUERIES = 33


@pytest.mark.parametrize("events", [10, 1000])
def test_case_page_and_history_query_counts_are_pinned(alice_client, alice, events, django_assert_num_queries):
    case = case_with_events(events, [alice], by=alice)
    page, history = f"/admin/cases/case/{case.pk}/change/", f"/admin/cases/case/{case.pk}/history/"
    alice_client.get(page)  # what a running server has cached already is not counted

    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert alice_client.get(page).status_code == 200
    with django_assert_num_queries(CASE_HISTORY_QUERIES):
        assert alice_client.get(history).status_code == 200


def _status_changes(case, count, *, first=date(2020, 3, 1)):
    """``count`` reports about one person, a day apart from ``first``."""
    person = MembershipFactory(case=case).person
    days = (first + timedelta(days=n) for n in range(count))
    return [StatusChangeFactory(case=case, person=person, when=f"{day.day} {day:%b %Y}") for day in days]


def test_a_long_case_page_shows_its_latest_events_and_links_to_all_of_them(alice_client, case):
    _status_changes(case, SHOWN_ON_CASE_PAGE + 3)

    page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    shown = {day for day in range(1, SHOWN_ON_CASE_PAGE + 4) if f"({day} Mar 2020)" in page}
    assert shown == set(range(4, SHOWN_ON_CASE_PAGE + 4))
    assert f"The latest {SHOWN_ON_CASE_PAGE} are shown here; 3 more are not." in page
    link = f'href="/admin/cases/statuschange/?case={case.pk}"'
    assert f"{link}>See all {SHOWN_ON_CASE_PAGE + 3} status changes</a>" in page


def test_the_latest_events_on_a_case_page_are_those_last_on_the_timeline(alice_client, case):
    march = StatusChangeFactory(case=case, when="Mar 2019")
    # Known only to the year, and said by staff to follow March: the timeline shows it after March, last.
    StatusChangeFactory(case=case, person=march.person, when="2019", status=Status.RELEASED, follows=march)
    _status_changes(case, SHOWN_ON_CASE_PAGE, first=date(2019, 1, 10))

    page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    timeline = alice_client.get(f"/cases/{case.pk}/").context["timeline"]

    assert [str(event.when) for event in timeline.events][-2:] == ["Mar 2019", "2019"]
    shown = [when for when in ["10", "11", "12", "13", "14"] if f"({when} Jan 2019)" in page]
    assert (shown, "(Mar 2019)" in page, "(2019)" in page) == (["12", "13", "14"], True, True)


def test_another_account_on_a_case_page_goes_with_the_report_it_disagrees_with(alice_client, case):
    march = StatusChangeFactory(case=case, when="Mar 2019")
    # Dated earlier than anything else, but shown beside March on the timeline, where March is last.
    StatusChangeFactory(case=case, person=march.person, when="Jan 2019", status=Status.RELEASED, differs_from=march)
    _status_changes(case, SHOWN_ON_CASE_PAGE, first=date(2019, 1, 10))

    page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    shown = [when for when in ["10", "11", "12", "13", "14"] if f"({when} Jan 2019)" in page]
    assert (shown, "(Mar 2019)" in page, "(Jan 2019)" in page) == (["12", "13", "14"], True, True)


def test_the_link_from_a_case_page_lists_every_event_of_that_case_only(alice_client, alice, case):
    _status_changes(case, SHOWN_ON_CASE_PAGE + 3)
    StatusChangeFactory(case=CaseFactory(team=[alice]), when="5 May 1999")

    listed = alice_client.get(f"/admin/cases/statuschange/?case={case.pk}").content.decode()

    assert {day for day in range(1, SHOWN_ON_CASE_PAGE + 4) if f">{day} Mar 2020<" in listed} == set(
        range(1, SHOWN_ON_CASE_PAGE + 4)
    )
    assert "5 May 1999" not in listed


def test_the_list_of_a_case_no_one_showed_you_names_nothing(client, charlie, case):
    _status_changes(case, 2)
    client.force_login(charlie)

    listed = client.get(f"/admin/cases/statuschange/?case={case.pk}").content.decode()

    assert "Mar 2020" not in listed
    assert case.title not in listed


@pytest.mark.parametrize("value", ["not-an-id", "12"])
def test_a_case_filter_that_is_no_case_id_is_refused(alice_client, value):
    response = alice_client.get(f"/admin/cases/statuschange/?case={value}")

    assert response.status_code == 400
    assert "This list cannot be filtered that way." in response.content.decode()


def test_saving_a_long_case_page_keeps_the_events_it_did_not_show(alice_client, case):
    changes = _status_changes(case, SHOWN_ON_CASE_PAGE + 3)
    url = f"/admin/cases/case/{case.pk}/change/"
    data = form_as_shown(alice_client.get(url).content.decode())
    latest = next(key for key, value in data.items() if value == str(changes[-1].when))
    data |= {latest.replace("-when", "-place"): "Grozny", "change_reason": "The lawyer named the town"}

    response = alice_client.post(url, data)

    assert response.status_code == 302
    assert StatusChange.objects.filter(case=case).count() == SHOWN_ON_CASE_PAGE + 3
    assert StatusChange.objects.get(pk=changes[-1].pk).place == "Grozny"
    assert StatusChange.objects.filter(case=case, place="Grozny").count() == 1


def test_a_long_history_is_shown_a_page_at_a_time_newest_first(alice_client, case):
    changes = _status_changes(case, HISTORY_PER_PAGE + 5, first=date(2019, 1, 1))
    url = f"/admin/cases/case/{case.pk}/history/"

    first, second = (alice_client.get(url, {"p": number}).content.decode() for number in (1, 2))

    newest, oldest = str(changes[-1]), str(changes[0])
    assert (newest in first, oldest in first) == (True, False)
    assert (newest in second, oldest in second) == (False, True)
    assert re.search(r"\d+ entries, newest first", first)
    assert 'href="?p=2"' in first


def test_an_answer_on_the_case_page_is_offered_the_steps_of_its_own_appeal(alice_client, case):
    answered, other = AppealFactory(case=case, reference="111/21"), AppealFactory(case=case, reference="222/21")
    step = AppealStepFactory(appeal=answered, when="1 Mar 2021")
    AppealStepFactory(appeal=other, when="2 Mar 2021")
    OfficialResponseFactory(case=case, appeal=answered, answers_step=step)

    page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    select = re.search(r'<select name="responses-0-answers_step".*?</select>', page, re.S).group()
    offered = {AppealStep.objects.get(pk=pk).appeal_id for pk in re.findall(r'<option value="([^"]+)"', select) if pk}
    assert offered == {answered.pk}
