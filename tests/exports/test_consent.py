"""Consent gates the audience: a refused export says why, names codenames only, and leaves nothing behind."""

import pytest

from appeals.enums import AppealKind, Forum
from appeals.services import file_appeal
from cases.enums import Consent, Sensitivity
from cases.services import add_person, add_to_case
from exports.document import ExportRefused
from exports.models import ExportRecord
from tests.exports.conftest import flat, readable_text


def _member(case, by, **fields):
    person = add_person(by=by, reason="Test", identity={"legal_name": "Zaur CanaryRefuser"}, **fields)
    add_to_case(by=by, reason="Test", case=case, person=person, role="victim")
    return person


def test_a_partner_export_without_everyone_s_consent_to_sharing_is_refused(alice, case, export):
    person = _member(case, alice, consent_publicity=Consent.NOT_ASKED, consent_partner_sharing=Consent.NOT_ASKED)

    with pytest.raises(ExportRefused, match=f"consented to sharing outside the team: {person.codename}"):
        export(case, alice, "partner")

    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("publicity", [Consent.NOT_ASKED, Consent.REFUSED, Consent.WITHDRAWN])
def test_public_export_says_nothing_specific_of_someone_without_consent_to_publicity(
    alice, case, export, report, publicity
):
    public = _member(case, alice, sensitivity=Sensitivity.PUBLIC, consent_publicity=Consent.GIVEN)
    public.identity.legal_name = "Maxim CanaryPublic"
    public.identity.save()
    quiet = _member(case, alice, consent_publicity=publicity, consent_partner_sharing=Consent.GIVEN)
    report(case, person=quiet, description="CanaryQuietFact")
    report(case, person=public, description="CanaryPublicFact")

    text = readable_text(export(case, alice, "public").content, "pdf")

    assert "CanaryPublic" in text and "CanaryPublicFact" in text
    assert "Onemoreperson(detailswithheld)" in text
    assert quiet.codename not in text and "CanaryQuietFact" not in text and "CanaryRefuser" not in text


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_public_export_names_no_appeal_of_someone_withheld_even_through_a_fact_about_the_state(
    alice, case, export, fmt
):
    public = _member(case, alice, sensitivity=Sensitivity.PUBLIC, consent_publicity=Consent.GIVEN)
    quiet = _member(case, alice, consent_publicity=Consent.NOT_ASKED, consent_partner_sharing=Consent.GIVEN)
    for person, title, reference in [
        (quiet, "CanaryQuietAppeal", "11111/19"),
        (public, "CanaryShownAppeal", "22222/19"),
    ]:
        file_appeal(
            by=alice,
            reason="Filed",
            case=case,
            people=[person],
            forum=Forum.ECTHR,
            kind=AppealKind.APPLICATION,
            reference=reference,
            title=title,
            respondent_state="RU",
        )

    public_text = readable_text(export(case, alice, "public", fmt=fmt).content, fmt)
    internal_text = readable_text(export(case, alice, "internal", fmt=fmt).content, fmt)

    # Russia's leaving the Convention bears on both applications; the public document names only the one it shows.
    assert flat("Russia ceased to be a party") in public_text
    assert "CanaryShownAppeal" in public_text and "22222/19" in public_text
    assert "CanaryQuietAppeal" not in public_text and "11111/19" not in public_text
    assert quiet.codename not in public_text
    assert "CanaryQuietAppeal" in internal_text and "11111/19" in internal_text


def test_public_export_leaves_out_restricted_people_without_consent_altogether(alice, case, export, report):
    hidden = _member(case, alice, sensitivity=Sensitivity.RESTRICTED, consent_partner_sharing=Consent.GIVEN)
    report(case, person=hidden, description="CanaryRestrictedFact")

    text = readable_text(export(case, alice, "public").content, "pdf")

    assert hidden.codename not in text and "CanaryRestrictedFact" not in text
    assert "Onemoreperson" not in text


def test_consent_to_publicity_covers_sharing_with_partners(alice, case, export):
    _member(case, alice, consent_publicity=Consent.GIVEN, consent_partner_sharing=Consent.NOT_ASKED)

    assert export(case, alice, "partner").record.level == "partner"
