"""A real SMTP server on loopback (aiosmtpd), keeping exactly the bytes each message arrived with."""

import email
import email.policy
import socket
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from appeals.models import Appeal, Deadline
from cases.services import save_record
from tests.reminders.canaries import PLANTED


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    def part(self, content_type: str) -> str:
        return next(p for p in self.message.walk() if p.get_content_type() == content_type).get_content()

    def everything(self) -> str:
        """The raw bytes, the headers decoded and every part decoded: where a name could hide in a message."""
        message = self.message
        headers = [f"{name}: {value}" for name, value in message.items()]
        parts = [p.get_content() for p in message.walk() if not p.is_multipart()]
        return "\n".join([self.raw.decode("utf-8", errors="replace"), *headers, *map(str, parts)])


class Recorder:
    def __init__(self):
        self.received: list[Received] = []
        # Set to an SMTP reply such as "451 4.3.0 Try again later" to have the server refuse every message.
        self.refuse_with: str | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


@pytest.fixture
def mail_to_smtp_server(settings, smtp_server):
    """Django's real SMTP backend, pointed at the server on loopback (pytest-django would keep mail in memory)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "timeout": 10},
        }
    }
    settings.SITE_URL = "https://cases.example.org"
    return smtp_server


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-qr")
    rule39 = Appeal.objects.get(case__reference="C-DEMO02", kind="interim_request")
    deadline = Deadline.objects.get(appeal=rule39)
    for field, value in PLANTED.items():
        setattr(deadline, field, value)
    save_record(deadline, by=None, reason="Test: a deadline whose free text names someone")
    rule39.notes = "Canary appeal note: met his mother in Argun"
    save_record(rule39, by=None, reason="Test")
    return {"rule39": rule39, "deadline": deadline, "case": rule39.case}
