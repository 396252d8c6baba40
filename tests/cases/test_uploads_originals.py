"""Evidence is kept as uploaded, for custody, and served without the metadata that names who made it."""

import hashlib
import io
import logging
import zipfile

import docx
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from cases.models import AccessRecord, Source
from cases.services import add_source
from tests.evidence import TEXT, docx_naming, pdf_naming, unpacked_text
from tests.factories import UserFactory

CANARY = "Ivan Canarov"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _source_form(case, upload):
    return {
        "case": str(case.pk),
        "source_type": "witness_statement",
        "title": "Statement",
        "reliability": "medium",
        "file": upload,
        "change_reason": "Statement from the lawyer",
    }


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    # Reading the stream to its end lets the test client close the response (and the file) itself.
    return b"".join(response.streaming_content)


def _upload(alice_client, case, name, content) -> Source:
    response = alice_client.post("/admin/cases/source/add/", _source_form(case, SimpleUploadedFile(name, content)))
    assert response.status_code == 302
    return Source.objects.get(case=case)


def test_pdf_is_served_without_its_metadata_and_kept_as_uploaded(alice_client, case):
    uploaded = pdf_naming(CANARY)

    source = _upload(alice_client, case, "statement.pdf", uploaded)
    served = _download(alice_client, f"/sources/{source.pk}/file/")
    original = _download(alice_client, f"/sources/{source.pk}/original/")

    clean = PdfReader(io.BytesIO(served))
    assert (clean.metadata, clean.xmp_metadata) == (None, None)
    assert "/Metadata" not in clean.pages[0]
    assert CANARY.encode() not in served
    assert clean.pages[0].extract_text() == TEXT
    assert original == uploaded
    assert PdfReader(io.BytesIO(original)).metadata.author == CANARY
    assert (source.sha256, source.served_sha256) == (
        hashlib.sha256(uploaded).hexdigest(),
        hashlib.sha256(served).hexdigest(),
    )


def test_pdf_retitled_after_naming_someone_is_served_without_the_earlier_title(alice_client, case):
    # An incremental save appends the new title and leaves the old one in the file, where any text editor finds it.
    retitled = PdfWriter(io.BytesIO(pdf_naming(CANARY)), incremental=True)
    retitled.add_metadata({"/Title": "Statement", "/Author": "", "/Subject": "", "/Keywords": "", "/Creator": ""})
    retitled.xmp_metadata = None
    buffer = io.BytesIO()
    retitled.write(buffer)
    assert CANARY.encode() in buffer.getvalue()

    source = _upload(alice_client, case, "statement.pdf", buffer.getvalue())
    served = _download(alice_client, f"/sources/{source.pk}/file/")

    assert CANARY.encode() not in served
    assert PdfReader(io.BytesIO(served)).pages[0].extract_text() == TEXT


def test_word_document_is_served_without_its_properties_and_kept_as_uploaded(alice_client, case):
    uploaded = docx_naming(CANARY)

    source = _upload(alice_client, case, "statement.docx", uploaded)
    served = _download(alice_client, f"/sources/{source.pk}/file/")
    original = _download(alice_client, f"/sources/{source.pk}/original/")

    clean = docx.Document(io.BytesIO(served))
    assert (clean.core_properties.author, clean.core_properties.title, clean.core_properties.comments) == ("", "", "")
    assert CANARY not in unpacked_text(served)  # core, app (company) and custom properties alike
    assert [paragraph.text for paragraph in clean.paragraphs] == [TEXT]
    assert source.media_type == WORD
    assert original == uploaded
    assert docx.Document(io.BytesIO(original)).core_properties.last_modified_by == CANARY
    assert source.sha256 == hashlib.sha256(uploaded).hexdigest()


def test_photo_keeps_the_sha256_of_the_bytes_uploaded_and_its_original(alice_client, case):
    photo = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCameraMaker"  # Make
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", exif=exif)
    uploaded = buffer.getvalue()

    source = _upload(alice_client, case, "IMG_1.jpg", uploaded)
    served = _download(alice_client, f"/sources/{source.pk}/file/")

    assert b"CanaryCameraMaker" not in served
    assert source.sha256 == hashlib.sha256(uploaded).hexdigest()
    assert source.served_sha256 == hashlib.sha256(served).hexdigest()
    assert _download(alice_client, f"/sources/{source.pk}/original/") == uploaded


