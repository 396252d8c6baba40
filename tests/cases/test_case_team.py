"""Who an editor may put on a case team: the people they work with, never a list of every account."""

import re

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADVOCATES, STAFF_EDITORS
from cases.models import Case
from tests.admin_forms import case_form
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def colleague_advocate(alice):
    """An advocate who works with alice on another case."""
    advocate = UserFactory(username="dana", role=ADVOCATES, is_staff=False)
    CaseFactory(title="Their other case", team=[alice, advocate])
    return advocate


@pytest.fixture
def stranger(db):
    """An advocate of another organisation, on none of alice's cases."""
    return UserFactory(username="eve", role=ADVOCATES, is_staff=False)


def _change_url(case):
    return f"/admin/cases/case/{case.pk}/change/"


def _offered(client, case) -> set[str]:
    """The names the case team field of the change page offers."""
    page = client.get(_change_url(case)).content.decode()
    team_select = re.search(r'<select name="team".*?</select>', page, re.S).group()
    return set(re.findall(r"<option [^>]*>([^<]+)</option>", team_select))


def _save_team(client, case, team):
    data = case_form(team=team, reason="Dana joins to prepare the appeal")
    data.update(title=case.title, region=case.region, opened_on=case.opened_on.isoformat(), seen_version=case.version)
    return client.post(_change_url(case), data)


def test_editor_is_offered_the_people_they_work_with_and_no_one_else(alice_client, case, colleague_advocate, stranger):
    offered = _offered(alice_client, case)

    assert {"alice", "bob", "dana"} <= offered
    assert "eve" not in offered


def test_editor_is_offered_who_shares_their_organisation_group(alice_client, alice, case, stranger):
    organisation = Group.objects.create(name="Partner NGO Berlin")
    organisation.user_set.add(alice, stranger)

    assert "eve" in _offered(alice_client, case)


def test_sharing_a_role_is_not_working_together(alice_client, case):
    UserFactory(username="frank", role=STAFF_EDITORS)

    assert "frank" not in _offered(alice_client, case)


def test_the_team_field_says_who_can_be_added(alice_client, case):
    page = alice_client.get(_change_url(case)).content.decode()

    assert "An editor can add people who share an organisation group with them" in page


def test_editor_adds_the_advocate_to_the_case_team(alice_client, alice, bob, case, colleague_advocate):
    response = _save_team(alice_client, case, [alice, bob, colleague_advocate])

    assert response.status_code == 302
    assert set(Case.objects.get(pk=case.pk).team.all()) == {alice, bob, colleague_advocate}


def test_forged_team_with_someone_the_editor_may_not_add_is_refused_and_changes_nothing(
    alice_client, alice, bob, case, stranger
):
    history_before = case.history.count()

    response = _save_team(alice_client, case, [alice, bob, stranger])

    assert response.status_code == 200
    assert (
        "You can add only people who share an organisation group or a case team with you" in response.content.decode()
    )
    assert set(Case.objects.get(pk=case.pk).team.all()) == {alice, bob}
    assert case.history.count() == history_before


def test_administrator_is_offered_every_active_user(client, administrator, case, stranger):
    UserFactory(username="gone", is_active=False)
    client.force_login(administrator)

    offered = _offered(client, case)

    assert {"alice", "bob", "eve", "root"} <= offered
    assert "gone" not in offered
