"""One export reads the same number of rows from the database whatever the number of events."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import SourceType
from cases.services import add_source
from exports.services import export_case


@pytest.mark.parametrize("fmt", ["pdf", "docx", "json", "csv"])
@pytest.mark.parametrize("level", ["internal", "public"])
def test_export_query_count_is_the_same_for_one_and_many_events(alice, case, public_person, report, level, fmt):
    def queries() -> int:
        # A fresh user, as each request has: permissions cached on the object would hide their queries.
        user = User.objects.get(pk=alice.pk)
        with CaptureQueriesContext(connection) as captured:
            export_case(case_id=case.pk, user=user, level=level, fmt=fmt, purpose="Query count")
        return len(captured)

    report(case, person=public_person, when="1 Jan 2021")
    with_one = queries()
    for day in range(2, 12):
        report(case, person=public_person, when=f"{day} Jan 2021", place="Grozny")

    assert queries() == with_one


def _events(alice, case, person, report, count):
    """Per event: a report citing a source, an appeal naming the person with its lodging, and the State's answer."""
    for n in range(count):
        source = add_source(by=alice, reason="Test", case=case, source_type=SourceType.MEDIA, title=f"Report {n}")
        report(case, person=person, when=f"{n + 1} Jan 2021", place="Grozny", sources=[source])
        appeal = file_appeal(
            by=alice, reason="Test", case=case, people=[person], forum=Forum.ECTHR, kind=AppealKind.APPLICATION
        )
        add_appeal_step(by=alice, reason="Test", appeal=appeal, step_type=StepType.LODGED, when="2021")
        record_official_response(
            by=alice,
            reason="Test",
            case=case,
            appeal=appeal,
            response_type=ResponseType.DENIAL,
            when="2022",
            state="Russian Federation",
            sources=[source],
        )


# Queries for one export from the case page, pinned as pretalx pins them: the same for 1 and 20 events, and
# the same on SQLite and PostgreSQL. A new query fails here; if a change needs one, update the number.
# Whether the user is an administrator is asked once an export (accounts.roles.is_administrator).
EXPORT_QUERIES = {"internal": 29, "public": 27}


@pytest.mark.parametrize("events", [1, 20])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "json", "csv"])
@pytest.mark.parametrize("level", ["internal", "public"])
def test_export_query_count_is_pinned(
    alice_client, alice, case, public_person, report, level, fmt, events, django_assert_num_queries
):
    _events(alice, case, public_person, report, events)
    data = {"level": level, "format": fmt, "purpose": "Query count"}
    alice_client.post(f"/exports/case/{case.pk}/", data)  # what a running server has cached already is not counted

    with django_assert_num_queries(EXPORT_QUERIES[level]):
        assert alice_client.post(f"/exports/case/{case.pk}/", data).status_code == 200
