"""Deleted records stay findable in history and an administrator can bring them back."""

from appeals.models import Deadline
from cases.models import Case, StatusChange
from cases.services import delete_record
from tests.factories import AppealFactory, AppealStepFactory, DeadlineFactory, MembershipFactory, StatusChangeFactory


def test_admin_delete_needs_a_reason_and_keeps_it(client, administrator, case):
    client.force_login(administrator)
    url = f"/admin/cases/case/{case.pk}/delete/"

    refused = client.post(url, {"post": "yes"})
    assert refused.status_code == 302
    assert Case.objects.filter(pk=case.pk).exists()

    client.post(url, {"post": "yes", "change_reason": "Duplicate of another case"})

    assert not Case.objects.filter(pk=case.pk).exists()
    deletion = Case.history.get(id=case.pk, history_type="-")
    assert (deletion.history_user, deletion.history_change_reason) == (administrator, "Duplicate of another case")


def test_bulk_delete_action_writes_history_for_each_record(client, administrator, case):
    changes = [StatusChangeFactory(case=case) for _ in range(3)]
    ids = [c.pk for c in changes]
    client.force_login(administrator)

    client.post(
        "/admin/cases/statuschange/",
        {
            "action": "delete_selected",
            "_selected_action": [str(i) for i in ids],
            "post": "yes",
            "change_reason": "Entered twice",
        },
    )

    assert not StatusChange.objects.filter(pk__in=ids).exists()
    deletions = StatusChange.history.filter(id__in=ids, history_type="-")
    reasons = set(deletions.values_list("history_change_reason", flat=True))
    assert reasons == {"Entered twice"}


def test_deleted_case_is_listed_and_restored_with_its_parts(client, administrator, alice, case):
    membership = MembershipFactory(case=case)
    change = StatusChangeFactory(case=case, person=membership.person)
    appeal = AppealFactory(case=case)
    step = AppealStepFactory(appeal=appeal)
    deadline = DeadlineFactory(appeal=appeal, description="Observations")
    ids = (case.pk, change.pk, appeal.pk, step.pk)
    delete_record(case, by=administrator, reason="Opened by mistake")
    client.force_login(administrator)

    listing = client.get("/admin/cases/case/deleted/")
    row = next(r for r in listing.context["rows"] if r.id == ids[0])
    assert "Opened by mistake" in listing.content.decode()
    response = client.post(f"/admin/cases/case/deleted/{row.history_id}/restore/")

    assert response.status_code == 302
    restored = Case.objects.get(pk=ids[0])
    assert restored.status_changes.get().pk == ids[1]
    assert restored.appeals.get().steps.get().pk == ids[3]
    # A deadline's case is not in its history: it takes its appeal's again, and the case's team sees it.
    assert Deadline.objects.visible_to(alice).get().pk == deadline.pk
    assert set(restored.team.values_list("username", flat=True)) == {"alice", "bob"}
    assert restored.history.latest().history_change_reason.startswith("Restored from the history")
    assert membership.person.memberships.get().case_id == ids[0]


def test_only_administrators_may_restore(client, alice, case):
    case_id = case.pk
    delete_record(case, by=alice, reason="Oops")
    row = Case.history.get(id=case_id, history_type="-")
    client.force_login(alice)

    assert client.get("/admin/cases/case/deleted/").status_code == 403
    assert client.post(f"/admin/cases/case/deleted/{row.history_id}/restore/").status_code == 403
    assert not Case.objects.filter(pk=case_id).exists()
