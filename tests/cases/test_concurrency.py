"""No lost edits: when two people edit the same record, the second sees the first's change."""

import pytest

from cases.admin import NameVariantAdmin
from cases.models import Case, NameVariant, PersonIdentity, StatusChange
from cases.services import EditConflict, add_person, add_to_case, save_record
from tests.admin_forms import case_form, form_as_shown, formset
from tests.conftest import VerifiedClient
from tests.factories import MembershipFactory, StatusChangeFactory


def _client_for(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def _edit(case, *, title, reason, seen_version, team, **inlines):
    data = case_form(team=team, reason=reason, **inlines)
    data.update(title=title, region=case.region, opened_on=case.opened_on.isoformat(), seen_version=seen_version)
    return data


def test_second_save_of_a_case_is_refused_with_the_first_change_shown(alice, bob, case):
    url = f"/admin/cases/case/{case.pk}/change/"
    alice_client, bob_client = _client_for(alice), _client_for(bob)
    seen = bob_client.get(url).context["adminform"].form.initial["seen_version"]

    first = alice_client.post(
        url,
        _edit(
            case, title="Seized in Gudermes", reason="Police confirmed the place", seen_version=seen, team=[alice, bob]
        ),
    )
    second = bob_client.post(
        url, _edit(case, title="Seized in Grozny", reason="Old report", seen_version=seen, team=[alice, bob])
    )

    assert first.status_code == 302
    assert second.status_code == 200
    message = " ".join(second.context["adminform"].form.non_field_errors())
    assert "alice saved this record" in message
    assert "Police confirmed the place" in message
    assert "Seized in Gudermes" in message
    assert Case.objects.get(pk=case.pk).title == "Seized in Gudermes"


def test_conflicting_edit_of_an_inline_row_is_refused(alice, bob, case):
    membership = MembershipFactory(case=case)
    change = StatusChangeFactory(case=case, person=membership.person)
    url = f"/admin/cases/case/{case.pk}/change/"
    member_row = {
        "id": membership.pk,
        "person": membership.person.pk,
        "role": "victim",
        "seen_version": membership.version,
    }
    rows = {"memberships": formset("memberships", [member_row], 1)}

    def status_row(status):
        return formset(
            "status_changes",
            [
                {
                    "id": change.pk,
                    "person": membership.person.pk,
                    "status": status,
                    "when": "6 Feb 2021",
                    "verification": "confirmed",
                    "seen_version": change.version,
                }
            ],
            1,
        )

    case_version = case.version
    _client_for(alice).post(
        url,
        _edit(
            case,
            title=case.title,
            reason="Released",
            seen_version=case_version,
            team=[alice, bob],
            status_changes=status_row("released"),
            **rows,
        ),
    )
    response = _client_for(bob).post(
        url,
        _edit(
            case,
            title=case.title,
            reason="Disappeared",
            seen_version=Case.objects.get(pk=case.pk).version,
            team=[alice, bob],
            status_changes=status_row("disappeared"),
            **rows,
        ),
    )

    assert "alice saved this record" in response.content.decode()
    assert StatusChange.objects.get(pk=change.pk).status == "released"


def test_service_refuses_a_save_based_on_an_old_version(alice, bob, case):
    stale = Case.objects.get(pk=case.pk)
    stale._seen_version = stale.version
    fresh = Case.objects.get(pk=case.pk)
    fresh.title = "First"
    save_record(fresh, by=alice, reason="First edit")

    stale.title = "Second"
    with pytest.raises(EditConflict):
        save_record(stale, by=bob, reason="Second edit")

    assert Case.objects.get(pk=case.pk).title == "First"


def test_a_save_losing_the_race_after_the_form_check_is_refused_with_a_message(alice, bob, case, monkeypatch):
    person = add_person(by=alice, reason="Intake", names=[("Ivan Starov", "latin", "original")])
    add_to_case(by=alice, reason="Intake", case=case, person=person, role="victim")
    variant = NameVariant.objects.get(person=person)
    saving = NameVariantAdmin.save_model

    def bob_saves_first(self, request, obj, form, change):
        # Bob's save lands between the check of Alice's form and the save of her record.
        theirs = NameVariant.objects.get(pk=variant.pk)
        theirs.name = "Ivan Novov"
        save_record(theirs, by=bob, reason="Spelling from the judgment")
        return saving(self, request, obj, form, change)

    monkeypatch.setattr(NameVariantAdmin, "save_model", bob_saves_first)
    alice_client = _client_for(alice)
    url = f"/admin/cases/namevariant/{variant.pk}/change/"
    response = alice_client.post(
        url,
        {
            "person": str(person.pk),
            "name": "Ivan Alisov",
            "script": "latin",
            "scheme": "original",
            "source_note": "",
            "change_reason": "Fix",
            "seen_version": str(variant.version),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Bob saved this record" in response.content.decode()  # the admin capitalises its messages
    assert "messages" not in alice_client.cookies  # the message quotes values: it stays on the server
    assert NameVariant.objects.get(pk=variant.pk).name == "Ivan Starov"  # the admin's transaction rolled back


def test_two_staff_editing_one_identity_cannot_overwrite_each_other(alice, bob, case):
    """Contacts and whereabouts are edited in a hurry by two people as often as anything else."""
    person = add_person(by=alice, reason="New", identity={"legal_name": "Ivan Testov", "contacts": "+7 900 000"})
    add_to_case(by=alice, reason="Victim", case=case, person=person, role="victim")
    url = f"/admin/cases/person/{person.pk}/change/"
    alice_client, bob_client = _client_for(alice), _client_for(bob)
    opened = {client: form_as_shown(client.get(url).content.decode()) for client in (alice_client, bob_client)}

    def save(client, contacts, reason):
        data = {**opened[client], "identity-0-contacts": contacts, "change_reason": reason}
        return client.post(url, data)

    first = save(alice_client, "+7 900 111 (new SIM)", "New number from the lawyer")
    second = save(bob_client, "+7 900 222", "Old note")

    assert first.status_code == 302
    assert second.status_code == 200
    assert "alice saved this record" in second.content.decode()
    assert PersonIdentity.objects.get(person=person).contacts == "+7 900 111 (new SIM)"
