"""Exports: each audience gets what its allowlist names and nothing else, in every format."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as WordDocument
from pypdf import PdfReader

from cases.enums import Consent, Level, Role, SourceType, Verification
from cases.models import Case
from cases.services import add_source, save_record
from exports.enums import Format
from exports.models import ExportJob, ExportRecord
from tests.factories import MembershipFactory, PersonIdentityFactory, StatusChangeFactory

# Where each canary lives, and the lowest audience allowed to read it.
CANARIES = {
    "CanaryLegalName": Level.INTERNAL,
    "Канарейкин": Level.INTERNAL,
    "canary-contact-0199": Level.INTERNAL,
    "canary-whereabouts": Level.INTERNAL,
    "canary-case-internal-note": Level.INTERNAL,
    "canary-event-internal-note": Level.INTERNAL,
    "canary-internal-source": Level.INTERNAL,
    "canary-unverified-report": Level.PARTNER,
    "canary-witness-statement": Level.PARTNER,
    "canary-confirmed-fact": Level.PUBLIC,
}
ORDER = [Level.INTERNAL, Level.PARTNER, Level.PUBLIC]
# The CSV is the timeline alone: a person's details and the case's notes are not in its rows.
NOT_IN_TIMELINE_ROWS = {"Канарейкин", "canary-contact-0199", "canary-whereabouts", "canary-case-internal-note"}


def extract(content: bytes, fmt: str) -> str:
    """The text a recipient can read, metadata included."""
    if fmt == Format.PDF:
        reader = PdfReader(io.BytesIO(content))
        return "\n".join([page.extract_text() for page in reader.pages] + [str(reader.metadata)])
    if fmt == Format.DOCX:
        word = WordDocument(io.BytesIO(content))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        core = word.core_properties
        meta = [core.title, core.author, core.subject, core.keywords, core.comments, core.last_modified_by]
        footer = [p.text for p in word.sections[0].footer.paragraphs]
        return "\n".join([p.text for p in word.paragraphs] + cells + footer + [m or "" for m in meta])
    if fmt == Format.CSV:
        return "\n".join(cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row)
    return content.decode("utf-8-sig")


@pytest.fixture
def canary_case(alice, case):
    identity = PersonIdentityFactory(
        legal_name="Ivan CanaryLegalName",
        name_original_script="Иван Канарейкин",
        contacts="canary-contact-0199",
        current_whereabouts="canary-whereabouts",
    )
    person = identity.person
    person.consent_partner_sharing = Consent.GIVEN
    save_record(person, by=alice, reason="Consent recorded")
    MembershipFactory(case=case, person=person, role=Role.VICTIM)
    case.internal_notes = "canary-case-internal-note"
    save_record(case, by=alice, reason="Notes")
    confirmed = StatusChangeFactory(
        case=case,
        person=person,
        description="canary-confirmed-fact",
        internal_notes="canary-event-internal-note",
        when="6 Feb 2021",
    )
    StatusChangeFactory(
        case=case,
        person=person,
        description="canary-unverified-report",
        verification=Verification.UNVERIFIED,
        when="7 Feb 2021",
    )
    for title, kind in (
        ("canary-internal-source", SourceType.INTERNAL_NOTE),
        ("canary-witness-statement", SourceType.WITNESS_STATEMENT),
    ):
        confirmed.sources.add(add_source(by=alice, reason="Source", case=case, source_type=kind, title=title))
    return case


def _export(client, case, level, fmt, purpose="UN SR on torture"):
    return client.post(f"/exports/case/{case.pk}/", {"level": level, "format": fmt, "purpose": purpose})


@pytest.mark.parametrize("fmt", Format.values)
@pytest.mark.parametrize("level", Level.values)
def test_each_level_shows_what_it_allows_and_nothing_more(alice_client, canary_case, level, fmt):
    response = _export(alice_client, canary_case, level, fmt)

    assert response.status_code == 200
    # Whitespace out: a PDF may break a marker across lines, and an absent marker must really be absent.
    text = "".join(extract(response.content, fmt).split())
    for canary, lowest in CANARIES.items():
        allowed = ORDER.index(Level(level)) <= ORDER.index(lowest)
        if fmt == Format.CSV and canary in NOT_IN_TIMELINE_ROWS:
            allowed = False
        assert (canary in text) == allowed, f"{canary} at {level} in {fmt}"
    assert canary_case.reference in text


def test_export_record_holds_the_sha256_of_the_bytes_handed_out(alice_client, alice, canary_case):
    response = _export(alice_client, canary_case, Level.PARTNER, Format.PDF, purpose="Partner NGO, Berlin")

    record = ExportRecord.objects.get()
    assert record.sha256 == hashlib.sha256(response.content).hexdigest()
    assert (record.username, record.case_references, record.level, record.format, record.purpose) == (
        "alice",
        [canary_case.reference],
        "partner",
        "pdf",
        "Partner NGO, Berlin",
    )
    assert response["Content-Disposition"] == f'attachment; filename="{record.filename}"'
    assert "Canary" not in record.filename


def test_level_without_consent_is_refused_with_a_message_and_nothing_written(alice_client, alice, case):
    person = MembershipFactory(case=case).person

    response = _export(alice_client, case, Level.PARTNER, Format.PDF)

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Not everyone in this case consented to sharing outside the team: {person.codename}" in page
    assert not ExportRecord.objects.exists()


def test_export_without_a_purpose_is_refused(alice_client, canary_case):
    response = _export(alice_client, canary_case, Level.INTERNAL, Format.PDF, purpose=" ")

    assert response.status_code == 400
    assert not ExportRecord.objects.exists()


def test_outsider_cannot_export_a_case_of_another_team(client, charlie, canary_case):
    client.force_login(charlie)

    assert _export(client, canary_case, Level.INTERNAL, Format.PDF).status_code == 404
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("fmt", [Format.PDF, Format.DOCX, Format.CSV, Format.JSON])
def test_markup_in_records_comes_out_as_text(alice_client, alice, case, fmt):
    payload = '<img src=x onerror="alert(1)"><b>bold</b>'
    StatusChangeFactory(case=case, description=payload)

    text = extract(_export(alice_client, case, Level.INTERNAL, fmt).content, fmt)

    flat = " ".join(text.split())
    assert payload in (json.loads(text)["events"][0]["detail"] if fmt == Format.JSON else flat)


def test_pdf_and_docx_metadata_name_no_one(alice_client, canary_case):
    pdf = PdfReader(io.BytesIO(_export(alice_client, canary_case, Level.INTERNAL, Format.PDF).content)).metadata
    word = WordDocument(io.BytesIO(_export(alice_client, canary_case, Level.INTERNAL, Format.DOCX).content))

    assert "Canary" not in str(pdf) and "Канарейкин" not in str(pdf)
    assert pdf.title.startswith(f"Case summary {canary_case.reference}")
    assert (word.core_properties.author, word.core_properties.last_modified_by) == ("", "")
    assert word.core_properties.title.startswith(f"Case summary {canary_case.reference}")


def test_pdf_renders_cyrillic_as_text(alice_client, canary_case):
    text = extract(_export(alice_client, canary_case, Level.INTERNAL, Format.PDF).content, Format.PDF)

    assert "Иван Канарейкин" in text


def test_bulk_export_runs_in_the_background_and_gives_one_zip(
    client, alice, canary_case, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    other = Case.objects.create(title="Another", reference="C-OTHER1")
    other.team.add(alice)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/cases/case/",
            {
                "action": "export_selected",
                "_selected_action": [str(canary_case.pk), str(other.pk)],
                "apply": "1",
                "level": "internal",
                "format": "docx",
                "purpose": "Archive for the lawyer",
            },
        )
    response = client.get(f"/exports/jobs/{ExportJob.objects.get().pk}/")

    job = ExportJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert "Download the ZIP" in response.content.decode()
    archive = b"".join(client.get(f"/exports/jobs/{job.pk}/download/").streaming_content)
    names = sorted(zipfile.ZipFile(io.BytesIO(archive)).namelist())
    assert names == sorted(f"{c.reference}-internal-{job.pk.hex[:8]}.docx" for c in (canary_case, other))
    assert job.record.sha256 == hashlib.sha256(archive).hexdigest()
    assert ExportRecord.objects.get().case_references == sorted([canary_case.reference, other.reference])


def test_bulk_export_is_only_for_the_user_who_asked(client, alice, bob, canary_case):
    job = ExportJob.objects.create(
        user=alice, case_ids=[str(canary_case.pk)], level="internal", format="pdf", purpose="x", total=1
    )
    client.force_login(bob)

    assert client.get(f"/exports/jobs/{job.pk}/").status_code == 404


def test_command_exports_a_case_to_a_file(alice, canary_case, tmp_path):
    output = tmp_path / "summary.pdf"

    call_command(
        "export_case",
        canary_case.reference,
        "--level",
        "public",
        "--format",
        "pdf",
        "--purpose",
        "Press release",
        "--output",
        str(output),
        "--user",
        "alice",
    )

    assert output.read_bytes().startswith(b"%PDF")
    assert ExportRecord.objects.get().sha256 == hashlib.sha256(output.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", [Format.PDF, Format.JSON])
def test_export_query_count_does_not_grow_with_events(alice_client, canary_case, fmt, django_assert_num_queries):
    person = canary_case.people.first()
    with CaptureQueriesContext(connection) as with_few:
        assert _export(alice_client, canary_case, Level.INTERNAL, fmt).status_code == 200
    for day in range(1, 20):
        StatusChangeFactory(case=canary_case, person=person, when=date(2022, 1, day).isoformat())

    with django_assert_num_queries(len(with_few)):
        assert _export(alice_client, canary_case, Level.INTERNAL, fmt).status_code == 200


def test_demo_lapunov_public_pdf_and_the_fictional_person_by_codename_only(client, db):
    call_command("load_demo", "--no-qr")
    client.force_login(User.objects.get(username="admin"))
    lapunov = Case.objects.get(reference="C-DEMO01")
    fictional = Case.objects.get(reference="C-DEMO04")

    public = extract(_export(client, lapunov, Level.PUBLIC, Format.PDF).content, Format.PDF)
    assert "12 Sep 2023" in public and "28834/19" in public
    assert "INTERNAL" not in public
    for level in (Level.PARTNER, Level.PUBLIC):
        text = extract(_export(client, fictional, level, Format.PDF).content, Format.PDF)
        assert "Timur" not in text and "Тимур" not in text, level
        assert fictional.people.get(memberships__role="victim").codename in text
