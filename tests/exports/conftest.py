"""Helpers for the export audit tests: read back what a recipient of an export can read."""

import csv
import io
import zipfile

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from cases.enums import Consent, Sensitivity, Status, Verification
from cases.services import record_status_change, save_record
from exports.services import export_case
from tests.factories import MembershipFactory, PersonIdentityFactory


def flat(text: str) -> str:
    """Text without any whitespace: a PDF breaks "canary-hiding-town" over two lines as "canary-hiding-\ntown"."""
    return "".join(text.split())


def readable_text(content: bytes, fmt: str) -> str:
    """Everything a recipient can read, the footer and the file's metadata included, without whitespace.

    Compare with ``flat(expected)``: a value broken over two lines is still found.
    """
    return flat(plain_text(content, fmt))


def plain_text(content: bytes, fmt: str) -> str:
    """The same text as ``readable_text``, its whitespace kept: for what must read as written, spaces and all."""
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(content))
        xmp = reader.xmp_metadata
        return "\n".join(
            [page.extract_text() for page in reader.pages]
            + [str(reader.metadata), xmp.rdf_root.toxml() if xmp is not None else ""]
        )
    if fmt == "docx":
        # Every XML part of the package, so metadata (docProps/*) and footers are read as well as the body.
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = [package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml")]
        # Paragraphs and table cells as text too: in the XML, "<" is "&lt;" and a value may be split into runs.
        word = WordDocument(io.BytesIO(content))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells + parts)
    if fmt == "csv":
        return "\n".join(cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row)
    return content.decode("utf-8")


@pytest.fixture
def export():
    def run(case, user, level, fmt="pdf", purpose="Audit test"):
        return export_case(case_id=case.pk, user=user, level=level, fmt=fmt, purpose=purpose)

    return run


@pytest.fixture
def public_person(alice, case):
    """Someone who consented to publicity and to sharing, whose identity is on record."""
    identity = PersonIdentityFactory(
        legal_name="Publicus Canaryname",
        contacts="canary-contact-of-public-person",
        current_whereabouts="canary-whereabouts-of-public-person",
    )
    person = identity.person
    person.consent_publicity = person.consent_partner_sharing = Consent.GIVEN
    person.sensitivity = Sensitivity.PUBLIC
    save_record(person, by=alice, reason="Consent recorded")
    MembershipFactory(case=case, person=person)
    return person


@pytest.fixture
def report(alice):
    """Record a status change through the service staff use; a new person in the case unless one is named."""

    def run(
        case, *, person=None, when="6 Feb 2021", status=Status.DETAINED, verification=Verification.CONFIRMED, **fields
    ):
        person = person or MembershipFactory(case=case).person
        return record_status_change(
            by=alice,
            reason="Test",
            person=person,
            case=case,
            status=status,
            when=when,
            verification=verification,
            **fields,
        )

    return run
