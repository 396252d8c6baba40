"""The year and month the database keeps beside each reported date, which the figures count by: never a month or
a year the date may not belong to, and in step with the date through every edit."""

import pytest

from appeals.enums import Forum, ResponseType, StepType
from appeals.models import AppealStep, OfficialResponse
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.datefields import MONTH_UNKNOWN, OPEN_ENDED, SPANS_YEARS
from cases.fuzzydate import FuzzyDate
from cases.models import StatusChange
from cases.services import record_status_change, save_record
from tests.factories import MembershipFactory

# What each typed date is counted as, worked out by hand from what it means.
COUNTED_AS = {
    "8 Feb 2021": (2021, 2),
    "Feb 2023": (2023, 2),
    "2017": (2017, MONTH_UNKNOWN),
    "16–28 Mar 2017": (2017, 3),
    "28 Jan – 3 Feb 2022": (2022, MONTH_UNKNOWN),
    "Aug – Dec 2017": (2017, MONTH_UNKNOWN),
    "Nov 2017 – Feb 2018": (SPANS_YEARS, MONTH_UNKNOWN),
    "2016 – 2018": (SPANS_YEARS, MONTH_UNKNOWN),
    "c. 2017": (2017, MONTH_UNKNOWN),
    "c. Mar 2023": (2023, 3),
    "early 2022": (2022, MONTH_UNKNOWN),
    "before Aug 2017": (OPEN_ENDED, MONTH_UNKNOWN),
    "since Feb 2022": (OPEN_ENDED, MONTH_UNKNOWN),
}


def _stored(model, pk) -> tuple[int, int]:
    return model.objects.values_list("date_year", "date_month").get(pk=pk)


@pytest.mark.parametrize("when", list(COUNTED_AS))
def test_a_reported_date_counts_where_it_certainly_falls(alice, case, when):
    person = MembershipFactory(case=case).person
    change = record_status_change(by=alice, reason="Report", person=person, case=case, status="detained", when=when)
    appeal = file_appeal(by=alice, reason="Test", case=case, people=[person], forum=Forum.ECTHR, kind="application")
    step = add_appeal_step(by=alice, reason="Test", appeal=appeal, step_type=StepType.LODGED, when=when)
    response = record_official_response(
        by=alice, reason="Test", case=case, appeal=appeal, response_type=ResponseType.DENIAL, when=when, state="Russia"
    )

    assert _stored(StatusChange, change.pk) == COUNTED_AS[when]
    assert _stored(AppealStep, step.pk) == COUNTED_AS[when]
    assert _stored(OfficialResponse, response.pk) == COUNTED_AS[when]


def test_the_counted_year_and_month_follow_an_edited_date(alice, case):
    person = MembershipFactory(case=case).person
    change = record_status_change(by=alice, reason="Report", person=person, case=case, status="detained", when="2017")

    change.when = FuzzyDate.parse("14 Jun 2018")
    save_record(change, by=alice, reason="Day learnt")

    assert _stored(StatusChange, change.pk) == (2018, 6)
    # What staff wrote is in the history; what the database works out from it is not.
    assert not {"date_year", "date_month"} & {field.name for field in StatusChange.history.model._meta.fields}
