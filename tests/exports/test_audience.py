"""What each audience reads: identity only for those who may see it, facts of this case that its level allows."""

import io
import json

from django.utils import timezone
from pypdf import PdfReader

from cases.enums import SourceType, Status, Verification
from cases.services import add_source
from tests.exports.conftest import flat, readable_text
from tests.factories import CaseFactory, MembershipFactory


def test_internal_export_by_advocate_shows_no_identity_details(advocate, case, public_person, export):
    # Advocates may not open identities in the app (cases/roles.py), so their "internal" is without them.
    case.team.add(advocate)

    text = readable_text(export(case, advocate, "internal").content, "pdf")

    assert "canary-contact-of-public-person" not in text
    assert "canary-whereabouts-of-public-person" not in text


def test_internal_export_by_staff_editor_shows_identity_details(alice, case, public_person, export):
    text = readable_text(export(case, alice, "internal").content, "pdf")

    assert "canary-contact-of-public-person" in text
    assert "canary-whereabouts-of-public-person" in text


def test_public_export_hides_a_current_status_nobody_verified(alice, case, public_person, export, report):
    report(case, person=public_person, status=Status.PRESUMED_DEAD, verification=Verification.UNVERIFIED)

    text = readable_text(export(case, alice, "public").content, "pdf")

    assert flat("Presumed dead") not in text


def test_public_export_lists_no_source_cited_only_by_an_unverified_report(alice, case, public_person, export, report):
    rumour = add_source(
        by=alice,
        reason="Test",
        case=case,
        source_type=SourceType.MEDIA,
        title="canary-rumour-source: a message says he escaped",
    )
    report(case, person=public_person, verification=Verification.UNVERIFIED, sources=[rumour])

    text = readable_text(export(case, alice, "public").content, "pdf")

    assert "canary-rumour-source" not in text


def test_partner_export_current_status_prefers_established_reports(alice, case, public_person, export, report):
    # As in the app (cases.services.refresh_current_status): an anonymous claim does not displace what is known.
    report(case, person=public_person, status=Status.DISAPPEARED, when="15 Feb 2023")
    report(case, person=public_person, status=Status.AT_LIBERTY, when="2024", verification=Verification.UNVERIFIED)

    people = json.loads(export(case, alice, "partner", "json").content)["people"]

    assert [row["status"] for row in people] == ["Disappeared / whereabouts unknown (15 Feb 2023)"]


def test_partner_export_shows_no_status_from_another_case(alice, charlie, case, public_person, export, report):
    report(case, person=public_person, status=Status.DETAINED, when="6 Feb 2021")
    elsewhere = CaseFactory(title="A case alice is not on", team=[charlie])
    MembershipFactory(case=elsewhere, person=public_person)
    report(elsewhere, person=public_person, status=Status.ASYLUM_GRANTED, when="1 Mar 2022")

    text = readable_text(export(case, alice, "partner").content, "pdf")

    assert flat("Asylum granted") not in text


def test_partner_export_hides_where_a_person_in_hiding_is_now(alice, case, public_person, export, report):
    report(case, person=public_person, status=Status.DETAINED, when="6 Feb 2021", place="Gudermes")
    report(case, person=public_person, status=Status.IN_HIDING, when="1 Mar 2021", whereabouts="canary-hiding-town")

    text = readable_text(export(case, alice, "partner").content, "pdf")

    assert "Gudermes" in text
    assert "canary-hiding-town" not in text


def test_footer_identifier_finds_the_export_record(alice, case, public_person, export):
    result = export(case, alice, "partner")

    text = readable_text(result.content, "pdf")

    assert result.record.pk.hex in text or str(result.record.pk) in text


def test_footer_is_on_every_pdf_page(alice, case, public_person, export, report, settings):
    settings.ORGANISATION_NAME = "Canary Rights Org"
    for day in range(1, 29):
        report(case, person=public_person, when=f"{day} Feb 2021", description="Seen. " * 40)

    pages = PdfReader(io.BytesIO(export(case, alice, "public").content)).pages
    today = flat(f"{timezone.now():%d %b %Y}")

    assert len(pages) > 1
    for page in pages:
        text = flat(page.extract_text())
        assert "CanaryRightsOrg" in text and today in text and "Public" in text
