"""The export log: one append-only row per export, readable by administrators only, editable by nobody."""

import hashlib

import pytest

from exports.models import ExportRecord
from tests.factories import UserFactory


@pytest.fixture
def record(alice, case, public_person, export):
    result = export(case, alice, "partner", purpose="Partner NGO in Vilnius")
    return result.record, hashlib.sha256(result.content).hexdigest()


def test_administrator_sees_the_export_record_with_its_sha256(client, administrator, record):
    client.force_login(administrator)
    row, digest = record

    page = client.get("/admin/exports/exportrecord/").content.decode()

    assert digest == row.sha256
    assert digest in page and "Partner NGO in Vilnius" in page


def test_staff_editor_cannot_read_the_export_log(client, alice, record):
    client.force_login(alice)

    assert client.get("/admin/exports/exportrecord/").status_code == 403


@pytest.mark.parametrize("suffix", ["add/", "{pk}/change/", "{pk}/delete/"])
def test_superuser_cannot_add_change_or_delete_an_export_record(client, db, record, suffix):
    row, digest = record
    client.force_login(UserFactory(username="super", is_superuser=True))
    url = "/admin/exports/exportrecord/" + suffix.format(pk=row.pk)

    client.post(url, {"purpose": "rewritten", "post": "yes", "sha256": "0" * 64})

    assert ExportRecord.objects.get().sha256 == digest
    assert ExportRecord.objects.get().purpose == "Partner NGO in Vilnius"


def test_export_record_refuses_to_be_rewritten_in_code(record):
    row, _digest = record
    row.purpose = "rewritten"

    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        ExportRecord.objects.update(purpose="rewritten")
    with pytest.raises(TypeError):
        ExportRecord.objects.all().delete()
