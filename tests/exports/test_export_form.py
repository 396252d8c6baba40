"""The export form on a case page: what each level will leave out, said before exporting, and a refusal
said at the form itself, with the way to record the missing consent."""

import re

import pytest
from django.utils.html import strip_tags

from cases.enums import Consent, SourceType, Verification
from cases.services import add_source, save_record
from exports.models import ExportRecord
from tests.factories import MembershipFactory

PUBLIC = "Public (press, publication)"
PARTNER = "Partner organisation"
INTERNAL = "Internal (the case team)"


def _export(client, case, level, purpose="UN SR on torture"):
    return client.post(f"/exports/case/{case.pk}/", {"level": level, "format": "pdf", "purpose": purpose})


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _export_form(page: str, case) -> str:
    """The text of the export form, errors included, as a reader sees it."""
    form = re.search(rf'<form method="post" action="/exports/case/{case.pk}/".*?</form>', page, re.S)
    return _text(form.group())


def _left_out(page: str) -> dict[str, str]:
    """Per level, what the page says its export leaves out."""
    section = re.search(r'<div class="export-left-out">.*?</div>', page, re.S).group()
    levels = re.findall(r"<li><strong>(.*?):</strong>(.*?)</li>", section, re.S)
    return {_text(label): _text(said) for label, said in levels}


@pytest.fixture
def without_consent(case):
    person = MembershipFactory(case=case).person
    assert person.consent_partner_sharing == Consent.NOT_ASKED
    return person


def test_refused_export_is_said_at_the_export_form_with_a_link_to_record_consent(alice_client, case, without_consent):
    response = _export(alice_client, case, "partner", purpose="Partner NGO, Berlin")

    assert response.status_code == 400
    page = response.content.decode()
    form = _export_form(page, case)
    assert f"Not everyone in this case consented to sharing outside the team: {without_consent.codename}" in form
    assert f'<a href="/admin/cases/person/{without_consent.pk}/change/">{without_consent.codename}</a>' in page
    assert 'value="Partner NGO, Berlin"' in page  # what was asked stays filled in
    assert 'class="messages"' not in page
    assert not ExportRecord.objects.exists()


def test_refused_export_tells_an_advocate_who_records_consent(client, advocate, case, without_consent):
    case.team.add(advocate)
    client.force_login(advocate)

    page = _export(client, case, "partner").content.decode()

    assert "A staff editor of the case team or an administrator records consent" in _export_form(page, case)
    assert "/admin/cases/person/" not in page


def test_export_without_a_purpose_says_so_at_the_field(alice_client, case):
    response = _export(alice_client, case, "internal", purpose=" ")

    assert response.status_code == 400
    purpose_field = re.search(r'<label for="id_purpose">.*?</ul>', response.content.decode(), re.S).group()
    assert "This field is required." in _text(purpose_field)
    assert not ExportRecord.objects.exists()


def test_timeline_says_what_each_level_leaves_out_before_exporting(alice_client, alice, case, public_person, report):
    cited = add_source(by=alice, reason="Test", case=case, source_type=SourceType.MEDIA, title="Press report")
    rumours = [
        add_source(by=alice, reason="Test", case=case, source_type=SourceType.MEDIA, title=f"Rumour {n}")
        for n in (1, 2)
    ]
    add_source(by=alice, reason="Test", case=case, source_type=SourceType.INTERNAL_NOTE, title="Call notes")
    report(case, person=public_person, sources=[cited])
    report(case, person=public_person, when="2022", verification=Verification.UNVERIFIED, sources=rumours)
    case.internal_notes = "Lawyer prefers Signal"
    save_record(case, by=alice, reason="Notes")

    left_out = _left_out(alice_client.get(f"/cases/{case.pk}/").content.decode())

    assert left_out[INTERNAL] == "Nothing is left out."
    assert "Internal notes are left out." in left_out[PARTNER]
    assert "1 source is left out for its type (1 internal note)" in left_out[PARTNER]
    assert "not cited" not in left_out[PARTNER]
    assert "2 sources are not cited by any event that may be published and will be left out." in left_out[PUBLIC]
    assert "1 report is left out (1 unverified)" in left_out[PUBLIC]
    assert "Internal notes are left out." in left_out[PUBLIC]


def test_timeline_says_a_level_without_consent_cannot_be_exported(alice_client, case, without_consent):
    left_out = _left_out(alice_client.get(f"/cases/{case.pk}/").content.decode())

    assert left_out[PARTNER].startswith(
        f"Not everyone in this case consented to sharing outside the team: {without_consent.codename}."
    )
    assert left_out[INTERNAL] == "Nothing is left out."


def _chosen_level(page: str, case) -> str:
    form = re.search(rf'<form method="post" action="/exports/case/{case.pk}/".*?</form>', page, re.S).group()
    return re.search(r'<option value="(\w+)" selected>', form).group(1)


def test_the_form_offers_first_a_level_the_cases_consents_allow(alice_client, case, without_consent):
    assert _chosen_level(alice_client.get(f"/cases/{case.pk}/").content.decode(), case) == "internal"

    without_consent.consent_partner_sharing = Consent.GIVEN
    save_record(without_consent, by=None, reason="Consent recorded")

    assert _chosen_level(alice_client.get(f"/cases/{case.pk}/").content.decode(), case) == "partner"
