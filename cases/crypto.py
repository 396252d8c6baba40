"""Encryption at rest, with keys separate from SECRET_KEY.

FIELD_ENCRYPTION_KEYS lists the master Fernet keys, newest first: they encrypt stored files and wrap
each person's own key (cases/keystore.py). Identity fields are encrypted with the key of the person
they belong to and stored as ``p:<person id>:<token>``, so that destroying that one key makes every
copy of them unreadable; values written before person keys existed are tokens of the master keys and
still read. ``manage.py rotate_encryption_keys`` re-wraps the person keys and re-encrypts files and
older values with the first master key. See docs/operations.md, "Keys and their rotation".
"""

import os
from datetime import date
from pathlib import Path

from cryptography.fernet import InvalidToken
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast

# One home for the master keys, in the lowest app: the second factor's seeds are encrypted with them too.
from accounts.masterkeys import cipher


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
    # Created with the storage's permissions before anything is written (a crash may have left one behind).
    temporary.unlink(missing_ok=True)
    temporary.touch(mode=storage.file_permissions_mode)
    temporary.write_bytes(content)
    os.replace(temporary, path)


class Sealed(str):
    """A value already encrypted for storage: written as it is."""


class EncryptedLookup(ValueError):
    """A query compared an encrypted column with a value: it can only ever be written or blanked."""


# Values encrypted with a person's key start with this and the person's id; older ones are master tokens.
PERSON_KEYED = "p:"  # noqa: S105 - a prefix, not a secret


def seal(text: str, person_id) -> Sealed:
    """``text`` encrypted with the key of person ``person_id`` (created on first use)."""
    from cases import keystore

    key = keystore.key_of(person_id, create=True)
    if key is None:
        raise ImproperlyConfigured("This person's identity was erased: nothing more can be recorded under it.")
    return Sealed(f"{PERSON_KEYED}{person_id}:{key.encrypt(text.encode()).decode()}")


def unseal(value: str) -> str | None:
    """The text of a stored value; None when it is a person's whose key was destroyed (erased)."""
    if not value.startswith(PERSON_KEYED):
        return decrypt(value)
    from cases import keystore

    person_id, _colon, token = value[len(PERSON_KEYED) :].partition(":")
    key = keystore.key_of(person_id)
    if key is None:
        return None
    try:
        return key.decrypt(token.encode()).decode()
    except InvalidToken:
        return None


class EncryptedTextField(models.TextField):
    """Text encrypted with the key of the person it belongs to (``key_owner`` names the attribute holding
    the person's id). Not searchable or sortable by design; see cases/search.py. An erased person's values
    read as empty."""

    def __init__(self, *args, single_line: bool = False, key_owner: str = "person_id", **kwargs):
        self.single_line = single_line
        self.key_owner = key_owner
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.single_line:
            kwargs["single_line"] = True
        if self.key_owner != "person_id":
            kwargs["key_owner"] = self.key_owner
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        text = unseal(value)
        return self.erased_value if text is None else self.from_text(text)

    # What an erased person's value reads as.
    erased_value = ""

    def pre_save(self, model_instance, add):
        value = self.to_text(super().pre_save(model_instance, add))
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        return seal(str(value), getattr(model_instance, self.key_owner))

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        raise EncryptedLookup(f"{self.name} is encrypted: it is written by saving a record, never queried by value.")

    def to_text(self, value):
        return value

    def from_text(self, text):
        return text

    def formfield(self, **kwargs):
        if self.single_line:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedDateField(EncryptedTextField):
    erased_value = None

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
    erased_value = None

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


def move_older_values(model) -> int:
    """Values still encrypted with a master key (written before person keys) go under their person's key."""
    fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    if not fields:
        return 0
    pk = model._meta.pk.attname
    # The columns as stored (a plain text cast), not decrypted as reading the fields would.
    stored = {f"stored_{f.attname}": Cast(f.attname, output_field=TextField()) for f in fields}
    rows = model._base_manager.annotate(**stored).values(pk, *{f.key_owner for f in fields}, *stored)
    moved = 0
    for row in rows.iterator():
        older = {
            f.attname: seal(decrypt(row[f"stored_{f.attname}"]), row[f.key_owner])
            for f in fields
            if row[f"stored_{f.attname}"] and not row[f"stored_{f.attname}"].startswith(PERSON_KEYED)
        }
        if older:
            model._base_manager.filter(**{pk: row[pk]}).update(**older)
            moved += 1
    return moved


def opened_person_values(model, columns) -> list[tuple]:
    """(person id, text) for every non-empty value of ``columns`` in ``model``, opened with the person's key.

    Reading the fields would give "" for a value without its key, as it must for someone erased; a rebuild of
    what is derived from these values (the name index) must not take a missing key store for erasures.
    """
    from cases import keystore

    erased = keystore.erased_people()
    stored = {f"stored_{column}": Cast(column, output_field=TextField()) for column in columns}
    opened = []
    for person_id, *values in model._base_manager.annotate(**stored).values_list("person_id", *stored).iterator():
        for value in filter(None, values):
            text = unseal(value)
            if text is None and str(person_id) not in erased:
                # The key store is missing or another one: a deployment's setting, for whoever runs the command.
                raise ImproperlyConfigured(
                    f"A value of person {person_id} cannot be opened with the key store at KEY_STORE_PATH: "
                    "check that it is the deployment's key store. Nothing was changed."
                )
            if text:
                opened.append((person_id, text))
    return opened