def test_original_is_refused_to_an_advocate_who_gets_the_clean_copy(client, alice, advocate, case):
    case.team.add(advocate)
    source = add_source(
        by=alice,
        reason="Statement",
        case=case,
        source_type="witness_statement",
        title="Statement",
        file=SimpleUploadedFile("statement.pdf", pdf_naming(CANARY)),
    )
    client.force_login(advocate)

    refused = client.get(f"/sources/{source.pk}/original/")
    served = _download(client, f"/sources/{source.pk}/file/")

    assert refused.status_code == 403
    assert CANARY.encode() not in refused.content
    assert PdfReader(io.BytesIO(served)).pages[0].extract_text() == TEXT
    assert list(AccessRecord.objects.values_list("username", "action")) == [("dana", "view_attachment")]


def test_each_download_of_an_original_is_in_the_access_log(client, alice, bob, case):
    source = add_source(
        by=alice,
        reason="Statement",
        case=case,
        source_type="witness_statement",
        title="Statement",
        file=SimpleUploadedFile("statement.docx", docx_naming(CANARY)),
    )
    names = []
    for user in (alice, bob):
        client.force_login(user)
        response = client.get(f"/sources/{source.pk}/original/")
        b"".join(response.streaming_content)
        names.append(response["Content-Disposition"])

    # Told apart from the copy served by its name, which says nothing of the upload's name or title.
    assert set(names) == {f'attachment; filename="{case.reference}-source-{str(source.pk)[:8]}-original.docx"'}

    logged = AccessRecord.objects.filter(action="view_original").order_by("at")
    assert [(r.username, r.case_reference, r.object_id) for r in logged] == [
        ("alice", case.reference, str(source.pk)),
        ("bob", case.reference, str(source.pk)),
    ]
    assert logged[0].get_action_display() == "Downloaded an original as uploaded"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Sidorov_statement.pdf", b"%PDF-1.4\n" + b"not a PDF " * 50, "This PDF cannot be read; it may be damaged."),
        ("Sidorov_statement.docx", docx_naming(CANARY)[:3000], "This Word document cannot be read; it may be damaged."),
    ],
    ids=["pdf", "word"],
)
def test_damaged_document_gets_a_message_and_nothing_is_saved(
    alice_client, case, settings, caplog, name, content, message
):
    caplog.set_level(logging.DEBUG)

    response = alice_client.post("/admin/cases/source/add/", _source_form(case, SimpleUploadedFile(name, content)))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    # The name of an upload may identify the person it is about.
    assert "Sidorov" not in caplog.text


def test_word_document_unpacking_to_more_than_the_limit_gets_a_message_and_nothing_is_saved(alice_client, case):
    buffer = io.BytesIO(docx_naming(CANARY))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("word/x.bin", "w") as padding:
        for _megabyte in range(101):
            padding.write(bytes(2**20))
    assert len(buffer.getvalue()) < 2**20

    response = alice_client.post(
        "/admin/cases/source/add/", _source_form(case, SimpleUploadedFile("statement.docx", buffer.getvalue()))
    )

    assert "This Word document is too large to process: it unpacks to more than 100 MB." in response.content.decode()
    assert not Source.objects.exists()


def test_pdf_locked_with_a_password_gets_a_message_and_nothing_is_saved(alice_client, case):
    writer = PdfWriter(clone_from=io.BytesIO(pdf_naming(CANARY)))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)

    response = alice_client.post(
        "/admin/cases/source/add/", _source_form(case, SimpleUploadedFile("statement.pdf", locked.getvalue()))
    )

    assert "This PDF is locked with a password. Upload a copy without the password." in response.content.decode()
    assert not Source.objects.exists()


def test_editor_sees_both_downloads_in_the_admin(alice_client, alice, case):
    source = add_source(
        by=alice,
        reason="Statement",
        case=case,
        source_type="witness_statement",
        title="Statement",
        file=SimpleUploadedFile("statement.pdf", pdf_naming(CANARY)),
    )

    source_page = alice_client.get(f"/admin/cases/source/{source.pk}/change/").content.decode()
    case_page = alice_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    for page in (source_page, case_page):
        assert f'href="/sources/{source.pk}/file/"' in page
        assert f'href="/sources/{source.pk}/original/"' in page
    assert source.sha256 in source_page and source.served_sha256 in source_page
    assert "/media-not-served/" not in case_page


def test_staff_not_allowed_identities_see_only_the_clean_copy_in_the_admin(client, alice, case):
    reader = UserFactory(username="frank")
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["view_case", "view_source"]))
    case.team.add(reader)
    source = add_source(
        by=alice,
        reason="Statement",
        case=case,
        source_type="witness_statement",
        title="Statement",
        file=SimpleUploadedFile("statement.pdf", pdf_naming(CANARY)),
    )
    client.force_login(reader)

    page = client.get(f"/admin/cases/source/{source.pk}/change/").content.decode()

    assert f'href="/sources/{source.pk}/file/"' in page
    assert f"/sources/{source.pk}/original/" not in page
