"""Every domain record keeps a complete, attributed history."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cases.enums import Status
from cases.fuzzydate import FuzzyDate
from cases.models import AppendOnly, Case, NameKey, StatusChange, SubmissionKey, VisiblePerson
from cases.services import delete_record, record_status_change, save_record
from tests.factories import CaseFactory, MembershipFactory, StatusChangeFactory

# Derived, rebuilt from the records that do have history, or a form's one-time key kept beside the record it
# created (whose history says who created it); never edited by anyone.
WITHOUT_HISTORY = {NameKey, SubmissionKey, VisiblePerson}


def test_every_domain_model_has_history():
    domain_models = [
        model
        for app in ("cases", "appeals")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and model not in WITHOUT_HISTORY
        # Append-only records never change, so they are their own history.
        and not issubclass(model, AppendOnly)
    ]

    missing = [model.__name__ for model in domain_models if not hasattr(model, "history")]

    assert len(domain_models) >= 10
    assert missing == []


def test_save_record_attributes_history_to_user_and_reason(alice, case):
    case.title = "Renamed"

    save_record(case, by=alice, reason="Family asked for a neutral title")

    latest = case.history.latest()
    assert (latest.history_user, latest.history_change_reason, latest.title) == (
        alice,
        "Family asked for a neutral title",
        "Renamed",
    )


def test_save_record_without_reason_is_refused_and_saves_nothing(alice, case):
    history_before = case.history.count()
    case.title = "Renamed"

    with pytest.raises(ValidationError):
        save_record(case, by=alice, reason="  ")

    assert Case.objects.get(pk=case.pk).title == "Seized at a safe house"
    assert case.history.count() == history_before


def test_delete_record_keeps_deleted_record_in_history_with_reason(alice, case):
    change = StatusChangeFactory(case=case)
    change_id = change.pk

    delete_record(change, by=alice, reason="Duplicate entry")

    assert not StatusChange.objects.filter(pk=change_id).exists()
    deletion = StatusChange.history.get(id=change_id, history_type="-")
    assert (deletion.history_user, deletion.history_change_reason) == (alice, "Duplicate entry")


def test_cascaded_deletes_carry_the_user_and_reason_of_the_operation(administrator, case):
    change_id = StatusChangeFactory(case=case).pk

    delete_record(case, by=administrator, reason="Opened by mistake")

    cascaded = StatusChange.history.get(id=change_id, history_type="-")
    assert (cascaded.history_user, cascaded.history_change_reason) == (administrator, "Opened by mistake")


def test_many_to_many_changes_are_in_history(alice, bob, charlie):
    case = CaseFactory(team=[alice])

    with_team = case.history.latest()
    case._change_reason = "Charlie joins the team"
    case.team.add(charlie)

    latest = case.history.latest()
    assert latest.history_change_reason == "Charlie joins the team"
    assert {row.user_id for row in latest.team.all()} == {alice.pk, charlie.pk}
    assert {row.user_id for row in with_team.team.all()} == {alice.pk}


def test_status_change_for_someone_outside_the_case_is_refused(alice, case):
    outsider = MembershipFactory().person
    change = StatusChange(case=case, person=outsider, status=Status.DETAINED)
    change.when = FuzzyDate.parse("2021")

    with pytest.raises(ValidationError) as error:
        save_record(change, by=alice, reason="New report")

    assert "not part of this case" in str(error.value)
    assert not StatusChange.objects.filter(case=case).exists()


def test_an_administrator_reads_the_whole_history_of_a_record_in_a_case(client, administrator, alice, case):
    # The history of a case's record is narrowed to the cases the reader may see, or none: for an administrator,
    # every case, so every row.
    person = MembershipFactory(case=case).person
    change = record_status_change(
        by=alice, reason="Reported by his sister", person=person, case=case, status=Status.DETAINED, when="Feb 2019"
    )
    client.force_login(administrator)

    page = client.get(f"/admin/cases/statuschange/{change.pk}/history/").content.decode()

    assert "Reported by his sister" in page
