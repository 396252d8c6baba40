"""A database outage answers 503 with Retry-After and a page saying nothing was saved; /healthz says which part
is down."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from cases.models import Case
from exports.models import Worker


@pytest.fixture
def database_down():
    """Every query fails as it does while the server restarts: the connection is refused. Patched for the test's
    body only (the test database's own teardown needs its connection)."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    with mock.patch.object(BaseDatabaseWrapper, "cursor", refuse):
        yield


@pytest.fixture
def raising_client(client):
    client.raise_request_exception = False
    return client


def test_a_form_sent_while_the_database_is_down_answers_503_saying_nothing_was_saved(alice_client, case, database_down):
    alice_client.raise_request_exception = False

    response = alice_client.post(f"/admin/cases/case/{case.pk}/change/", {"title": "Renamed", "change_reason": "Typo"})

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The service is briefly unavailable" in page
    assert "Nothing you sent with this request was saved." in page


def test_a_page_read_while_the_connection_breaks_answers_503(alice_client, case, monkeypatch):
    alice_client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(Case.objects, "visible_to", broken)

    response = alice_client.get("/cases/")

    assert (response.status_code, response["Retry-After"]) == (503, "10")


def test_a_session_that_cannot_be_saved_for_the_outage_is_a_503_not_a_bad_request(alice_client, case):
    alice_client.raise_request_exception = False

    def save_without_database(self, must_create=False):
        # What the database session store does when its UPDATE fails: it takes the failure for a deleted session.
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError from None

    with mock.patch.object(SessionStore, "save", save_without_database):
        response = alice_client.get("/cases/")

    assert (response.status_code, response["Retry-After"]) == (503, "10")


def test_any_other_error_is_still_a_500(alice_client, monkeypatch):
    alice_client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(Case.objects, "visible_to", broken)

    response = alice_client.get("/cases/")

    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_health_reports_the_database_down(raising_client, database_down):
    response = raising_client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "unavailable"})


@pytest.mark.django_db
def test_health_reports_whether_a_worker_is_running(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "stopped"}

    Worker.objects.create(id="w1", host="another-machine", pid=1, beat_at=timezone.now())
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "running"}

    Worker.objects.filter(pk="w1").update(beat_at=timezone.now() - timedelta(minutes=5))
    assert client.get("/healthz").json()["worker"] == "stopped"
