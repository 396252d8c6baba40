"""A damaged or oversized image is refused with a message on the form; its name never reaches the logs."""

import io
import logging
import struct
import traceback
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases import uploads
from cases.models import Source
from cases.services import add_source
from tests.admin_forms import case_form, formset
from tests.evidence import pdf_naming

# The original name of an upload may identify the person it is about.
IDENTIFYING_NAME = "Ivan_Petrovich_Sidorov_passport.jpg"
DAMAGED_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"garbage" * 50


def _png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims a picture of ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width // 8 + 1))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_mandelbrot((64, 64), (-2, -1.5, 1, 1.5), 100).convert("RGB").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def _source_form(case, upload):
    return {
        "case": str(case.pk),
        "source_type": "witness_statement",
        "title": "Photo",
        "reliability": "medium",
        "file": upload,
        "change_reason": "Photo from the lawyer",
    }


def _source_row(case, upload, **fields):
    return {
        "case": str(case.pk),
        "source_type": "witness_statement",
        "title": "Photo",
        "publisher": "",
        "published": "",
        "url": "",
        "language": "",
        "reliability": "medium",
        "file": upload,
        **fields,
    }


def _logged_text(caplog) -> str:
    return "\n".join(
        record.getMessage() + ("".join(traceback.format_exception(*record.exc_info)) if record.exc_info else "")
        for record in caplog.records
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (DAMAGED_JPEG, "This image cannot be read; it may be damaged."),
        # Pillow's own limit refuses this one while reading the header.
        (_png_declaring(30000, 30000), "This image is too large to process: the limit is 50 megapixels."),
        # Under Pillow's limit but over ours: 64 megapixels would take a quarter of a gigabyte to decode.
        (_png_declaring(8000, 8000), "This image is too large to process: the limit is 50 megapixels."),
    ],
    ids=["damaged", "over Pillow's limit", "over ours"],
)
def test_unreadable_image_gets_a_message_and_nothing_is_saved(alice_client, case, caplog, content, message):
    caplog.set_level(logging.DEBUG)

    response = alice_client.post(
        "/admin/cases/source/add/", _source_form(case, SimpleUploadedFile(IDENTIFYING_NAME, content))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()
    assert "Sidorov" not in _logged_text(caplog)


def test_unreadable_image_in_the_case_page_sources_gets_a_message_and_nothing_is_saved(
    alice_client, alice, case, caplog
):
    caplog.set_level(logging.DEBUG)
    row = _source_row(case, SimpleUploadedFile(IDENTIFYING_NAME, DAMAGED_JPEG))
    data = case_form(team=[alice], sources=formset("sources", [row]))
    data["title"] = "Renamed in the same submission"

    response = alice_client.post(f"/admin/cases/case/{case.pk}/change/", data)

    assert response.status_code == 200
    assert "This image cannot be read; it may be damaged." in response.content.decode()
    assert not Source.objects.exists()
    case.refresh_from_db()
    assert case.title == "Seized at a safe house"
    assert "Sidorov" not in _logged_text(caplog)


def test_unreadable_image_saved_without_a_form_is_refused_without_its_name(alice, case):
    with pytest.raises(ValidationError) as refused:
        add_source(
            by=alice,
            reason="Import",
            case=case,
            source_type="witness_statement",
            title="Photo",
            file=SimpleUploadedFile(IDENTIFYING_NAME, DAMAGED_JPEG),
        )

    assert refused.value.messages == [
        "This image cannot be read; it may be damaged. Upload another copy, or a PDF of it."
    ]
    # Error reporters may show a suppressed context too, so no exception in the chain may carry the name.
    error = refused.value
    while error is not None:
        assert "Sidorov" not in f"{error!s} {error!r}"
        error = error.__cause__ or error.__context__
    assert not Source.objects.exists()


def test_photo_is_encoded_once_although_the_form_and_the_save_both_strip_it(alice_client, case):
    original = _jpeg()
    stripped_once = uploads.prepare(SimpleUploadedFile("a.jpg", original)).read()
    stripped_twice = uploads.prepare(SimpleUploadedFile("b.jpg", stripped_once)).read()
    assert stripped_once != stripped_twice  # each JPEG encoding loses a little more of the picture

    response = alice_client.post("/admin/cases/source/add/", _source_form(case, SimpleUploadedFile("a.jpg", original)))

    assert response.status_code == 302
    assert Source.objects.get(case=case).read_file() == stripped_once


def test_attached_file_is_kept_when_the_case_page_posts_another(alice_client, alice, case):
    source = add_source(
        by=alice,
        reason="Letter",
        case=case,
        source_type="court_document",
        title="Letter",
        file=SimpleUploadedFile("x.pdf", pdf_naming("first")),
    )
    served = source.read_file()
    row = _source_row(
        case, SimpleUploadedFile("y.pdf", pdf_naming("second")), id=str(source.pk), seen_version=str(source.version)
    )
    data = case_form(team=[alice], sources=formset("sources", [row], initial=1))
    data["title"] = case.title

    response = alice_client.post(f"/admin/cases/case/{case.pk}/change/", data)

    assert response.status_code == 302
    kept = Source.objects.get(pk=source.pk)
    assert (kept.read_file(), kept.read_original()) == (served, pdf_naming("first"))
