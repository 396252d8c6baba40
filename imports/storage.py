"""An uploaded sheet at rest: encrypted in chunks, so that it can be read back as a stream.

A sheet names people as surely as their identities do. Between the upload and the end of its import it is
kept under MEDIA_ROOT encrypted with the master keys (like attached evidence), one Fernet token per MiB so
that a CSV file is decrypted as it is read, never whole; it is deleted once imported or given up. Only its
SHA-256 stays.
"""

import hashlib
import io
import struct

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cases.crypto import decrypt_bytes, encrypt_bytes, reencrypt_bytes

CHUNK = 1024 * 1024
_LENGTH = struct.Struct(">I")


def store_encrypted(job, upload) -> str:
    """Keep ``upload`` (a file object) encrypted as the job's stored file; answers the SHA-256 of its bytes."""
    digest = hashlib.sha256()
    sealed = io.BytesIO()
    while chunk := upload.read(CHUNK):
        digest.update(chunk)
        token = encrypt_bytes(chunk)
        sealed.write(_LENGTH.pack(len(token)))
        sealed.write(token)
    job.stored.save("upload", ContentFile(sealed.getvalue()), save=False)
    return digest.hexdigest()


class DecryptingReader(io.RawIOBase):
    """The plain bytes of a stored upload, decrypted one chunk at a time as they are read."""

    def __init__(self, name: str):
        self._stored = default_storage.open(name, "rb")
        self._buffer = b""

    def readable(self):
        return True

    def _next_chunk(self) -> bytes:
        header = self._stored.read(_LENGTH.size)
        if len(header) < _LENGTH.size:
            return b""
        (length,) = _LENGTH.unpack(header)
        return decrypt_bytes(self._stored.read(length))

    def readinto(self, target):
        while not self._buffer:
            chunk = self._next_chunk()
            if not chunk:
                return 0
            self._buffer = chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def close(self):
        self._stored.close()
        super().close()


def open_stored(job) -> io.BufferedReader:
    return io.BufferedReader(DecryptingReader(job.stored.name), buffer_size=CHUNK)


def discard_stored(job) -> None:
    """The upload is no longer needed: delete it, keeping its hash on the job."""
    if job.stored:
        job.stored.delete(save=False)
        type(job).objects.filter(pk=job.pk).update(stored="")


def _reencrypt_chunks(content: bytes) -> bytes:
    out, position = io.BytesIO(), 0
    while position < len(content):
        (length,) = _LENGTH.unpack_from(content, position)
        token = reencrypt_bytes(content[position + _LENGTH.size : position + _LENGTH.size + length])
        out.write(_LENGTH.pack(len(token)) + token)
        position += _LENGTH.size + length
    return out.getvalue()


def reencrypt_uploads() -> int:
    """Key rotation: uploads waiting for their import, re-encrypted with the first master key."""
    from cases.crypto import rewrite_stored
    from imports.models import ImportJob

    jobs = ImportJob.objects.exclude(stored="")
    count = 0
    for job in jobs:
        if job.stored.storage.exists(job.stored.name):
            rewrite_stored(job.stored.storage, job.stored.name, _reencrypt_chunks)
            count += 1
    return count
