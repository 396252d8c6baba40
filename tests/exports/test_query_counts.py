"""One export reads the same number of rows from the database whatever the number of events."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
