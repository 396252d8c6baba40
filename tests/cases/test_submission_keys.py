"""A create form sent again after an unclear failure (or Save pressed twice) creates one record, not two."""

import threading

import pytest
from django.db import connection

from cases.enums import Status
from cases.models import Case, StatusChange
from tests.admin_forms import case_form, form_as_shown
from tests.conftest import VerifiedClient
from tests.factories import MembershipFactory

STATUS_CHANGE_ADD = "/admin/cases/statuschange/add/"
ALREADY_SAVED = "This was already saved when you first sent it; it was not saved a second time."


@pytest.fixture
def status_change_form(alice_client, case):
    """The add form as the browser shows it, filled in: its one-time key comes with the page."""
    person = MembershipFactory(case=case).person
    data = form_as_shown(alice_client.get(STATUS_CHANGE_ADD).content.decode())
    data.update(
        case=case.pk,
        person=person.pk,
        status=Status.DETAINED,
        when="6 Feb 2021",
        verification="confirmed",
        change_reason="Call from the lawyer",
    )
    return data


def test_the_same_status_change_sent_twice_is_saved_once_and_the_second_answer_says_so(
    alice_client, status_change_form
):
    assert status_change_form["submission_key"]

    first = alice_client.post(STATUS_CHANGE_ADD, status_change_form)
    again = alice_client.post(STATUS_CHANGE_ADD, status_change_form, follow=True)

    change = StatusChange.objects.get()
    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == f"/admin/cases/statuschange/{change.pk}/change/"
    assert ALREADY_SAVED in again.content.decode()
    assert change.history.count() == 1


def test_each_showing_of_the_add_form_has_its_own_key(alice_client, status_change_form):
    alice_client.post(STATUS_CHANGE_ADD, status_change_form)
    second_form = form_as_shown(alice_client.get(STATUS_CHANGE_ADD).content.decode())

    alice_client.post(STATUS_CHANGE_ADD, {**status_change_form, "submission_key": second_form["submission_key"]})

    assert StatusChange.objects.count() == 2


def test_a_form_refused_for_its_errors_keeps_its_key_free_for_the_corrected_one(alice_client, status_change_form):
    refused = alice_client.post(STATUS_CHANGE_ADD, {**status_change_form, "change_reason": ""})
    assert refused.status_code == 200
    assert form_as_shown(refused.content.decode())["submission_key"] == status_change_form["submission_key"]

    alice_client.post(STATUS_CHANGE_ADD, status_change_form)

    assert StatusChange.objects.count() == 1


def test_a_case_with_its_inlines_sent_twice_is_one_case(alice_client, alice):
    key = form_as_shown(alice_client.get("/admin/cases/case/add/").content.decode())["submission_key"]
    data = {**case_form(team=[alice]), "submission_key": key}

    alice_client.post("/admin/cases/case/add/", data)
    again = alice_client.post("/admin/cases/case/add/", data, follow=True)

    assert Case.objects.filter(title="Two men seized").count() == 1
    assert ALREADY_SAVED in again.content.decode()


def test_another_users_key_reveals_nothing_of_their_record(alice_client, client, charlie, status_change_form):
    alice_client.post(STATUS_CHANGE_ADD, status_change_form)
    client.force_login(charlie)

    response = client.post(STATUS_CHANGE_ADD, status_change_form)

    # Charlie may not pick alice's case: his form is refused for its own errors, with no word of alice's record.
    assert ALREADY_SAVED not in response.content.decode()
    assert StatusChange.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_saved_once(alice, case, status_change_form):
    answers = []

    def send():
        client = VerifiedClient()
        client.force_login(alice)
        answers.append(client.post(STATUS_CHANGE_ADD, status_change_form).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302, 302]
    assert StatusChange.objects.count() == 1
