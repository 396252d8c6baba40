"""A submission the services refuse after the forms passed gets a message and changes nothing: never a 500."""

import pytest
from django.core.exceptions import ValidationError

from appeals.models import AppealStep, OfficialResponse
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.models import Case, CaseMembership, Source, StatusChange
from cases.services import record_status_change, save_record
from tests.admin_forms import case_form, formset
from tests.conftest import VerifiedClient
from tests.factories import CaseFactory, MembershipFactory, PersonFactory, SourceFactory


def _client(user):
    client = VerifiedClient(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_status_change_for_someone_taken_off_the_case_in_the_same_submission_is_refused(alice, case):
    membership = MembershipFactory(case=case)
    replacement = PersonFactory(created_by=alice)
    data = case_form(
        team=[alice],
        memberships=formset(
            "memberships",
            [
                {
                    "id": str(membership.pk),
                    "case": str(case.pk),
                    "person": str(replacement.pk),
                    "role": "victim",
                    "note": "",
                    "seen_version": str(membership.version),
                }
            ],
            initial=1,
        ),
        status_changes=formset(
            "status_changes",
            [
                {
                    "case": str(case.pk),
                    "person": str(membership.person.pk),
                    "status": "detained",
                    "when": "2021",
                    "place": "",
                    "verification": "confirmed",
                    "description": "",
                    "internal_notes": "",
                }
            ],
        ),
    )
    data["title"] = case.title

    response = _client(alice).post(f"/admin/cases/case/{case.pk}/change/", data, follow=True)

    assert response.status_code == 200
    assert CaseMembership.objects.get(pk=membership.pk).person_id == membership.person_id
    assert not StatusChange.objects.exists()


def test_a_report_citing_another_cases_source_is_refused_and_nothing_saved(alice, case):
    """Cited, another case's source would go out in this case's exports, read as this case's evidence."""
    membership = MembershipFactory(case=case)
    own = SourceFactory(case=case, title="Call from the mother")
    others = SourceFactory(case=CaseFactory(team=[alice]), title="Article about someone else")
    report = {
        "case": str(case.pk),
        "person": str(membership.person.pk),
        "status": "detained",
        "when": "2021",
        "place": "",
        "verification": "confirmed",
        "description": "",
        "internal_notes": "",
    }

    def submit(sources):
        data = case_form(
            team=[alice],
            memberships=formset("memberships", [_membership_row(membership, case)], initial=1),
            status_changes=formset("status_changes", [{**report, "sources": [str(s.pk) for s in sources]}]),
        )
        data["title"] = case.title
        return _client(alice).post(f"/admin/cases/case/{case.pk}/change/", data, follow=True)

    refused = submit([own, others])
    refused_count = StatusChange.objects.count()
    accepted = submit([own])

    assert refused.status_code == 200
    assert "One of these sources belongs to another case" in refused.content.decode()
    assert refused_count == 0
    assert accepted.status_code == 200
    assert list(StatusChange.objects.get().sources.all()) == [own]


def test_the_services_refuse_another_cases_source_too(alice, case):
    person = MembershipFactory(case=case).person
    appeal = file_appeal(by=alice, reason="Test", case=case, people=[person], forum="ecthr", kind="application")
    elsewhere = SourceFactory(case=CaseFactory(team=[alice]))
    attempts = [
        lambda: record_status_change(
            by=alice, reason="Test", person=person, case=case, status="detained", when="2021", sources=[elsewhere]
        ),
        lambda: add_appeal_step(
            by=alice, reason="Test", appeal=appeal, step_type="lodged", when="2021", sources=[elsewhere]
        ),
        lambda: record_official_response(
            by=alice, reason="Test", case=case, response_type="denial", when="2021", sources=[elsewhere]
        ),
    ]

    for attempt in attempts:
        with pytest.raises(ValidationError, match="belongs to another case"):
            attempt()

    assert (StatusChange.objects.count(), AppealStep.objects.count(), OfficialResponse.objects.count()) == (0, 0, 0)


def test_a_cited_source_stays_with_its_case(alice, case):
    person = MembershipFactory(case=case).person
    source = SourceFactory(case=case, title="Call from the mother")
    record_status_change(
        by=alice, reason="Test", person=person, case=case, status="detained", when="2021", sources=[source]
    )
    source.case = CaseFactory(team=[alice])

    with pytest.raises(ValidationError, match="it stays with that case"):
        save_record(source, by=alice, reason="Moved by mistake")

    assert Source.objects.get(pk=source.pk).case_id == case.pk


def test_a_report_that_cited_another_cases_source_before_the_rule_does_not_block_saving_its_case(alice, case):
    membership = MembershipFactory(case=case)
    report = record_status_change(
        by=alice, reason="Test", person=membership.person, case=case, status="detained", when="2021"
    )
    elsewhere = SourceFactory(case=CaseFactory(team=[alice]))
    report.sources.add(elsewhere)  # as cited before sources were held to their case
    data = case_form(
        team=[alice],
        memberships=formset("memberships", [_membership_row(membership, case)], initial=1),
        status_changes=formset(
            "status_changes",
            [
                {
                    "id": str(report.pk),
                    "case": str(case.pk),
                    "person": str(membership.person.pk),
                    "status": "detained",
                    "when": "2021",
                    "place": "",
                    "verification": report.verification,
                    "description": "",
                    "internal_notes": "",
                    "sources": [str(elsewhere.pk)],
                    "seen_version": str(report.version),
                }
            ],
            initial=1,
        ),
    )
    data["title"] = "Two men seized in Argun"

    response = _client(alice).post(f"/admin/cases/case/{case.pk}/change/", data, follow=True)

    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).title == "Two men seized in Argun"


def _membership_row(membership, case):
    return {
        "id": str(membership.pk),
        "case": str(case.pk),
        "person": str(membership.person.pk),
        "role": membership.role,
        "note": "",
        "seen_version": str(membership.version),
    }
