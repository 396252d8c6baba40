"""Mail settings: from the environment, the password from a file; `check --deploy` refuses mail in clear."""

import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from reminders.checks import check_mail
from tests.conftest import ROOT
from tests.reminders.conftest import Recorder, free_port

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


# Password over plain SMTP on loopback, where nothing can listen in; deployments use EMAIL_USE_TLS (`check --deploy`).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_cron_sends_through_the_smtp_server_the_environment_names_with_the_password_from_a_file(sqlite_file, tmp_path):
    """As the README's cron line runs it: a process of its own, mail settings from the environment, and a mail
    server that takes mail only from whoever knows the password kept in a file."""
    recorder = Recorder()
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"tracker", b"s3cret from a file"))

    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=free_port(),
        auth_required=True,
        auth_require_tls=False,
        authenticator=authenticator,
    )
    controller.start()
    password = tmp_path / "mail-password"
    password.write_text("s3cret from a file\n")
    env = sqlite_file | {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_HOST_USER": "tracker",
        "EMAIL_HOST_PASSWORD_FILE": str(password),
        "DEFAULT_FROM_EMAIL": "deadlines@cases.example.org",
    }
    try:
        for command in (["load_demo", "--no-qr"], ["send_digests", "--now"]):
            subprocess.run(  # noqa: S603 - our own command, fixed arguments
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
    finally:
        controller.stop()

    assert logins == [(b"tracker", b"s3cret from a file")]
    [mail] = recorder.received
    assert (mail.sender, mail.recipients) == ("deadlines@cases.example.org", ["advocate@example.org"])
    assert "Reply to interim measures" in mail.part("text/plain")
