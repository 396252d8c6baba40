"""`check --deploy` refuses mail that would cross the network in clear, and links that would not use HTTPS."""

import pytest

from reminders.checks import check_mail

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _mailer(host, **options):
    return {"default": {"BACKEND": SMTP, "OPTIONS": {"host": host, "port": 587} | options}}


@pytest.mark.parametrize(
    ("mailers", "site_url", "errors"),
    [
        (_mailer("smtp.example.org"), "https://cases.example.org", ["reminders.E001"]),
        (_mailer("smtp.example.org", use_tls=True), "https://cases.example.org", []),
        (_mailer("smtp.example.org", use_ssl=True), "https://cases.example.org", []),
        (_mailer("127.0.0.1"), "https://cases.example.org", []),
        (_mailer("localhost"), "https://cases.example.org", []),
        (_mailer("smtp.example.org", use_tls=True), "http://cases.example.org", ["reminders.E002"]),
    ],
)
def test_the_deployment_check_of_the_mail_settings(settings, mailers, site_url, errors):
    settings.MAILERS, settings.SITE_URL = mailers, site_url

    assert [error.id for error in check_mail(None)] == errors
