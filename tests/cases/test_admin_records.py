"""Staff logging updates in the admin: what they see after each submission, and what is stored."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal
from cases.enums import DatePrecision, Status
from cases.fuzzydate import FuzzyDate
from cases.models import Case, Person, StatusChange
from cases.services import save_record
from tests.admin_forms import appeal_form, case_form, form_as_shown, formset
from tests.factories import (
    AppealFactory,
    AppealStepFactory,
    CaseFactory,
    DeadlineFactory,
    MembershipFactory,
    StatusChangeFactory,
)

CASE_ADD = "/admin/cases/case/add/"


@pytest.fixture
def person_of_alice(alice):
    return save_record(Person(), by=alice, reason="New person")


def test_admin_case_with_person_and_detention_is_saved_with_the_reason(alice_client, alice, person_of_alice):
    data = case_form(
        team=[alice],
        memberships=formset("memberships", [{"person": person_of_alice.pk, "role": "victim"}]),
        status_changes=formset(
            "status_changes",
            [
                {
                    "person": person_of_alice.pk,
                    "status": "detained_incommunicado",
                    "when": "c. Feb 2021",
                    "place": "Gudermes",
                    "verification": "unverified",
                    "description": "Seen taken away",
                }
            ],
        ),
    )

    response = alice_client.post(CASE_ADD, data)

    assert response.status_code == 302
    case = Case.objects.get(title="Two men seized")
    change = case.status_changes.get()
    assert (change.status, str(change.when), change.date_precision) == (
        Status.DETAINED_INCOMMUNICADO,
        "c. Feb 2021",
        DatePrecision.APPROXIMATE,
    )
    assert list(case.team.all()) == [alice]
    history = change.history.get()
    assert (history.history_user, history.history_change_reason) == (alice, "Opened after a call from the lawyer")
    assert Person.objects.get(pk=person_of_alice.pk).current_status == Status.DETAINED_INCOMMUNICADO


def test_admin_change_without_reason_shows_error_and_saves_nothing(alice_client):
    response = alice_client.post(CASE_ADD, case_form(reason=""))

    assert response.status_code == 200
    assert "This field is required." in response.context["adminform"].form.errors["change_reason"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("soon", "is not a date we can read"),
        ("28–16 Mar 2017", "The end of the range (16 Mar 2017) is before its start (28 Mar 2017)."),
        ("FUTURE", "This date is in the future."),
    ],
)
def test_admin_bad_event_date_shows_message_and_saves_nothing(alice_client, person_of_alice, typed, message):
    if typed == "FUTURE":
        typed = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = case_form(
        memberships=formset("memberships", [{"person": person_of_alice.pk, "role": "victim"}]),
        status_changes=formset(
            "status_changes",
            [{"person": person_of_alice.pk, "status": "detained", "when": typed, "verification": "confirmed"}],
        ),
    )

    response = alice_client.post(CASE_ADD, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    # Said once, by the box: not also "Enter a date." from the record left without one.
    assert "Enter a date." not in response.content.decode()
    assert not Case.objects.exists()
    assert not StatusChange.objects.exists()


def test_admin_status_for_someone_not_in_the_case_is_refused(alice_client, person_of_alice):
    data = case_form(
        status_changes=formset(
            "status_changes",
            [{"person": person_of_alice.pk, "status": "detained", "when": "2021", "verification": "confirmed"}],
        )
    )

    response = alice_client.post(CASE_ADD, data)

    assert "This person is not part of this case; add them to the case first." in response.content.decode()
    assert not Case.objects.exists()


def test_admin_unknown_vocabulary_value_is_refused(alice_client, person_of_alice):
    data = case_form(
        memberships=formset("memberships", [{"person": person_of_alice.pk, "role": "victim"}]),
        status_changes=formset(
            "status_changes",
            [{"person": person_of_alice.pk, "status": "vanished", "when": "2021", "verification": "confirmed"}],
        ),
    )

    response = alice_client.post(CASE_ADD, data)

    assert "Select a valid choice. vanished is not one of the available choices." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reference": "ABC"}, "reference", "“ABC” is not a reference of this forum; expected e.g. 28834/19."),
        (
            {"forum": "un_sp", "kind": "urgent_appeal", "reference": "UA RUS 4"},
            "reference",
            "expected e.g. UA RUS 4/2019",
        ),
        ({"kind": "urgent_appeal"}, "kind", "Not a kind of appeal to this forum."),
        ({"filed": "1 Jan 2099"}, "filed", "This date is in the future."),
    ],
)
def test_admin_appeal_with_bad_input_shows_message_and_saves_nothing(alice_client, case, fields, field, message):
    response = alice_client.post("/admin/appeals/appeal/add/", appeal_form(case, **fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert not Appeal.objects.exists()


def test_admin_duplicate_reference_is_refused(alice_client, case):
    AppealFactory(case=case, reference="28834/19")

    response = alice_client.post("/admin/appeals/appeal/add/", appeal_form(case, reference="28834/19"))

    assert (
        "This reference number is already in use for this forum, perhaps in a case you cannot see."
        in response.content.decode()
    )
    assert Appeal.objects.count() == 1


def test_admin_rule39_indication_proposes_the_government_reply_deadline(alice_client, alice, case):
    data = appeal_form(
        case,
        kind="interim_request",
        reference="",
        steps=formset(
            "steps",
            [
                {"step_type": "interim_requested", "when": "5 Feb 2021"},
                {"step_type": "interim_granted", "when": "8 Feb 2021", "response_due_on": "2021-02-12"},
            ],
        ),
    )

    response = alice_client.post("/admin/appeals/appeal/add/", data)

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.current_stage, appeal.interim_measures) == ("interim_granted", "granted")
    deadline = appeal.deadlines.get()
    assert (deadline.description, str(deadline.due_on), deadline.status) == (
        "Government's reply to the interim measures",
        "2021-02-12",
        "open",
    )
    assert deadline.history.get().history_user == alice
    page = alice_client.get(f"/admin/appeals/appeal/{appeal.pk}/change/").content.decode()
    assert "Government&#x27;s reply to the interim measures" in page


def test_admin_deadline_list_shows_a_proposed_deadline_in_the_readers_language(alice_client, case):
    data = appeal_form(
        case,
        kind="interim_request",
        reference="",
        steps=formset(
            "steps", [{"step_type": "interim_granted", "when": "8 Feb 2021", "response_due_on": "2021-02-12"}]
        ),
    )
    assert alice_client.post("/admin/appeals/appeal/add/", data).status_code == 302

    page = alice_client.get("/admin/appeals/deadline/", headers={"accept-language": "ru"}).content.decode()

    assert "Ответ властей на обеспечительные меры" in page
    assert "Government&#x27;s reply to the interim measures" not in page


def test_admin_step_not_of_the_forum_is_refused(alice_client, case):
    data = appeal_form(case, steps=formset("steps", [{"step_type": "views_adopted", "when": "2021"}]))

    response = alice_client.post("/admin/appeals/appeal/add/", data)

    assert response.status_code == 200
    assert not Appeal.objects.exists()


def test_admin_history_page_shows_who_changed_what_and_why_through_inlines(alice_client, alice, bob, case):
    membership = MembershipFactory(case=case)
    change = StatusChange(case=case, person=membership.person, status=Status.DETAINED, verification="confirmed")
    change.when = FuzzyDate.parse("6 Feb 2021")
    save_record(change, by=bob, reason="Police admitted the arrest")
    data = case_form(
        team=[alice, bob],
        reason="Lawyer confirmed the release",
        memberships=formset(
            "memberships", [{"id": membership.pk, "person": membership.person.pk, "role": "victim"}], initial=1
        ),
        status_changes=formset(
            "status_changes",
            [
                {
                    "id": change.pk,
                    "person": membership.person.pk,
                    "status": "released",
                    "when": "6 Feb 2021",
                    "verification": "confirmed",
                }
            ],
            1,
        ),
    )
    data.update(title=case.title, region=case.region, opened_on=case.opened_on.isoformat())

    assert alice_client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302
    page = alice_client.get(f"/admin/cases/case/{case.pk}/history/")

    entries = page.context["entries"]
    newest = entries[0]
    assert (newest.user, newest.reason, newest.action, newest.record_kind) == (
        "alice",
        "Lawyer confirmed the release",
        "Changed",
        "Status change",
    )
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("status", "Detained (acknowledged)", "Released")]
    assert any(e.user == "bob" and e.reason == "Police admitted the arrest" for e in entries)
    assert "Lawyer confirmed the release" in page.content.decode()


def test_admin_editor_cannot_drop_themselves_from_the_case_team(alice_client, alice, bob, case):
    data = case_form(team=[bob])
    data.update(title=case.title)

    response = alice_client.post(f"/admin/cases/case/{case.pk}/change/", data)

    assert "Keep yourself on the case team" in response.content.decode()
    assert set(case.team.all()) == {alice, bob}


def test_case_list_filters_by_status_forum_stage_and_overdue_deadline(alice_client, alice, case):
    quiet = CaseFactory(title="Quiet case", team=[alice])
    StatusChangeFactory(case=case, status=Status.DISAPPEARED)
    appeal = AppealFactory(case=case)
    AppealStepFactory(appeal=appeal, step_type="communicated", when="2022")
    DeadlineFactory(appeal=appeal, due_on=date(2021, 2, 12))
    assert Case.objects.count() == 2

    def listed(query):
        return [c.title for c in alice_client.get(f"/admin/cases/case/?{query}").context["cl"].result_list]

    assert listed("status=disappeared") == [case.title]
    assert listed("forum=ecthr") == [case.title]
    assert listed("stage=communicated") == [case.title]
    assert listed("overdue=yes") == [case.title]
    assert listed("overdue=no") == [quiet.title]


def test_a_codename_is_drawn_never_typed_so_it_cannot_probe_another_team(alice_client, alice, charlie):
    others = save_record(Person(), by=charlie, reason="Another team's person")
    mine = save_record(Person(), by=alice, reason="New person")
    url = f"/admin/cases/person/{mine.pk}/change/"
    data = {**form_as_shown(alice_client.get(url).content.decode()), "codename": others.codename}

    response = alice_client.post(url, {**data, "change_reason": "Try another codename"})

    assert response.status_code == 302
    assert "already exists" not in response.content.decode()
    assert Person.objects.get(pk=mine.pk).codename == mine.codename


@pytest.mark.parametrize(
    "url, field", [("/admin/cases/person/add/", "codename"), ("/admin/cases/case/add/", "reference")]
)
def test_the_add_page_shows_no_codename_or_reference_the_record_would_not_get(alice_client, url, field):
    # Both are drawn when the record is saved: a value shown before would be another one.
    page = alice_client.get(url).content.decode()

    assert f'class="form-row field-{field}' not in page


def test_a_new_persons_codename_is_the_one_the_pages_then_show(alice_client):
    data = form_as_shown(alice_client.get("/admin/cases/person/add/").content.decode())
    added = alice_client.post("/admin/cases/person/add/", {**data, "change_reason": "Call"}, follow=True)

    person = Person.objects.get()
    change_page = alice_client.get(f"/admin/cases/person/{person.pk}/change/").content.decode()
    assert person.codename in added.content.decode()
    assert 'class="form-row field-codename' in change_page and person.codename in change_page
