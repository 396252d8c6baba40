"""Who may see whom is kept in a table (cases.visibility): every change that moves the answer moves it at once.

Each test makes a change the way staff make it (the admin form, the services) and looks at what a user would
notice — a person in the admin list, a person page — and then checks the whole table against the rule.
"""

import importlib
import io
import pkgutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cases import migrations
from cases.models import Case, Person, VisiblePerson
from cases.restore import restore
from cases.services import add_person, add_to_case, delete_record, save_record
from cases.visibility import pairs_by_rule
from tests.admin_forms import case_form
from tests.factories import CaseFactory, MembershipFactory


def sees(client, user, person) -> bool:
    """Whether ``user`` finds ``person`` in the admin list of people and may open their page."""
    client.force_login(user)
    listed = person.codename in client.get("/admin/cases/person/").content.decode()
    opens = client.get(f"/people/{person.pk}/").status_code == 200
    assert listed == opens, "the list and the page disagree"
    return listed


def assert_table_follows_the_rule():
    stored = set(VisiblePerson.objects.values_list("user_id", "person_id"))
    assert stored == set(pairs_by_rule(Person._base_manager.values("pk")))


@pytest.fixture
def person_in_case(case, alice):
    person = add_person(by=alice, reason="Intake")
    add_to_case(by=alice, reason="Intake", case=case, person=person, role="victim")
    return person


def test_taken_off_the_team_in_the_admin_hides_the_case_s_people_at_once(client, alice, bob, case, person_in_case):
    assert sees(client, bob, person_in_case)

    client.force_login(alice)
    data = case_form(team=[alice], reason="Bob moved to another project")
    data.update(title=case.title, region=case.region, opened_on=case.opened_on.isoformat(), seen_version=case.version)
    assert client.post(f"/admin/cases/case/{case.pk}/change/", data).status_code == 302

    assert not sees(client, bob, person_in_case)
    assert sees(client, alice, person_in_case)
    assert_table_follows_the_rule()


def test_put_on_the_team_shows_the_case_s_people_at_once(client, charlie, case, person_in_case):
    assert not sees(client, charlie, person_in_case)

    case.team.add(charlie)

    assert sees(client, charlie, person_in_case)
    assert_table_follows_the_rule()


def test_someone_recorded_in_no_case_is_seen_by_whoever_recorded_them_only(client, alice, bob, charlie):
    person = add_person(by=charlie, reason="Intake by phone")

    assert sees(client, charlie, person)
    assert not sees(client, alice, person)
    assert_table_follows_the_rule()


def test_the_recorder_loses_someone_once_they_join_a_case_and_for_good(client, alice, bob, charlie, administrator):
    case = CaseFactory(team=[alice])
    person = add_person(by=charlie, reason="Intake by phone")

    membership = add_to_case(by=alice, reason="Joins the case", case=case, person=person, role="witness")
    assert not sees(client, charlie, person)
    assert sees(client, alice, person)

    # In no case again, the person has a past in one: only a case team could see them, and none does.
    delete_record(membership, by=alice, reason="Entered by mistake")
    assert not sees(client, charlie, person)
    assert not sees(client, alice, person)
    assert_table_follows_the_rule()


def test_a_membership_moved_to_someone_else_takes_the_team_s_sight_along(client, alice, bob, case, charlie):
    first = add_person(by=charlie, reason="Intake")
    second = add_person(by=charlie, reason="Intake")
    membership = add_to_case(by=alice, reason="Intake", case=case, person=first, role="victim")

    membership.person = second
    save_record(membership, by=alice, reason="Wrong person chosen")

    assert not sees(client, alice, first)
    assert sees(client, alice, second)
    assert_table_follows_the_rule()


def test_a_deleted_case_hides_its_people_and_a_restored_one_shows_them_again(
    client, alice, administrator, case, person_in_case
):
    case_id = case.pk
    delete_record(case, by=administrator, reason="Opened twice")
    assert not sees(client, alice, person_in_case)

    restore(Case.history.get(id=case_id, history_type="-"), by=administrator)

    assert sees(client, alice, person_in_case)
    assert_table_follows_the_rule()


def test_someone_in_two_teams_cases_is_seen_by_both_until_one_lets_go(client, alice, charlie, case, person_in_case):
    other = CaseFactory(team=[charlie])
    MembershipFactory(case=other, person=person_in_case)
    assert sees(client, charlie, person_in_case)

    case.team.remove(alice)

    assert not sees(client, alice, person_in_case)
    assert sees(client, charlie, person_in_case)
    assert_table_follows_the_rule()


class _SchemaEditor:
    """What the migration's fill uses of a schema editor: its connection and ``execute``."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_fills_the_table_for_an_existing_register(alice, bob, charlie, case, person_in_case):
    add_person(by=charlie, reason="Intake by phone")
    removed = add_person(by=charlie, reason="Intake")
    delete_record(add_to_case(by=alice, reason="x", case=case, person=removed, role="victim"), by=alice, reason="y")
    expected = set(VisiblePerson.objects.values_list("user_id", "person_id"))
    VisiblePerson.objects.all().delete()

    names = (name for _finder, name, _package in pkgutil.iter_modules(migrations.__path__))
    migration = next(name for name in names if name.endswith("_visible_people"))
    importlib.import_module(f"cases.migrations.{migration}").fill(apps, _SchemaEditor())

    assert set(VisiblePerson.objects.values_list("user_id", "person_id")) == expected
    assert len(expected) == 3  # alice and bob see the person in their case; charlie the one in no case


def test_the_command_rebuilds_a_table_that_bulk_writes_left_behind(client, alice, case, person_in_case):
    VisiblePerson.objects.all().delete()
    assert not sees(client, alice, person_in_case)

    call_command("rebuild_visibility", stdout=io.StringIO())

    assert sees(client, alice, person_in_case)
    assert_table_follows_the_rule()
