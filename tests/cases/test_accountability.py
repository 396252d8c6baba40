"""Reads of sensitive data leave a trace administrators can review; erasure happens only on purpose."""

from cases.models import AccessRecord, IdentityErasure, PersonIdentity
from tests.factories import MembershipFactory, PersonIdentityFactory


def test_reads_of_case_timeline_identity_and_admin_pages_are_logged(client, alice, case):
    person = MembershipFactory(case=case, person=PersonIdentityFactory().person).person
    client.force_login(alice)

    client.get(f"/cases/{case.pk}/")
    client.get(f"/people/{person.pk}/")
    client.get(f"/admin/cases/case/{case.pk}/change/")
    client.get(f"/admin/cases/person/{person.pk}/change/")

    logged = list(
        AccessRecord.objects.order_by("at").values_list("username", "action", "case_reference", "person_codename")
    )
    assert logged == [
        ("alice", "view_timeline", case.reference, ""),
        ("alice", "view_identity", "", person.codename),
        ("alice", "view_case", case.reference, ""),
        ("alice", "view_identity", "", person.codename),
    ]


def test_access_log_is_for_administrators_and_cannot_be_edited(client, alice, administrator, case):
    client.force_login(alice)
    client.get(f"/cases/{case.pk}/")
    record = AccessRecord.objects.get()

    assert client.get("/admin/cases/accessrecord/").status_code == 403
    client.force_login(administrator)
    listing = client.get("/admin/cases/accessrecord/", {"username": "alice"})
    assert [r.pk for r in listing.context["cl"].result_list] == [record.pk]
    assert client.get(f"/admin/cases/accessrecord/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/cases/accessrecord/{record.pk}/change/", {"username": "x"}).status_code == 403
    assert AccessRecord.objects.get().username == "alice"


def test_erasure_in_the_admin_asks_for_the_codename_and_a_reason(client, administrator, case):
    person = MembershipFactory(case=case, person=PersonIdentityFactory(legal_name="Ivan Canary").person).person
    client.force_login(administrator)
    url = f"/admin/cases/person/{person.pk}/erase/"

    wrong = client.post(url, {"codename": "NOT-IT", "reason": "Asked"})
    assert "That is not this person&#x27;s codename; nothing was erased." in wrong.content.decode()
    assert PersonIdentity.objects.filter(person=person).exists()

    client.post(url, {"codename": person.codename, "reason": "The person asked"})

    assert not PersonIdentity.objects.filter(person=person).exists()
    assert IdentityErasure.objects.get().erased_by == administrator


def test_only_administrators_may_erase(client, alice, case):
    person = MembershipFactory(case=case, person=PersonIdentityFactory().person).person
    client.force_login(alice)

    response = client.post(f"/admin/cases/person/{person.pk}/erase/", {"codename": person.codename, "reason": "x"})

    assert response.status_code == 403
    assert PersonIdentity.objects.filter(person=person).exists()
