"""A submission the services refuse after the forms passed gets a message and changes nothing: never a 500."""

from cases.models import CaseMembership, StatusChange
from tests.admin_forms import case_form, formset
from tests.conftest import VerifiedClient
from tests.factories import MembershipFactory, PersonFactory


def _client(user):
    client = VerifiedClient(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_status_change_for_someone_taken_off_the_case_in_the_same_submission_is_refused(alice, case):
    membership = MembershipFactory(case=case)
    replacement = PersonFactory(created_by=alice)
    data = case_form(
        team=[alice],
        memberships=formset(
            "memberships",
            [
                {
                    "id": str(membership.pk),
                    "case": str(case.pk),
                    "person": str(replacement.pk),
                    "role": "victim",
                    "note": "",
                    "seen_version": str(membership.version),
                }
            ],
            initial=1,
        ),
        status_changes=formset(
            "status_changes",
            [
                {
                    "case": str(case.pk),
                    "person": str(membership.person.pk),
                    "status": "detained",
                    "when": "2021",
                    "place": "",
                    "verification": "confirmed",
                    "description": "",
                    "internal_notes": "",
                }
            ],
        ),
    )
    data["title"] = case.title

    response = _client(alice).post(f"/admin/cases/case/{case.pk}/change/", data, follow=True)

    assert response.status_code == 200
    assert CaseMembership.objects.get(pk=membership.pk).person_id == membership.person_id
    assert not StatusChange.objects.exists()
