"""Where someone hides or was resettled is identity data: encrypted, shown only to staff allowed identities."""

import json

import pytest
from django.db import connection

from cases.enums import Consent, Status
from cases.models import StatusChange
from cases.services import record_status_change, save_record
from exports.services import export_case
from tests.conftest import VerifiedClient
from tests.factories import MembershipFactory

HIDEOUT = "Canary safe house, Tbilisi"


@pytest.fixture
def in_hiding(alice, case):
    person = MembershipFactory(case=case).person
    person.consent_partner_sharing = person.consent_publicity = Consent.GIVEN
    save_record(person, by=alice, reason="Consent")
    record_status_change(
        by=alice,
        reason="Evacuated",
        person=person,
        case=case,
        status=Status.IN_HIDING,
        when="Mar 2021",
        whereabouts=HIDEOUT,
        verification="confirmed",
    )
    return person


def _every_stored_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in ("cases_statuschange", "cases_historicalstatuschange"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_the_hiding_place_is_encrypted_in_the_live_and_history_tables(in_hiding):
    assert "Canary safe house" not in _every_stored_text()
    assert StatusChange.objects.get(person=in_hiding).whereabouts == HIDEOUT


def test_staff_allowed_identities_see_it_on_the_timeline_advocates_do_not(alice_client, advocate, case, in_hiding):
    case.team.add(advocate)
    advocate_client = VerifiedClient()
    advocate_client.force_login(advocate)

    staff_page = alice_client.get(f"/cases/{case.pk}/").content.decode()
    advocate_page = advocate_client.get(f"/cases/{case.pk}/").content.decode()
    advocate_person_page = advocate_client.get(f"/people/{in_hiding.pk}/").content.decode()

    assert "Canary safe house" in staff_page
    assert "Canary safe house" not in advocate_page and "Canary safe house" not in advocate_person_page
    assert "In hiding / safe house" in advocate_page


@pytest.mark.parametrize(("level", "shown"), [("internal", True), ("partner", False), ("public", False)])
def test_it_is_never_exported_below_internal(alice, case, in_hiding, level, shown):
    document = export_case(case_id=case.pk, user=alice, level=level, fmt="json", purpose="Check").content

    assert ("Canary safe house" in document.decode()) == shown
    assert "In hiding" in json.dumps(json.loads(document), ensure_ascii=False)


def test_an_advocate_s_internal_export_leaves_it_out(advocate, case, in_hiding):
    case.team.add(advocate)

    document = export_case(case_id=case.pk, user=advocate, level="internal", fmt="json", purpose="Check").content

    assert "Canary safe house" not in document.decode()


def test_a_hiding_place_typed_into_the_plain_place_is_refused(alice_client, case, in_hiding):
    response = alice_client.post(
        "/admin/cases/statuschange/add/",
        {
            "case": case.pk,
            "person": in_hiding.pk,
            "status": Status.RELOCATED_ABROAD,
            "when": "Apr 2021",
            "place": "Berlin",
            "verification": "confirmed",
            "change_reason": "Moved",
        },
    )

    assert response.context["adminform"].form.errors["place"] == [
        "Where someone hides or was resettled goes in “where they are (protected)”."
    ]
    assert StatusChange.objects.filter(person=in_hiding).count() == 1
