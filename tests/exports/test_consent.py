"""Consent gates the audience: a refused export says why, names codenames only, and leaves nothing behind."""

import pytest

from cases.enums import Consent, Sensitivity
from cases.services import add_person, add_to_case
from exports.document import ExportRefused
from exports.models import ExportRecord
from tests.exports.conftest import readable_text


def _member(case, by, **fields):
    person = add_person(by=by, reason="Test", identity={"legal_name": "Zaur CanaryRefuser"}, **fields)
    add_to_case(by=by, reason="Test", case=case, person=person, role="victim")
    return person


def test_public_export_of_a_case_with_a_withdrawn_consent_is_refused_naming_the_codename(alice, case, export):
    person = _member(case, alice, consent_publicity=Consent.WITHDRAWN, consent_partner_sharing=Consent.GIVEN)

    with pytest.raises(ExportRefused) as refusal:
        export(case, alice, "public")

    assert person.codename in str(refusal.value)
    assert "CanaryRefuser" not in str(refusal.value)
    assert not ExportRecord.objects.exists()


def test_public_export_names_only_who_consented_to_publicity(alice, case, export):
    public = _member(case, alice, sensitivity=Sensitivity.PUBLIC, consent_publicity=Consent.GIVEN)
    public.identity.legal_name = "Maxim CanaryPublic"
    public.identity.save()
    quiet = _member(case, alice, consent_publicity=Consent.NOT_ASKED, consent_partner_sharing=Consent.GIVEN)

    text = readable_text(export(case, alice, "public").content, "pdf")

    assert "CanaryPublic" in text
    assert quiet.codename in text and "CanaryRefuser" not in text


@pytest.mark.parametrize("level", ["partner", "public"])
def test_a_case_leaves_the_team_only_with_everyone_s_consent_to_sharing(alice, case, export, level):
    # A public document goes further than a partner one: it never needs less consent.
    person = _member(case, alice, consent_publicity=Consent.NOT_ASKED, consent_partner_sharing=Consent.NOT_ASKED)

    with pytest.raises(ExportRefused, match=f"consented to sharing outside the team: {person.codename}"):
        export(case, alice, level)

    assert not ExportRecord.objects.exists()


def test_consent_to_publicity_covers_sharing_with_partners(alice, case, export):
    _member(case, alice, consent_publicity=Consent.GIVEN, consent_partner_sharing=Consent.NOT_ASKED)

    assert export(case, alice, "partner").record.level == "partner"
