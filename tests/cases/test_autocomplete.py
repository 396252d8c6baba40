"""The admin's autocomplete fields find records by what staff type, within what they may see."""

from cases.enums import Consent, Sensitivity
from cases.services import save_record
from tests.factories import AppealFactory, MembershipFactory, NameVariantFactory


def _options(client, **params):
    response = client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_case_field_finds_a_case_by_reference(alice_client, case):
    assert _options(alice_client, app_label="appeals", model_name="appeal", field_name="case", term=case.reference) == [
        case.reference
    ]


def test_appeal_field_finds_an_appeal_by_reference(alice_client, case):
    appeal = AppealFactory(case=case, reference="28834/19")

    found = _options(
        alice_client, app_label="appeals", model_name="officialresponse", field_name="appeal", term="28834"
    )

    assert found == [str(appeal)]


def test_person_field_finds_a_public_person_by_a_name_in_another_script(alice, alice_client, case):
    person = MembershipFactory(case=case, person=NameVariantFactory(name="Исмаил Исаев").person).person
    person.consent_publicity, person.sensitivity = Consent.GIVEN, Sensitivity.PUBLIC
    save_record(person, by=alice, reason="Consented to publicity")

    found = _options(alice_client, app_label="cases", model_name="statuschange", field_name="person", term="Isayev")

    assert found == [person.codename]


def test_person_field_finds_a_confidential_person_by_codename_only(alice_client, case):
    """An autocomplete's term travels in its address: a name typed there must not find someone confidential."""
    person = MembershipFactory(case=case, person=NameVariantFactory(name="Исмаил Исаев").person).person

    by_name = _options(alice_client, app_label="cases", model_name="statuschange", field_name="person", term="Isayev")
    by_codename = _options(
        alice_client, app_label="cases", model_name="statuschange", field_name="person", term=person.codename[:6]
    )

    assert (by_name, by_codename) == ([], [person.codename])


def test_a_box_that_finds_people_says_how_it_finds_them(alice_client, case):
    page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert "Type a codename. A name finds only people who consented to publicity" in page
