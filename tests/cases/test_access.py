"""Deny by default: a case, its people and their records reach only the case team and administrators."""

import pytest

from cases.models import Case, Person
from tests.factories import AppealFactory, MembershipFactory, SourceFactory, StatusChangeFactory


@pytest.fixture
def records(case):
    membership = MembershipFactory(case=case)
    return {
        "case": case,
        "person": membership.person,
        "statuschange": StatusChangeFactory(case=case, person=membership.person),
        "source": SourceFactory(case=case),
        "appeal": AppealFactory(case=case),
    }


ADMIN_URLS = {
    "case": "cases/case",
    "person": "cases/person",
    "statuschange": "cases/statuschange",
    "source": "cases/source",
    "appeal": "appeals/appeal",
}


@pytest.mark.parametrize("kind", ADMIN_URLS)
def test_admin_change_list_shows_team_records_only(client, records, alice, charlie, kind):
    url = f"/admin/{ADMIN_URLS[kind]}/"
    pk = str(records[kind].pk)

    client.force_login(alice)
    seen_by_alice = {str(obj.pk) for obj in client.get(url).context["cl"].result_list}
    client.force_login(charlie)
    listing = client.get(url).context["cl"]

    assert pk in seen_by_alice
    assert [str(obj.pk) for obj in listing.result_list] == []
    assert listing.result_count == 0


@pytest.mark.parametrize("kind", ADMIN_URLS)
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_admin_record_of_another_team_looks_exactly_like_a_missing_one(client, records, charlie, kind, page):
    client.force_login(charlie)
    base = f"/admin/{ADMIN_URLS[kind]}"

    hidden = client.get(f"{base}/{records[kind].pk}/{page}/")
    missing = client.get(f"{base}/00000000-0000-0000-0000-000000000000/{page}/")

    assert hidden.status_code == missing.status_code
    assert hidden.status_code in {302, 403, 404}
    assert str(records[kind].pk) not in hidden.content.decode()


def test_admin_autocomplete_offers_only_visible_people(client, records, charlie, alice):
    url = "/admin/autocomplete/?app_label=cases&model_name=statuschange&field_name=person&term="
    codename = records["person"].codename

    client.force_login(alice)
    offered_to_alice = [r["text"] for r in client.get(url).json()["results"]]
    client.force_login(charlie)
    offered_to_charlie = [r["text"] for r in client.get(url).json()["results"]]

    assert codename in offered_to_alice
    assert offered_to_charlie == []


def test_admin_form_refuses_a_hidden_case_posted_by_hand(client, records, charlie):
    client.force_login(charlie)
    data = {"case": str(records["case"].pk), "source_type": "media", "title": "x", "reliability": "unknown"}

    response = client.post("/admin/cases/source/add/", {**data, "change_reason": "probe"})

    assert "Select a valid choice" in response.content.decode()
    assert records["case"].sources.count() == 1


def test_case_visibility_follows_team_membership_and_role(records, alice, charlie, administrator, advocate):
    case = records["case"]

    assert list(Case.objects.visible_to(alice)) == [case]
    assert list(Case.objects.visible_to(charlie)) == []
    assert list(Case.objects.visible_to(administrator)) == [case]
    assert list(Case.objects.visible_to(advocate)) == []
    assert list(Person.objects.visible_to(charlie)) == []


def test_deactivated_team_member_sees_nothing(records, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert list(Case.objects.visible_to(alice)) == []


def test_visible_case_count_is_the_count_of_the_visible_cases_for_every_kind_of_user(
    case, alice, bob, charlie, administrator, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    from cases.models import visible_case_count
    from tests.factories import CaseFactory

    CaseFactory(team=[alice])
    CaseFactory(team=[charlie, alice])
    CaseFactory(team=[])
    departed = django_user_model.objects.create_user("departed", is_active=False)
    CaseFactory(team=[departed])

    counts = {
        user: (visible_case_count(user), Case.objects.visible_to(user).count())
        for user in [alice, bob, charlie, administrator, departed, AnonymousUser()]
    }

    assert {str(user): count for user, (count, _) in counts.items()} == {
        "alice": 3,
        "bob": 1,
        "charlie": 1,
        str(administrator): 5,
        "departed": 0,
        "AnonymousUser": 0,
    }
    assert all(mine == theirs for mine, theirs in counts.values())


def test_admin_lists_total_the_records_the_editor_may_see_whole_and_filtered(client, case, alice, charlie):
    from cases.enums import Sensitivity
    from tests.factories import CaseFactory

    MembershipFactory(case=case, person__sensitivity=Sensitivity.RESTRICTED)
    MembershipFactory(case=case, person__sensitivity=Sensitivity.CONFIDENTIAL)
    theirs = CaseFactory(team=[charlie])
    MembershipFactory(case=theirs, person__sensitivity=Sensitivity.RESTRICTED)
    client.force_login(alice)

    def listed(url):
        changelist = client.get(url).context["cl"]
        return changelist.result_count, len(changelist.result_list)

    assert listed("/admin/cases/person/") == (2, 2)
    assert listed("/admin/cases/person/?o=1&p=1") == (2, 2)
    assert listed("/admin/cases/person/?sensitivity__exact=restricted") == (1, 1)
    assert listed("/admin/cases/case/") == (1, 1)
    client.force_login(charlie)
    assert listed("/admin/cases/person/") == (1, 1)
    assert listed("/admin/cases/case/") == (1, 1)


def test_admin_list_total_reads_the_same_in_every_language_and_says_no_results_unless_searched(client, case, alice):
    from cases.enums import Sensitivity

    for _n in range(7):
        MembershipFactory(case=case, person__sensitivity=Sensitivity.CONFIDENTIAL)
    client.force_login(alice)

    whole = client.get("/admin/cases/person/").content.decode()
    filtered = client.get("/admin/cases/person/?sensitivity__exact=confidential").content.decode()
    russian = client.get("/admin/cases/person/", headers={"accept-language": "ru"}).content.decode()

    assert "People: 7" in whole
    assert "7 results" not in whole
    assert "People: 7" in filtered
    assert "7 results" in filtered
    assert "Лица: 7" in russian
