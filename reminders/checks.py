"""Deployment checks of the mail settings, run by `manage.py check --deploy`."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def check_mail(app_configs, **kwargs):
    errors = []
    mailer = settings.MAILERS["default"]
    options = mailer.get("OPTIONS", {})
    uses_smtp = mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    encrypted = options.get("use_tls") or options.get("use_ssl")
    if uses_smtp and not encrypted and not _is_loopback(options.get("host", "")):
        errors.append(
            Error(
                f"Mail goes to {options.get('host')} unencrypted: digests and the mail password would cross the "
                "network in clear.",
                hint="Set EMAIL_USE_TLS=true (STARTTLS, port 587) or EMAIL_USE_SSL=true (port 465), or relay "
                "through a mail server on this machine.",
                id="reminders.E001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        errors.append(
            Error(
                f"SITE_URL is {settings.SITE_URL}: links in digests and the calendar address would not use HTTPS.",
                hint="Set SITE_URL to the address people open, e.g. https://cases.example.org.",
                id="reminders.E002",
            )
        )
    return errors
