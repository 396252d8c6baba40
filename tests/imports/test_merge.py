"""An administrator merges two records of one person: everything moves, the history says so, and it can be undone."""

import pytest
from django.core.exceptions import PermissionDenied

from appeals.models import Appeal
from cases.models import CaseMembership, NameVariant, Person, StatusChange
from imports.merging import merge_people, undo_merge
from imports.models import PersonMerge
from tests.factories import (
    AppealFactory,
    CaseFactory,
    MembershipFactory,
    NameVariantFactory,
    PersonIdentityFactory,
    StatusChangeFactory,
)


@pytest.fixture
def two_records(case, alice):
    """Ismail Isaev entered twice: once in the case, once again in it and in another case, with an appeal."""
    first = MembershipFactory(case=case).person
    PersonIdentityFactory(person=first, legal_name="Ismail Isaev", birth_year=1986)
    NameVariantFactory(person=first, name="Исмаил Исаев")
    second = MembershipFactory(case=case).person
    PersonIdentityFactory(person=second, legal_name="Ismail Isayev", birth_year=1986)
    NameVariantFactory(person=second, name="Исмаил Исаев")
    other_case = CaseFactory(team=[alice])
    MembershipFactory(case=other_case, person=second, role="witness")
    report = StatusChangeFactory(case=case, person=second, status="in_hiding", whereabouts="Tbilisi, a flat")
    appeal = AppealFactory(case=case)
    appeal.people.set([second])
    return first, second, report, appeal, other_case


def test_a_merge_moves_everything_and_the_history_says_so(administrator, two_records):
    first, second, report, appeal, other_case = two_records
    second_id = second.pk

    merge = merge_people(survivor=first, absorbed=second, by=administrator, reason="Same man, two spellings")

    assert not Person.objects.filter(pk=second_id).exists()
    assert set(CaseMembership.objects.filter(person=first).values_list("case_id", "role")) == {
        (report.case_id, "victim"),
        (other_case.pk, "witness"),
    }
    moved = StatusChange.objects.get(pk=report.pk)
    assert (moved.person_id, moved.whereabouts) == (first.pk, "Tbilisi, a flat")
    assert list(Appeal.objects.get(pk=appeal.pk).people.all()) == [first]
    assert sorted(v.name for v in NameVariant.objects.filter(person=first)) == ["Ismail Isayev", "Исмаил Исаев"]
    assert list(Person.objects.matching("Isayev", administrator)) == [first]
    reason = f"Merge of {second.codename} into {first.codename}: Same man, two spellings"
    latest = StatusChange.history.filter(id=report.pk).latest("history_date")
    assert (latest.history_user, latest.history_change_reason, latest.person_id) == (administrator, reason, first.pk)
    deleted = Person.history.filter(id=second_id, history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (administrator, reason)
    assert (merge.survivor_codename, merge.absorbed_codename) == (first.codename, second.codename)


def test_the_persons_history_page_shows_the_merge(client, administrator, two_records):
    first, second, *_ = two_records
    merge_people(survivor=first, absorbed=second, by=administrator, reason="Same man, two spellings")
    client.force_login(administrator)

    page = client.get(f"/admin/cases/person/{first.pk}/history/").content.decode()

    assert f"Merge of {second.codename} into {first.codename}: Same man, two spellings" in page


def test_a_merge_is_undone_exactly(administrator, two_records):
    first, second, report, appeal, other_case = two_records
    codename = second.codename
    merge = merge_people(survivor=first, absorbed=second, by=administrator, reason="Same man, two spellings")

    second = undo_merge(merge, by=administrator, reason="They are brothers")

    assert (second.pk, second.codename) == (merge.absorbed_id, codename)
    assert Person.objects.get(pk=second.pk).identity.legal_name == "Ismail Isayev"
    assert [v.name for v in NameVariant.objects.filter(person=second)] == ["Исмаил Исаев"]
    assert [v.name for v in NameVariant.objects.filter(person=first)] == ["Исмаил Исаев"]
    assert set(CaseMembership.objects.filter(person=second).values_list("case_id", "role")) == {
        (report.case_id, "victim"),
        (other_case.pk, "witness"),
    }
    assert list(CaseMembership.objects.filter(person=first).values_list("case_id", flat=True)) == [report.case_id]
    assert StatusChange.objects.get(pk=report.pk).person_id == second.pk
    assert list(Appeal.objects.get(pk=appeal.pk).people.all()) == [second]
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undo_reason) == (administrator, "They are brothers")
    with pytest.raises(Exception, match="undone already"):
        undo_merge(merge, by=administrator, reason="Again")


def test_only_an_administrator_merges(alice, two_records):
    first, second, *_ = two_records

    with pytest.raises(PermissionDenied):
        merge_people(survivor=first, absorbed=second, by=alice, reason="Same man")
    assert Person.objects.filter(pk=second.pk).exists()


def test_the_admin_shows_both_side_by_side_then_merges_and_undoes(client, administrator, two_records):
    first, second, report, *_ = two_records
    second_id, second_codename = second.pk, second.codename
    client.force_login(administrator)
    chosen = {"action": "merge_two_people", "_selected_action": [str(first.pk), str(second.pk)]}

    page = client.post("/admin/cases/person/", chosen).content.decode()
    # The columns follow the list's order, by codename.
    names = [name for _, name in sorted([(first.codename, "Ismail Isaev"), (second.codename, "Ismail Isayev")])]
    assert f"<th>legal name (Latin script)</th><td>{names[0]}</td><td>{names[1]}</td>" in page
    response = client.post(
        "/admin/cases/person/", {**chosen, "apply": "1", "survivor": str(first.pk), "reason": "Same man"}
    )

    assert response.url == f"/admin/cases/person/{first.pk}/change/"
    assert StatusChange.objects.get(pk=report.pk).person_id == first.pk
    merge = PersonMerge.objects.get()
    undo_url = f"/admin/imports/personmerge/{merge.pk}/undo/"
    assert second_codename in client.get("/admin/imports/personmerge/").content.decode()
    response = client.post(undo_url, {"reason": "Two brothers"})

    assert response.url == f"/admin/cases/person/{second_id}/change/"
    assert StatusChange.objects.get(pk=report.pk).person_id == second_id


def test_the_merge_is_not_offered_to_editors(alice_client, two_records):
    first, second, *_ = two_records
    chosen = {"action": "merge_two_people", "_selected_action": [str(first.pk), str(second.pk)]}

    alice_client.post("/admin/cases/person/", {**chosen, "apply": "1", "survivor": str(first.pk), "reason": "x"})

    assert Person.objects.filter(pk=second.pk).exists()
    assert alice_client.get("/admin/imports/personmerge/").status_code == 403


def test_a_merge_moves_another_account_dated_before_the_report_it_disagrees_with(administrator, case):
    first = MembershipFactory(case=case).person
    second = MembershipFactory(case=case).person
    court = StatusChangeFactory(case=case, person=second, when="16–28 Mar 2017")
    relative = StatusChangeFactory(case=case, person=second, when="15–28 Mar 2017", differs_from=court)

    merge = merge_people(survivor=first, absorbed=second, by=administrator, reason="Same man")

    assert set(StatusChange.objects.filter(person=first).values_list("pk", "differs_from_id")) == {
        (court.pk, None),
        (relative.pk, court.pk),
    }
    restored = undo_merge(merge, by=administrator, reason="Two men after all")
    assert set(StatusChange.objects.filter(person=restored).values_list("pk", flat=True)) == {court.pk, relative.pk}
