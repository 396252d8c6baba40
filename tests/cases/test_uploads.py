"""Evidence files: checked by content, limited, stripped of metadata, served only to the case team."""

import hashlib
import importlib
import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from cases.models import AccessRecord, Source
from cases.restore import restore
from cases.services import add_source, delete_record, save_record
from tests.evidence import pdf_naming

LETTER = pdf_naming("Ivan Canarov")


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCameraMaker"  # Make
    exif[0x8825] = {2: (55.0, 45.0, 0.0), 1: "N"}  # GPS latitude of a safe house
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _source_form(case, upload, reason="Photo from the lawyer"):
    return {
        "case": str(case.pk),
        "source_type": "witness_statement",
        "title": "Photo",
        "reliability": "medium",
        "file": upload,
        "change_reason": reason,
    }


def test_uploaded_photo_is_stored_without_exif_and_hashed(alice_client, case):
    original = _jpeg_with_gps()
    assert b"CanaryCameraMaker" in original

    response = alice_client.post(
        "/admin/cases/source/add/", _source_form(case, SimpleUploadedFile("IMG_1.jpg", original))
    )

    assert response.status_code == 302
    source = Source.objects.get(case=case)
    stored = source.read_file()
    assert b"CanaryCameraMaker" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}
    assert (source.media_type, source.served_sha256) == ("image/jpeg", hashlib.sha256(stored).hexdigest())
    assert "IMG_1" not in source.file.name


def test_file_of_a_refused_type_gets_a_message_and_nothing_is_saved(alice_client, case):
    page = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")

    response = alice_client.post("/admin/cases/source/add/", _source_form(case, page))

    assert "This kind of file is not accepted." in response.content.decode()
    assert not Source.objects.exists()


def test_file_over_the_limit_is_refused(alice_client, case, settings):
    settings.SOURCE_FILE_MAX_BYTES = 2**20
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 2**20))

    response = alice_client.post("/admin/cases/source/add/", _source_form(case, big))

    assert "the limit is 1 MB" in response.content.decode()
    assert not Source.objects.exists()


def test_attachment_is_served_only_through_the_checked_view(client, alice, charlie, case):
    source = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Letter",
        file=SimpleUploadedFile("x.pdf", LETTER),
    )
    url = f"/sources/{source.pk}/file/"

    client.force_login(charlie)
    hidden = client.get(url)
    client.force_login(alice)
    served = client.get(url)

    assert hidden.status_code == 404
    assert served.status_code == 200
    # Reading the stream to its end lets the test client close the response (and the file) itself.
    assert b"".join(served.streaming_content) == source.read_file()
    assert served["Content-Disposition"] == f'attachment; filename="{case.reference}-source-{str(source.pk)[:8]}.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/media-not-served/{source.file.name}").status_code == 404
    assert client.get(f"/media-not-served/{source.original.name}").status_code == 404
    record = AccessRecord.objects.get(action="view_attachment")
    assert (record.username, record.case_reference, record.object_id) == ("alice", case.reference, str(source.pk))


@pytest.mark.parametrize("field", ["file", "original"])
def test_stored_file_cannot_be_replaced(alice, case, field):
    source = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Letter",
        file=SimpleUploadedFile("x.pdf", LETTER),
    )
    served = source.read_file()
    setattr(source, field, SimpleUploadedFile("y.pdf", pdf_naming("Someone else")))

    with pytest.raises(ValidationError, match="never replaced"):
        save_record(source, by=alice, reason="Swap")

    kept = Source.objects.get(pk=source.pk)
    assert (kept.read_file(), kept.read_original()) == (served, LETTER)


def test_attached_files_are_encrypted_on_disk_and_still_served_after_key_rotation(client, alice, case, settings):
    source = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Letter",
        file=SimpleUploadedFile("x.pdf", LETTER),
    )
    served = source.read_file()
    on_disk = [path.read_bytes() for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    # The copy served and the original as uploaded.
    assert len(on_disk) == 2 and not [content for content in on_disk if b"Canarov" in content or b"%PDF" in content]
    assert source.sha256 == hashlib.sha256(LETTER).hexdigest()

    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    client.force_login(alice)

    assert b"".join(client.get(f"/sources/{source.pk}/file/").streaming_content) == served
    assert b"".join(client.get(f"/sources/{source.pk}/original/").streaming_content) == LETTER
    assert len([path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]) == 2
    assert Source.history.filter(id=source.pk).count() == 1  # rotating keys is not an edit


def test_files_stored_before_encryption_are_encrypted_by_the_migration(alice, case, settings):
    migration = importlib.import_module("cases.migrations.0008_encrypt_stored_files")
    legacy = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Old",
        file=SimpleUploadedFile("x.pdf", LETTER),
    )
    current = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="New",
        file=SimpleUploadedFile("y.pdf", LETTER),
    )
    served = current.read_file()
    Path(legacy.file.path).write_bytes(b"%PDF-1.4\n%Ivan Canarov\n")  # as a file stored before encryption

    migration.encrypt_plain_files(apps, None)
    migration.encrypt_plain_files(apps, None)  # a second run changes nothing

    assert b"Canarov" not in Path(legacy.file.path).read_bytes()
    assert legacy.read_file() == b"%PDF-1.4\n%Ivan Canarov\n"
    assert current.read_file() == served


def test_key_rotation_covers_files_of_deleted_sources_so_they_can_be_restored(alice, administrator, case, settings):
    source = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Letter",
        file=SimpleUploadedFile("x.pdf", LETTER),
    )
    source_id, served = source.pk, source.read_file()
    delete_record(source, by=administrator, reason="Filed twice")
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    restore(Source.history.get(id=source_id, history_type="-"), by=administrator)

    restored = Source.objects.get(pk=source_id)
    assert (restored.read_file(), restored.read_original()) == (served, LETTER)


def test_sources_attached_before_originals_were_kept_serve_their_stored_file_as_both(
    client, alice, administrator, case
):
    migration = importlib.import_module("cases.migrations.0015_source_original")
    kept, deleted = (
        add_source(
            by=alice,
            reason="Letter",
            case=case,
            source_type="court_document",
            title=title,
            file=SimpleUploadedFile("x.pdf", LETTER),
        )
        for title in ("Kept", "Deleted")
    )
    # As attached before: one stored file, hashed as stored, in the live rows and their history.
    for model in (Source.objects, Source.history):
        model.filter(id__in=[kept.pk, deleted.pk]).update(original="", served_sha256="", sha256=kept.served_sha256)
    delete_record(Source.objects.get(pk=deleted.pk), by=administrator, reason="Filed twice")

    migration.keep_stored_file_as_original(apps, None)
    migration.keep_stored_file_as_original(apps, None)  # a second run changes nothing
    restored = restore(Source.history.get(id=deleted.pk, history_type="-"), by=administrator)
    client.force_login(alice)

    for source in (Source.objects.get(pk=kept.pk), restored):
        assert source.original.name == source.file.name
        assert source.sha256 == source.served_sha256 == hashlib.sha256(source.read_file()).hexdigest()
        original = client.get(f"/sources/{source.pk}/original/")
        assert b"".join(original.streaming_content) == source.read_file()
