"""manage.py export_case: the file it writes is the one its record describes; a refused export writes neither."""

import hashlib
import os

import pytest
from django.core.management import CommandError, call_command

from cases.enums import Consent
from exports.models import ExportRecord
from tests.factories import MembershipFactory


def _export_case(case, level, output):
    call_command(
        "export_case",
        case.reference,
        "--level",
        level,
        "--format",
        "pdf",
        "--purpose",
        "Press release",
        "--output",
        str(output),
        "--user",
        "alice",
    )


def test_command_exports_a_case_to_a_file(alice, case, public_person, tmp_path):
    output = tmp_path / "summary.pdf"

    _export_case(case, "public", output)

    assert output.read_bytes().startswith(b"%PDF")
    record = ExportRecord.objects.get()
    assert record.sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
    assert (record.username, record.level, record.format, record.purpose) == ("alice", "public", "pdf", "Press release")


def test_refused_command_export_writes_no_file(alice, case, tmp_path):
    person = MembershipFactory(case=case).person
    assert person.consent_partner_sharing == Consent.NOT_ASKED
    output = tmp_path / "summary.pdf"

    with pytest.raises(CommandError, match="consent"):
        _export_case(case, "partner", output)

    assert not output.exists()
    assert not ExportRecord.objects.exists()


def test_the_file_is_the_requesters_alone_whatever_the_umask(alice, case, public_person, tmp_path):
    output = tmp_path / "summary.pdf"
    previous = os.umask(0o022)
    try:
        _export_case(case, "public", output)
    finally:
        os.umask(previous)

    assert oct(output.stat().st_mode & 0o777) == "0o600"


def test_an_existing_file_is_never_overwritten(alice, case, public_person, tmp_path):
    output = tmp_path / "summary.pdf"
    output.write_bytes(b"an earlier export")

    with pytest.raises(CommandError, match="exists"):
        _export_case(case, "public", output)

    assert output.read_bytes() == b"an earlier export"
