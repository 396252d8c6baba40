"""The project's own deployment checks, run by `manage.py check --deploy` next to Django's."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.csp import CSP

STRONG_HASHERS = {
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
}
REQUIRED_MIDDLEWARE = {
    "django.middleware.csp.ContentSecurityPolicyMiddleware": "the Content-Security-Policy",
    "django_otp.middleware.OTPMiddleware": "second-factor verification",
    "accounts.twofactor.RequireSecondFactorMiddleware": "the second factor required on every page",
    "axes.middleware.AxesMiddleware": "the lockout after repeated failed logins",
    "accounts.middleware.AbsoluteSessionTimeoutMiddleware": "the absolute session timeout",
}


@register(Tags.security, deploy=True)
def check_hardening(app_configs, **kwargs):
    errors = []
    if settings.DEBUG:
        errors.append(Error("DEBUG is on.", hint="Set APP_ENV=production and leave DEBUG unset.", id="cases.E001"))
    for middleware, what in REQUIRED_MIDDLEWARE.items():
        if middleware not in settings.MIDDLEWARE:
            errors.append(Error(f"{middleware} is not installed: {what} is off.", id="cases.E002"))
    policy = getattr(settings, "SECURE_CSP", {}) or {}
    directives = [value for values in policy.values() for value in values]
    if "default-src" not in policy or CSP.UNSAFE_INLINE in directives or CSP.UNSAFE_EVAL in directives:
        errors.append(
            Error("The Content-Security-Policy is missing or allows inline or evaluated code.", id="cases.E003")
        )
    if settings.PASSWORD_HASHERS[0] not in STRONG_HASHERS:
        errors.append(Error(f"Passwords are hashed with {settings.PASSWORD_HASHERS[0]}.", id="cases.E004"))
    for name in ("SECRET_KEY", "NAME_SEARCH_KEY"):
        if "development" in getattr(settings, name):
            errors.append(Error(f"{name} is the development default.", id="cases.E005"))
    return errors
