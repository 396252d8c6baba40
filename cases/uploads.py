"""Evidence files: checked by content, limited in size, stripped of image metadata before storage."""

import io

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# What a source may be, by what its bytes are rather than what its name claims.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
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


class MetadataFreeImage(ContentFile):
    """An image already re-encoded by ``without_metadata``: the form strips it, the save keeps it as it is."""


def without_metadata(upload, media_type: str):
    """Images are re-encoded without EXIF, GPS or text chunks; other files are stored as uploaded.

    An image that cannot be decoded, or is too large to decode safely, is refused with a ValidationError
    whose message and traceback carry nothing of the upload, not even its name.
    """
    if media_type not in _IMAGE_FORMATS or _already_stripped(upload):
        return upload
    upload.seek(0)
    # Pillow puts the repr of the file it reads, with the original name, into its error messages;
    # a nameless copy keeps a name like Ivan_Petrovich_Sidorov_passport.jpg out of them.
    content = io.BytesIO(upload.read())
    try:
        with Image.open(content) as image:
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
            clean.save(buffer, format=_IMAGE_FORMATS[media_type])
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
    return MetadataFreeImage(buffer.getvalue(), name=upload.name)


def _already_stripped(upload) -> bool:
    # The save service is handed the form's result wrapped in the model's FieldFile.
    return isinstance(upload, MetadataFreeImage) or isinstance(getattr(upload, "file", None), MetadataFreeImage)
