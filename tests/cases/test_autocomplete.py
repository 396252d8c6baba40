"""The admin's autocomplete fields find records by what staff type, within what they may see."""

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


def test_person_field_finds_a_person_by_a_name_in_another_script(alice_client, case):
    person = MembershipFactory(case=case, person=NameVariantFactory(name="Исмаил Исаев").person).person

    found = _options(alice_client, app_label="cases", model_name="statuschange", field_name="person", term="Isayev")

    assert found == [person.codename]
