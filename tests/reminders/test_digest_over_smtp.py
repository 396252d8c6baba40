"""The demo's advocate gets a digest over real SMTP that lists what is overdue and names no one."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from cases.services import save_record
from reminders.digest import send_digests
from reminders.enums import DeliveryStatus
from reminders.models import DigestDelivery, ReminderSettings
from tests.reminders.canaries import PLANTED, canaries, leaked


def _codenames(appeal):
    return sorted(appeal.people.values_list("codename", flat=True))


def test_send_digests_delivers_the_advocates_overdue_rule_39_reply_naming_no_one(demo, mail_to_smtp_server, capsys):
    secrets = canaries()
    assert {"Magamadov", "Isaev", "Lapunov", "Магамадов", "Chechnya", *PLANTED.values()} <= secrets

    call_command("send_digests", "--now")

    [mail] = mail_to_smtp_server.received
    assert mail.recipients == ["advocate@example.org"]
    text = mail.part("text/plain")
    overdue = text.split("== Still overdue")[1].split("==")[1]
    assert "12 Feb 2021: Reply to interim measures" in overdue
    assert "Due from: The Government / State · European Court of Human Rights — Request for interim measures only" in (
        overdue
    )
    assert f"Case C-DEMO02 · {', '.join(_codenames(demo['rule39']))}" in overdue
    assert f"https://cases.example.org/cases/{demo['case'].pk}/" in overdue
    assert "Reply to interim measures" in mail.part("text/html")
    assert mail.message["Subject"].startswith("Deadlines: ")
    assert leaked(mail.everything(), secrets) == []
    assert "1 sent" in capsys.readouterr().out


def test_a_second_run_sends_nothing(demo, mail_to_smtp_server, capsys):
    call_command("send_digests", "--now")

    call_command("send_digests", "--now")

    assert len(mail_to_smtp_server.received) == 1
    assert "0 sent, 0 with nothing to tell, 0 failed (to be retried), 1 already done." in capsys.readouterr().out
    assert list(DigestDelivery.objects.values_list("user__username", "status")) == [("advocate", DeliveryStatus.SENT)]


def test_a_user_taken_off_the_team_gets_nothing_about_that_case(demo, mail_to_smtp_server):
    today = timezone.localdate()
    send_digests(today=today)
    advocate = DigestDelivery.objects.get().user
    case = Case.objects.get(reference="C-DEMO02")
    codenames = _codenames(demo["rule39"])
    assert "C-DEMO02" in mail_to_smtp_server.received[0].everything()

    case.team.remove(advocate)
    send_digests(today=today + timedelta(days=1))

    tomorrow = mail_to_smtp_server.received[1].everything()
    assert ("C-DEMO02" in tomorrow, leaked(tomorrow, set(codenames)), str(case.pk) in tomorrow) == (False, [], False)
    assert "C-DEMO01" in tomorrow


def test_what_fell_overdue_since_the_last_digest_is_told_apart(demo, mail_to_smtp_server):
    today = timezone.localdate()
    deadline = demo["deadline"]
    deadline.due_on = today + timedelta(days=1)
    save_record(deadline, by=None, reason="Test: due tomorrow")
    send_digests(today=today)
    assert "Reply to interim measures" in mail_to_smtp_server.received[0].part("text/plain").split("== Due within")[1]

    send_digests(today=today + timedelta(days=2))

    newly = (
        mail_to_smtp_server.received[1].part("text/plain").split("== Newly overdue since your last digest (1) ==")[1]
    )
    assert "Reply to interim measures" in newly.split("==")[0]


def test_a_refused_digest_is_retried_by_the_next_run_and_logged_without_personal_data(
    demo, mail_to_smtp_server, caplog
):
    mail_to_smtp_server.refuse_with = "451 4.3.0 advocate@example.org mailbox busy, try again later"
    today = timezone.localdate()

    with caplog.at_level(logging.DEBUG):
        outcomes = send_digests(today=today)

    delivery = DigestDelivery.objects.get()
    assert (outcomes[DeliveryStatus.FAILED], delivery.status, delivery.attempts) == (1, DeliveryStatus.FAILED, 1)
    assert delivery.failure == "SMTPDataError"
    assert mail_to_smtp_server.received == []
    # What this process logged; the SMTP server's own log ("mail.log") stands for the remote server's.
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name != "mail.log")
    assert "SMTPDataError" in logged
    assert leaked(logged, canaries() | {"advocate", "example.org", "C-DEMO02"}) == []

    mail_to_smtp_server.refuse_with = None
    send_digests(today=today)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail_to_smtp_server.received)) == (DeliveryStatus.SENT, 2, 1)


def test_a_digest_refused_too_often_is_given_up(demo, mail_to_smtp_server, settings):
    settings.DIGEST_MAX_ATTEMPTS = 2
    mail_to_smtp_server.refuse_with = "554 5.7.1 rejected"
    today = timezone.localdate()

    for _run in range(4):
        send_digests(today=today)

    assert DigestDelivery.objects.get().attempts == 2


def test_no_digest_before_the_hour_unless_now(demo, mail_to_smtp_server, settings, capsys):
    settings.DIGEST_SEND_HOUR = 23
    if timezone.localtime().hour >= 23:
        pytest.skip("it is past the last hour a digest can wait for")

    call_command("send_digests")

    assert (mail_to_smtp_server.received, DigestDelivery.objects.count()) == ([], 0)
    assert "Digests go out from 23:00" in capsys.readouterr().out


def test_the_digest_comes_in_the_language_its_reader_chose(demo, mail_to_smtp_server):
    ReminderSettings.objects.filter(user__username="advocate").update(language="ru")

    send_digests(today=timezone.localdate())

    [mail] = mail_to_smtp_server.received
    assert mail.message["Subject"].startswith("Сроки: ")
    assert "Ответ на обеспечительные меры" in mail.part("text/plain").split("== По-прежнему просрочены")[1]
    assert '<html lang="ru">' in mail.part("text/html")
    assert leaked(mail.everything(), canaries()) == []
