"""Evidence files: checked by content, limited in size, and kept twice: as uploaded, and without metadata to serve."""

import io
import zipfile

import docx
import filetype
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE
from PIL import Image, ImageOps

PDF = "application/pdf"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What a source may be, by what its bytes are rather than what its name claims.
ALLOWED_TYPES = {
    PDF: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    WORD: "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/x-m4a": "m4a",
    "video/mp4": "mp4",
}
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
# A decoded image is held in memory at up to 4 bytes a pixel, and stripping makes copies of it. Pillow's
# own refusal starts at 179 megapixels, over 700 MB each copy; no photograph or scan kept as evidence
# comes near 50 (200 MB).
MAX_IMAGE_PIXELS = 50_000_000
# A Word document is a ZIP that python-docx unpacks into memory, and a small ZIP can unpack to gigabytes.
# Text compresses about tenfold and pictures not at all: no statement or letter comes near 100 MB unpacked.
MAX_DOCUMENT_UNPACKED_BYTES = 100 * 2**20
# Word's document properties besides the core ones: the app's (company, manager, template path) and the
# author's own (custom). Both parts are optional; without them the package is still a valid document.
_WORD_PROPERTY_PARTS = {RELATIONSHIP_TYPE.EXTENDED_PROPERTIES, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES}


class PreparedUpload(ContentFile):
    """An upload checked and copied without metadata by ``prepare``: ``served`` is the copy to serve (and
    the file's content), ``original`` the bytes as uploaded. The form prepares it; the save keeps it as it is."""

    def __init__(self, served: bytes, *, original: bytes, media_type: str):
        # The uploaded file's name may identify someone: it goes no further than the upload itself.
        super().__init__(served, name="upload")
        self.served = served
        self.original = original
        self.media_type = media_type


def prepare(upload) -> PreparedUpload:
    """The upload as uploaded and the copy of it to serve, or a ValidationError saying why it is refused.

    The message and traceback of a refusal carry nothing of the upload, not even its name.
    """
    # The save service is handed the form's result wrapped in the model's FieldFile.
    for candidate in (upload, getattr(upload, "file", None)):
        if isinstance(candidate, PreparedUpload):
            return candidate
    media_type = inspect(upload)
    upload.seek(0)
    original = upload.read()
    return PreparedUpload(without_metadata(original, media_type), original=original, media_type=media_type)


def inspect(upload) -> str:
    """The media type of an upload, or a ValidationError saying why it is refused."""
    if upload.size > settings.SOURCE_FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)d MB; the limit is %(limit)d MB.")
            % {"size": upload.size // 2**20, "limit": settings.SOURCE_FILE_MAX_BYTES // 2**20},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Upload a PDF, an image (JPEG, PNG, WebP, GIF), "
                "a Word or OpenDocument text, or an audio or video recording."
            ),
            code="type",
        )
    return kind.mime


def without_metadata(content: bytes, media_type: str) -> bytes:
    """A copy of ``content`` without the metadata that can say who made it, where and on what.

    Images lose EXIF, GPS and text chunks; PDFs their document info and XMP; Word documents their core,
    app and custom properties. Other kinds (OpenDocument, audio, video) are served as uploaded. The decoders
    get bytes, never the upload: Pillow and qpdf put the repr of the file they read, with its name (say
    Ivan_Petrovich_Sidorov_passport.jpg), into their error messages.
    """
    if media_type in _IMAGE_FORMATS:
        return _image_without_metadata(content, _IMAGE_FORMATS[media_type])
    if media_type == PDF:
        return _pdf_without_metadata(content)
    if media_type == WORD:
        return _word_without_metadata(content)
    return content


def _image_without_metadata(content: bytes, image_format: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError
            image.load()
            # Keep the picture the right way up once the orientation tag is gone.
            upright = ImageOps.exif_transpose(image)
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            if upright.mode == "P" and upright.getpalette():
                clean.putpalette(upright.getpalette())
            buffer = io.BytesIO()
            clean.save(buffer, format=image_format)
    except Image.DecompressionBombError:
        raise ValidationError(
            _("This image is too large to process: the limit is %(limit)d megapixels. Upload a smaller copy.")
            % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    # Pillow's decoders fail on a damaged or hostile file with many kinds of exception (OSError,
    # ValueError, SyntaxError, struct.error...); for a decoder of untrusted bytes any of them means
    # "cannot be read", never a server error.
    except Exception:
        raise ValidationError(
            _("This image cannot be read; it may be damaged. Upload another copy, or a PDF of it."),
            code="corrupt",
        ) from None
    return buffer.getvalue()


def _pdf_without_metadata(content: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            # The first half of the file identifier is kept across every later save by design: it would tie
            # this copy to the author's. Without it a new one is drawn from the content.
            if "/ID" in pdf.trailer:
                del pdf.trailer.ID
            # XMP hangs on the document, and may on any page, picture or font too.
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in obj:
                    del obj["/Metadata"]
            buffer = io.BytesIO()
            # Written whole, so earlier revisions of the metadata that an incremental save left behind go too.
            pdf.save(buffer, deterministic_id=True)
    except pikepdf.PasswordError:
        raise ValidationError(
            _("This PDF is locked with a password. Upload a copy without the password."), code="password"
        ) from None
    # As for images: qpdf refuses a damaged or hostile file with more than one kind of exception.
    except Exception:
        raise ValidationError(
            _("This PDF cannot be read; it may be damaged. Upload another copy."), code="corrupt"
        ) from None
    return buffer.getvalue()


def _word_without_metadata(content: bytes) -> bytes:
    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except zipfile.BadZipFile:
        raise _unreadable_word() from None
    if unpacked > MAX_DOCUMENT_UNPACKED_BYTES:
        raise ValidationError(
            _("This Word document is too large to process: it unpacks to more than %(limit)d MB. Upload a PDF of it.")
            % {"limit": MAX_DOCUMENT_UNPACKED_BYTES // 2**20},
            code="too_large_unpacked",
        )
    try:
        document = docx.Document(io.BytesIO(content))
        # Emptied rather than set to "": python-docx cannot blank the dates and the revision number.
        core = document.core_properties._element
        for prop in list(core):
            core.remove(prop)
        package = document.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype in _WORD_PROPERTY_PARTS:
                del package.rels[rel_id]
        buffer = io.BytesIO()
        document.save(buffer)
    # As for images: a damaged ZIP or XML part fails with many kinds of exception.
    except Exception:
        raise _unreadable_word() from None
    return buffer.getvalue()


def _unreadable_word() -> ValidationError:
    return ValidationError(
        _("This Word document cannot be read; it may be damaged. Upload another copy, or a PDF of it."),
        code="corrupt",
    )
