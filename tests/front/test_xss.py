"""Text from records is shown as text: a payload in any field never becomes markup on any page."""

from datetime import date

import pytest

from appeals.services import add_appeal_step
from cases.enums import Sensitivity
from cases.services import save_record
from tests.factories import (
    AppealFactory,
    DeadlineFactory,
    MembershipFactory,
    OfficialResponseFactory,
    PersonIdentityFactory,
    SourceFactory,
    StatusChangeFactory,
)

PAYLOADS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)//<a href='javascript:alert(5)'>x</a>",
]


@pytest.fixture
def poisoned(case, alice):
    payload = " ".join(PAYLOADS)
    case.title, case.summary, case.region, case.internal_notes = payload, payload, payload[:100], payload
    save_record(case, by=alice, reason=payload)
    identity = PersonIdentityFactory(legal_name=payload[:200], contacts=payload, current_whereabouts=payload)
    person = identity.person
    person.sensitivity, person.consent_publicity, person.consent_notes = Sensitivity.PUBLIC, "given", payload
    save_record(person, by=alice, reason=payload)
    MembershipFactory(case=case, person=person, note=payload[:200])
    source = SourceFactory(case=case, title=payload, publisher=payload[:200])
    change = StatusChangeFactory(
        case=case, person=person, description=payload, place=payload[:200], internal_notes=payload
    )
    change.sources.add(source)
    appeal = AppealFactory(case=case, title=payload[:200], mandates=payload[:300], reference="", notes=payload)
    add_appeal_step(
        by=alice,
        reason=payload,
        appeal=appeal,
        step_type="interim_granted",
        when="2021",
        description=payload,
        response_due_on=date(2021, 12, 31),
    )
    DeadlineFactory(appeal=appeal, description=payload[:300], note=payload)
    OfficialResponseFactory(
        case=case,
        appeal=appeal,
        body=payload[:200],
        official=payload[:200],
        summary=payload,
        quote=payload,
        state=payload[:100],
    )
    return {"case": case, "person": person, "appeal": appeal, "change": change}


def _pages(records):
    case, person, appeal, change = records["case"], records["person"], records["appeal"], records["change"]
    return [
        "/cases/",
        f"/cases/{case.pk}/",
        f"/people/{person.pk}/",
        "/deadlines/",
        "/figures/",
        "/figures/records/?figure=appeals",
        "/figures/records/?figure=responses",
        f"/admin/cases/case/{case.pk}/change/",
        f"/admin/cases/case/{case.pk}/history/",
        f"/admin/cases/person/{person.pk}/change/",
        f"/admin/cases/person/{person.pk}/history/",
        f"/admin/appeals/appeal/{appeal.pk}/change/",
        f"/admin/appeals/appeal/{appeal.pk}/history/",
        f"/admin/cases/statuschange/{change.pk}/change/",
        "/admin/cases/statuschange/",
        "/admin/appeals/deadline/",
        "/admin/cases/source/",
    ]


def test_payloads_in_every_text_field_are_escaped_on_every_page(alice_client, poisoned):
    for url in _pages(poisoned):
        response = alice_client.get(url)
        body = response.content.decode()

        assert response.status_code == 200, url
        for payload in PAYLOADS:
            assert payload not in body, f"unescaped payload on {url}"
        assert "&lt;img src=x onerror=" in body or "&lt;script&gt;" in body, f"payload not shown at all on {url}"


def test_pages_carry_a_strict_content_security_policy(alice_client, poisoned):
    response = alice_client.get(f"/cases/{poisoned['case'].pk}/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response["Referrer-Policy"] == "same-origin"
