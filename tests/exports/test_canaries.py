"""A canary in every sensitive field, exported at every level in every format: each appears exactly where allowed.

Text is compared without whitespace (see conftest.flat), so a canary broken over two lines of a PDF is
still found and cannot pass as absent.
"""

from datetime import date

import pytest

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import Consent, Role, Script, SourceType, Status, Verification
from cases.services import add_person, add_source, add_to_case, record_status_change, save_record
from tests.exports.conftest import readable_text

LEVELS = ["internal", "partner", "public"]
FORMATS = ["pdf", "docx", "json", "csv"]
# Canary -> the widest audience that may read it. Absent from every narrower level's export.
MAY_READ = {
    "CanaryLegalName": "internal",
    "Канарейкин": "internal",
    "14Mar1987": "internal",
    "CanaryContact0199": "internal",
    "CanaryWhereabouts": "internal",
    "CanaryCaseInternalNote": "internal",
    "CanaryEventInternalNote": "internal",
    "CanaryOtherAccountInternalNote": "internal",
    "CanaryInternalNoteSource": "internal",
    "CanaryWitnessStatementSource": "partner",
    "CanaryUnverifiedReport": "partner",
    "CanaryDisputedDenial": "partner",
    "CanaryConfirmedFact": "public",
    "28834/19": "public",
}
# Fields no export shows at any level below internal; whether internal shows them is the document's choice.
NEVER_OUTSIDE = ["CanaryNameVariant", "CanaryConsentNote", "CanaryMembershipNote", "CanaryAppealNote"]
# The CSV holds the timeline rows and the sources: who a person is and the case's notes are not timeline rows.
NOT_TIMELINE = {"Канарейкин", "14Mar1987", "CanaryContact0199", "CanaryWhereabouts", "CanaryCaseInternalNote"}


@pytest.fixture
def canary_case(alice, case):
    by, reason = alice, "Canary"
    person = add_person(
        by=by,
        reason=reason,
        # Consented to the facts being published, not to being named: a public document may state them.
        consent_partner_sharing=Consent.GIVEN,
        consent_publicity=Consent.GIVEN,
        consent_notes="CanaryConsentNote",
        identity={
            "legal_name": "Ivan CanaryLegalName",
            "name_original_script": "Иван Канарейкин",
            "birth_date": date(1987, 3, 14),
            "contacts": "CanaryContact0199",
            "current_whereabouts": "CanaryWhereabouts",
        },
        names=[("CanaryNameVariant", Script.LATIN, "as_in_source")],
    )
    add_to_case(by=by, reason=reason, case=case, person=person, role=Role.VICTIM, note="CanaryMembershipNote")
    case.internal_notes = "CanaryCaseInternalNote"
    save_record(case, by=by, reason=reason)
    internal = add_source(
        by=by, reason=reason, case=case, source_type=SourceType.INTERNAL_NOTE, title="CanaryInternalNoteSource"
    )
    witness = add_source(
        by=by, reason=reason, case=case, source_type=SourceType.WITNESS_STATEMENT, title="CanaryWitnessStatementSource"
    )
    confirmed = record_status_change(
        by=by,
        reason=reason,
        person=person,
        case=case,
        status=Status.DETAINED,
        when="16–28 Mar 2017",
        verification=Verification.CONFIRMED,
        description="CanaryConfirmedFact",
        internal_notes="CanaryEventInternalNote",
        sources=[internal, witness],
    )
    record_status_change(
        by=by,
        reason=reason,
        person=person,
        case=case,
        status=Status.DETAINED,
        when="15–28 Mar 2017",
        verification=Verification.CREDIBLE,
        description="Another account",
        differs_from=confirmed,
        internal_notes="CanaryOtherAccountInternalNote",
    )
    record_status_change(
        by=by,
        reason=reason,
        person=person,
        case=case,
        status=Status.RELEASED,
        when="2018",
        verification=Verification.UNVERIFIED,
        description="CanaryUnverifiedReport",
    )
    appeal = file_appeal(
        by=by,
        reason=reason,
        case=case,
        people=[person],
        forum=Forum.ECTHR,
        kind=AppealKind.APPLICATION,
        reference="28834/19",
        notes="CanaryAppealNote",
    )
    add_appeal_step(by=by, reason=reason, appeal=appeal, step_type=StepType.LODGED, when="24 May 2019")
    record_official_response(
        by=by,
        reason=reason,
        case=case,
        response_type=ResponseType.DENIAL,
        when="Apr 2017",
        state="Russian Federation",
        quote="CanaryDisputedDenial",
        verification=Verification.DISPUTED,
    )
    return case, person


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("level", LEVELS)
def test_export_shows_each_canary_only_at_the_levels_allowed(alice, canary_case, export, level, fmt):
    case, person = canary_case

    text = readable_text(export(case, alice, level, fmt).content, fmt)

    for canary, widest in MAY_READ.items():
        allowed = LEVELS.index(level) <= LEVELS.index(widest) and not (fmt == "csv" and canary in NOT_TIMELINE)
        assert (canary in text) == allowed, f"{canary} {'missing' if allowed else 'leaked'} at {level} in {fmt}"
    if level != "internal":
        assert [canary for canary in NEVER_OUTSIDE if canary in text] == []
    assert person.codename in text
    assert case.reference in text
