"""Admin lists cost the same number of queries for one record as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AppealFactory,
    CaseFactory,
    DeadlineFactory,
    MembershipFactory,
    SourceFactory,
    StatusChangeFactory,
)

LISTS = [
    "/admin/cases/case/",
    "/admin/cases/person/",
    "/admin/cases/statuschange/",
    "/admin/cases/source/",
    "/admin/cases/casemembership/",
    "/admin/appeals/appeal/",
    "/admin/appeals/deadline/",
]


def _add_records(case, count):
    for _ in range(count):
        StatusChangeFactory(case=case, person=MembershipFactory(case=case).person)
        SourceFactory(case=case)
        DeadlineFactory(appeal=AppealFactory(case=case))


@pytest.mark.parametrize("url", LISTS)
def test_admin_list_query_count_does_not_grow_with_rows(client, alice, case, url, django_assert_num_queries):
    client.force_login(alice)
    _add_records(case, 1)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(url).status_code == 200
    _add_records(case, 4)

    with django_assert_num_queries(len(with_one)):
        assert client.get(url).status_code == 200


# Queries for the admin's list of cases, pinned as pretalx pins them: the same for 1 and for 20 cases and
# records, and the same on SQLite and PostgreSQL. A new query fails here; if a change needs one, update it.
# Two of them are the savepoint that turns a refused filter value into a 400; the list is counted once
# (AuditedAdmin.show_full_result_count); whether the reader is an administrator is asked once a request.
CASE_LIST_QUERIES = 14


@pytest.mark.parametrize("size", [1, 20])
def test_admin_case_list_query_count_is_pinned(client, alice, case, size, django_assert_num_queries):
    client.force_login(alice)
    _add_records(case, size)
    for _ in range(size - 1):
        _add_records(CaseFactory(team=[alice]), 1)
    client.get("/admin/cases/case/")  # what a running server has cached already is not counted

    with django_assert_num_queries(CASE_LIST_QUERIES):
        assert client.get("/admin/cases/case/").status_code == 200
