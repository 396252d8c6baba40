"""Possible duplicates: a person entered again under another spelling is pointed out, among the people the user
may see only."""

import pytest

from cases.duplicates import CLOSE_SPELLING, SAME_NAME, DuplicateFinder, duplicates_of
from cases.models import Person
from tests.admin_forms import form_as_shown
from tests.factories import CaseFactory, MembershipFactory, NameVariantFactory, PersonIdentityFactory

ADD = "/admin/cases/person/add/"


@pytest.fixture
def isaev(case):
    person = MembershipFactory(case=case).person
    PersonIdentityFactory(person=person, legal_name="Ismail Isaev", birth_year=1986)
    NameVariantFactory(person=person, name="Исмаил Исаев")
    return person


def add_by_hand(client, legal_name, birth_year=""):
    data = form_as_shown(client.get(ADD).content.decode())
    data.update(
        {
            "identity-TOTAL_FORMS": "1",
            "identity-0-legal_name": legal_name,
            "identity-0-birth_year": str(birth_year),
            "change_reason": "Met at the shelter",
        }
    )
    return client.post(ADD, data, follow=True)


def warnings(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_variant_spelling_entered_by_hand_is_pointed_out(alice_client, isaev):
    response = add_by_hand(alice_client, "Ismail Isayev", 1986)

    assert Person.objects.count() == 2
    assert warnings(response) == [
        f"possible duplicate of {isaev.codename} (the same name in another script or spelling)"
    ]


def test_a_different_person_is_not_pointed_out(alice_client, isaev):
    assert warnings(add_by_hand(alice_client, "Timur Umarov", 1986)) == []


def test_someone_outside_the_users_cases_is_never_hinted_at(client, charlie, isaev):
    CaseFactory(team=[charlie])
    client.force_login(charlie)

    assert warnings(add_by_hand(client, "Ismail Isayev", 1986)) == []


def test_a_close_spelling_is_pointed_out_when_the_years_of_birth_fit(alice, isaev):
    finder = DuplicateFinder(alice)

    assert [(d.codename, d.why) for d in finder.of(names=["Ismail Isaeff"], birth_year=1987)] == [
        (isaev.codename, str(CLOSE_SPELLING))
    ]
    assert finder.of(names=["Ismail Isaeff"], birth_year=1990) == []
    assert [d.why for d in finder.of(names=["Исаев Исмаил"])] == [str(SAME_NAME)]


def test_a_recorded_person_is_not_their_own_duplicate(alice, isaev):
    assert duplicates_of(isaev, alice) == []


def test_a_close_spelling_is_found_whatever_the_order_of_the_words(alice, isaev):
    # Shapes keep their words sorted, so the surname written first still compares word with word.
    finder = DuplicateFinder(alice)

    assert [(d.codename, d.why) for d in finder.of(names=["Isaeff Ismail"])] == [(isaev.codename, str(CLOSE_SPELLING))]


def test_people_sharing_a_spelling_are_each_pointed_out(alice, case, isaev):
    namesake = MembershipFactory(case=case).person
    PersonIdentityFactory(person=namesake, legal_name="Ismail Isaev", birth_year=1985)
    finder = DuplicateFinder(alice)

    found = {d.codename for d in finder.of(names=["Ismail Isaeff"])}

    assert found == {isaev.codename, namesake.codename}
