"""Exporting from a case page: the bytes handed out are the ones recorded, for the level and format asked, and
only the case team may export.

What each level shows is test_canaries.py's, on the same export_case the page calls; refusals said at the
form are test_export_form.py's.
"""

import hashlib

import pytest

from exports.models import ExportRecord
from tests.exports.conftest import readable_text


def _export(client, case, level, fmt, purpose="UN SR on torture"):
    return client.post(f"/exports/case/{case.pk}/", {"level": level, "format": fmt, "purpose": purpose})


@pytest.mark.parametrize("fmt", ["pdf", "docx", "json", "csv"])
@pytest.mark.parametrize("level", ["internal", "partner", "public"])
def test_export_record_holds_the_sha256_of_the_bytes_handed_out(alice_client, case, public_person, report, level, fmt):
    report(case, person=public_person)  # an event: each CSV row names its case

    response = _export(alice_client, case, level, fmt, purpose="Partner NGO, Berlin")

    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert record.sha256 == hashlib.sha256(response.content).hexdigest()
    assert (record.username, record.case_references, record.level, record.format, record.purpose) == (
        "alice",
        [case.reference],
        level,
        fmt,
        "Partner NGO, Berlin",
    )
    assert response["Content-Disposition"] == f'attachment; filename="{record.filename}"'
    assert response["X-Export-Id"] == str(record.pk)
    assert "Canary" not in record.filename
    assert case.reference in readable_text(response.content, fmt)


def test_outsider_cannot_export_a_case_of_another_team(client, charlie, case, public_person):
    client.force_login(charlie)

    assert _export(client, case, "internal", "pdf").status_code == 404
    assert not ExportRecord.objects.exists()
