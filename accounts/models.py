"""The second factor's devices, kept so that a copied database or backup gives no one a second factor.

django-otp's own devices store the authenticator's seed and the recovery codes as plain text. These are
django-otp devices too (found by ``devices_for_user``, remembered in the session by its middleware), but
the seed is encrypted with the master keys (accounts/masterkeys.py) and each recovery code is kept only as
a digest: a code carries 80 random bits, so no one can find it again by trying codes against the digest.
"""

import hashlib
import os
import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from accounts.masterkeys import cipher

# What every authenticator app understands (RFC 6238): six digits, a new code every 30 seconds, counted
# from the Unix epoch; a code one step early or late is accepted, for phones whose clock is off.
DIGITS = 6
STEP = 30
TOLERANCE = 1
SEED_BYTES = 20
RECOVERY_CODE_BYTES = 10


def seal(seed: bytes) -> str:
    return cipher().encrypt(seed).decode()


def new_sealed_seed() -> str:
    return seal(os.urandom(SEED_BYTES))


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP). A code works once: one of the same time step or earlier is refused."""

    sealed_seed = models.TextField(default=new_sealed_seed, editable=False)
    drift = models.SmallIntegerField(default=0, help_text=_("Time steps the phone's clock is known to be off."))
    last_t = models.BigIntegerField(default=-1, help_text=_("The time step of the last code accepted."))

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @property
    def seed(self) -> bytes:
        try:
            return cipher().decrypt(self.sealed_seed.encode())
        except InvalidToken as exc:
            raise ImproperlyConfigured("An authenticator's seed cannot be read with FIELD_ENCRYPTION_KEYS.") from exc

    def _totp(self) -> TOTP:
        totp = TOTP(self.seed, STEP, 0, DIGITS, self.drift)
        totp.time = time.time()
        return totp

    def current_code(self) -> str:
        """The code the app shows now (the demo prints it; tests type it)."""
        return f"{self._totp().token():0{DIGITS}d}"

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        totp = self._totp()
        if not (str(token).isdigit() and totp.verify(int(token), TOLERANCE, self.last_t + 1)):
            self.throttle_increment()
            return False
        self.last_t, self.drift = totp.t(), totp.drift
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def secret(self) -> str:
        """The seed as typed into an app by hand (base32)."""
        return b32encode(self.seed).decode().rstrip("=")

    @property
    def config_url(self) -> str:
        """The otpauth:// link an app scans, named by the organisation and the username."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        parameters = {"secret": self.secret, "algorithm": "SHA1", "digits": DIGITS, "period": STEP, "issuer": issuer}
        return f"otpauth://totp/{quote(label)}?{urlencode(parameters, quote_via=quote)}"


def reseal_seeds() -> int:
    """Encrypt every seed with the first master key (key rotation, ``manage.py rotate_encryption_keys``)."""
    apps = AuthenticatorApp.objects.only("sealed_seed")
    for app in apps:
        app.sealed_seed = cipher().rotate(app.sealed_seed.encode()).decode()
    AuthenticatorApp.objects.bulk_update(apps, ["sealed_seed"])
    return len(apps)


def new_recovery_code() -> str:
    """16 letters and digits in four groups, as shown once: ``abcd-efgh-ijkl-mnop``."""
    code = b32encode(os.urandom(RECOVERY_CODE_BYTES)).decode().lower()
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """Codes that each work once, instead of the app, for someone who lost their phone."""

    class Meta(Device.Meta):
        verbose_name = _("set of recovery codes")
        verbose_name_plural = _("sets of recovery codes")

    def digest(self, code: str) -> str:
        """The code's SHA-256, salted with this set's id so that one search answers for one set only. The
        code is read as people type it: with or without its dashes, in capitals or not."""
        typed = "".join(code.split()).replace("-", "").lower()
        return hashlib.sha256(f"{self.pk}:{typed}".encode()).hexdigest()

    def replace_codes(self, count: int) -> list[str]:
        """New codes instead of any earlier ones: returned to be shown once, kept only as digests."""
        codes = [new_recovery_code() for _ in range(count)]
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(device=self, digest=self.digest(code)) for code in codes)
        return codes

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        used, _by_model = self.codes.filter(digest=self.digest(str(token))).delete()
        if not used:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        # Never the digest: no one has a use for it.
        return _("Recovery code of %(user)s") % {"user": self.device.user}


class LanguagePreference(models.Model):
    """The interface language a person chose; it applies from their next sign-in, on any device
    (accounts/language.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("interface language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self):
        return _("Language of %(user)s") % {"user": self.user}
