"""A name typed into a search confirms nothing to those who may not see names, and leaves no trail."""

import re

import pytest

from cases.enums import AccessAction, Consent, Sensitivity
from cases.models import AccessRecord
from cases.services import save_record
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory, MembershipFactory, NameVariantFactory, PersonIdentityFactory

SECRET_NAME = "Ruslan Tainovich"


@pytest.fixture
def restricted(case):
    identity = PersonIdentityFactory(legal_name=SECRET_NAME, name_original_script="Руслан Таинович")
    NameVariantFactory(person=identity.person, name="Руслан Таинович")
    MembershipFactory(case=case, person=identity.person)
    return identity.person


@pytest.fixture
def advocate_client(advocate, case):
    case.team.add(advocate)
    client = VerifiedClient()
    client.force_login(advocate)
    return client


def _search(client, term, **filters):
    return client.post("/cases/", {"q": term, **filters})


def _found(client, term) -> int:
    return client.get(_search(client, term)["Location"]).context["total"]


@pytest.mark.parametrize("term", [SECRET_NAME, "Таинович", "Tainovich"])
def test_an_advocate_cannot_confirm_a_confidential_person_s_name(advocate_client, restricted, term):
    assert _found(advocate_client, term) == 0


def test_an_advocate_finds_a_confidential_person_by_codename(advocate_client, restricted):
    assert _found(advocate_client, restricted.codename) == 1


def test_an_advocate_finds_a_public_person_by_name(advocate_client, alice, restricted):
    restricted.consent_publicity, restricted.sensitivity = Consent.GIVEN, Sensitivity.PUBLIC
    save_record(restricted, by=alice, reason="Consented to publicity")

    assert _found(advocate_client, "Tainovich") == 1


def test_staff_allowed_identities_find_by_name(alice_client, restricted):
    assert _found(alice_client, "Таинович") == 1


def test_a_search_by_name_is_logged_without_the_name(advocate_client, advocate, restricted):
    _search(advocate_client, SECRET_NAME)
    _search(advocate_client, "28834/19")  # a reference is not looked up as a name

    records = AccessRecord.objects.filter(user=advocate, action=AccessAction.SEARCH_BY_NAME)
    assert [(r.detail, r.case_reference, r.person_codename) for r in records] == [("case list", "", "")]
    assert not any(SECRET_NAME.split()[1] in str(value) for r in records for value in r.__dict__.values())


def test_the_name_travels_by_post_and_never_in_an_address(alice_client, alice, restricted, case):
    for number in range(30):
        CaseFactory(title=f"Tainovich related {number}", team=[alice])

    response = _search(alice_client, "Tainovich", status="")
    page = alice_client.get(response["Location"])
    links = re.findall(r'href="([^"]*)"', page.content.decode())

    assert response.status_code == 302
    assert re.fullmatch(r"/cases/\?search=[\w-]+", response["Location"])
    assert page.context["total"] == 31
    assert [link for link in links if "search=" in link]  # the pages of the result keep the search
    assert not [link for link in links if "Tainovich" in link or "q=" in link]


def test_a_name_in_the_address_is_not_searched(alice_client, restricted):
    assert alice_client.get("/cases/", {"q": SECRET_NAME}).context["total"] == 1  # every case of the team


def test_a_search_id_that_is_not_kept_says_so(alice_client):
    response = alice_client.get("/cases/", {"search": "made-up"}, follow=True)

    assert "That search is no longer kept; search again." in response.content.decode()


def test_the_admin_search_box_posts_and_its_links_carry_only_an_id(alice_client, restricted):
    response = alice_client.post("/admin/cases/person/search/", {"q": "Таинович", "sensitivity": "confidential"})
    page = alice_client.get(response["Location"])

    assert re.fullmatch(r"/admin/cases/person/\?sensitivity=confidential&sq=[\w-]+", response["Location"])
    assert [p.codename for p in page.context["cl"].result_list] == [restricted.codename]
    body = page.content.decode()
    assert "?q=" not in body and "&amp;q=" not in body and "%D0%A2" not in body
    assert re.search(r'href="\?[^"]*sq=[\w-]+', body)
