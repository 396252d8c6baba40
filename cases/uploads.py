"""Evidence files: checked by content, limited in size, stripped of image metadata before storage."""

import io

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
            _("This kind of file is not accepted. Upload a PDF, an image (JPEG, PNG, WebP, GIF), "
              "a Word or OpenDocument text, or an audio or video recording."),
            code="type",
        )  # fmt: skip
    return kind.mime


def without_metadata(upload, media_type: str):
    """Images are re-encoded without EXIF, GPS or text chunks; other files are stored as uploaded."""
    if media_type not in _IMAGE_FORMATS:
        return upload
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            # Keep the picture the right way up once the orientation tag is gone.
            upright = ImageOps.exif_transpose(image)
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            if upright.mode == "P" and upright.getpalette():
                clean.putpalette(upright.getpalette())
            buffer = io.BytesIO()
            clean.save(buffer, format=_IMAGE_FORMATS[media_type])
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(_("The image cannot be read; it may be damaged."), code="corrupt") from exc
    return ContentFile(buffer.getvalue(), name=upload.name)
