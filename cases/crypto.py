"""Encryption at rest of identity fields, with a key separate from SECRET_KEY.

FIELD_ENCRYPTION_KEYS lists Fernet keys, newest first: values are encrypted with
the first and decrypted with any, so a new key can be put in front and
``manage.py rotate_encryption_keys`` then re-encrypts every row (history
included) before the old key is removed. See README, "Keys and rotation".
"""

import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.") from exc


def cipher() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Loud on purpose: a wrong or removed key must not pass for missing data.
        raise ImproperlyConfigured("An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS.") from exc


def encrypt_bytes(content: bytes) -> bytes:
    """Files kept at rest (evidence, bulk exports) are encrypted with the same keys as identity fields."""
    return cipher().encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return cipher().decrypt(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored file cannot be read with FIELD_ENCRYPTION_KEYS.") from exc


def read_decrypted(field_file) -> bytes:
    """The content of a file stored with ``encrypt_bytes``."""
    with field_file.open("rb") as stored:
        return decrypt_bytes(stored.read())


def reencrypt_bytes(token: bytes) -> bytes:
    """The same content under the first key of FIELD_ENCRYPTION_KEYS, for key rotation."""
    try:
        return cipher().rotate(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored file cannot be read with FIELD_ENCRYPTION_KEYS.") from exc


# Functions that re-encrypt, with the first key, the files an app keeps encrypted at rest, each answering how
# many it rewrote: attached evidence (cases), bulk-export ZIPs (exports). Run by rotate_encryption_keys.
ENCRYPTED_FILE_STORES: list = []


def rewrite_stored(storage, name: str, transform) -> None:
    """Replace a stored file's bytes with ``transform(bytes)`` under the same name, atomically.

    The name stays, so nothing that points at the file (records, history rows) has to change, and a
    crash leaves either the old copy or the new one, never neither. Stored files are local
    (FileSystemStorage under MEDIA_ROOT).
    """
    path = Path(storage.path(name))
    with path.open("rb") as stored:
        content = transform(stored.read())
    temporary = path.with_name(path.name + ".rewrite")
    temporary.write_bytes(content)
    os.replace(temporary, path)


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable or sortable by design; see cases/search.py."""

    def __init__(self, *args, single_line: bool = False, **kwargs):
        self.single_line = single_line
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.single_line:
            kwargs["single_line"] = True
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_text(decrypt(value))

    def get_prep_value(self, value):
        value = self.to_text(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def to_text(self, value):
        return value

    def from_text(self, text):
        return text

    def formfield(self, **kwargs):
        if self.single_line:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedDateField(EncryptedTextField):
    def to_text(self, value):
        return value.isoformat() if isinstance(value, date) else value

    def from_text(self, text):
        return date.fromisoformat(text)

    def to_python(self, value):
        if isinstance(value, str) and value:
            return date.fromisoformat(value)
        return value

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=forms.DateField, **kwargs)


class EncryptedIntegerField(EncryptedTextField):
    def to_text(self, value):
        return str(value) if isinstance(value, int) else value

    def from_text(self, text):
        return int(text)

    def to_python(self, value):
        if isinstance(value, str) and value:
            return int(value)
        return value

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=forms.IntegerField, **kwargs)
