"""The master keys (FIELD_ENCRYPTION_KEYS, newest first), as one cipher for every app.

Separate from SECRET_KEY: a leaked signing key must not also open what they protect. Here they encrypt
the seeds of authenticator apps (accounts/models.py); the case records wrap each person's key and encrypt
stored files with them (cases/crypto.py, cases/keystore.py). Rotation: docs/operations.md.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
