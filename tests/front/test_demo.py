"""The demo tells the public cases well, on the timeline and in a public PDF; loading it twice changes nothing."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from appeals.models import Appeal, Deadline
from cases.fuzzydate import format_day
from cases.models import SYSTEM, Case, Person, StatusChange
from exports.services import export_case
from tests.exports.conftest import flat, readable_text


def _row_counts():
    return {
        m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.app_label in {"cases", "appeals"}
    }


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = _row_counts()

    call_command("load_demo")

    assert _row_counts() == first
    assert "nothing changed" in capsys.readouterr().out
    assert first["cases.Case"] == 7


def test_demo_tells_the_magamadov_and_isaev_case(db):
    call_command("load_demo")
    case = Case.objects.matching("Isayev", SYSTEM).get()

    rule39 = Appeal.objects.get(case=case, kind="interim_request")
    deadline = Deadline.objects.get(appeal=rule39)

    assert case.title == "Magamadov and Isaev"
    assert (rule39.interim_measures, str(rule39.steps.get(step_type="interim_granted").when)) == (
        "granted",
        "8 Feb 2021",
    )
    assert (deadline.due_on, deadline.is_overdue()) == (date(2021, 2, 12), True)
    assert {p.current_status for p in case.people.all()} == {"convicted"}


def test_demo_keeps_both_accounts_of_lapunovs_detention(db):
    call_command("load_demo")
    person = Person.objects.matching("Lapunov", SYSTEM).get()

    detentions = StatusChange.objects.filter(person=person, status="detained_incommunicado").order_by("date_start")

    assert [str(d.when) for d in detentions] == ["15–28 Mar 2017", "16–28 Mar 2017"]
    assert detentions[0].differs_from == detentions[1]
    assert Appeal.objects.get(reference="28834/19").steps.filter(step_type="chamber_judgment").get().date_start == date(
        2023, 9, 12
    )


def test_demo_history_is_attributed(db):
    call_command("load_demo")

    history = StatusChange.history.all()

    assert {(h.history_user.username, h.history_change_reason) for h in history} == {("admin", "Demo data")}


def _page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _pdf_text(case, user) -> str:
    pdf = export_case(case_id=case.pk, user=user, level="public", fmt="pdf", purpose="Press").content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def demo(db, client):
    call_command("load_demo")
    client.force_login(get_user_model().objects.get(username="advocate"))
    return client


def test_demo_records_the_violations_found_in_lapunov(demo):
    case = Case.objects.get(reference="C-DEMO01")

    page = _page_text(demo.get(f"/cases/{case.pk}/"))
    pdf = _pdf_text(case, get_user_model().objects.get(username="admin"))

    for finding in ("Art. 3 (substantive): violation", "Art. 14 taken with Art. 3: violation", "Art. 5 § 1: violation"):
        assert finding in page
        assert finding in pdf
    assert "Russia ceased to be a party to the European Convention on Human Rights" in page


def test_demo_tells_the_threats_against_kochetkov_and_what_came_of_his_complaints(demo):
    case = Case.objects.matching("Kochetkov", SYSTEM).get()

    page = _page_text(demo.get(f"/cases/{case.pk}/"))
    pdf = _pdf_text(case, get_user_model().objects.get(username="admin"))

    assert "Police / Ministry of Internal Affairs" in page
    assert "another account names the Investigative Department of the Ministry of Internal Affairs" in page
    assert "Due: Decision on the crime report (3 days, CCP art. 144 part 1)" in page
    assert "after Jan 2019 Appeal step Court decision" in page
    assert "Igor Kochetkov" in pdf
    assert "The Smolninsky District Court found the police inaction unlawful." in pdf


def test_demo_tells_the_moscow_mechanism_without_naming_anyone(demo):
    case = Case.objects.get(reference="C-DEMO06")

    page = _page_text(demo.get(f"/cases/{case.pk}/"))
    pdf = _pdf_text(case, get_user_model().objects.get(username="admin"))

    assert "Mechanism invoked" in page
    assert "Report published" in page
    assert "Dec 2018 – Jan 2019" in page
    assert "OSCE" in pdf and "Report published" in pdf and "biased and groundless" in pdf
    assert case.people.count() == 0


def test_demo_shows_a_recurring_obligation_with_missed_reports_and_the_next_due(demo):
    today = timezone.localdate()
    demo.force_login(get_user_model().objects.get(username="editor"))

    page = _page_text(demo.get("/deadlines/"))

    missed = ", ".join(format_day(today - timedelta(days=d)) for d in (17, 3))
    next_due = format_day(today + timedelta(days=11))
    assert f"2 reports not received ({missed}); next due {next_due}" in page


def test_demo_lapunov_public_pdf_and_the_fictional_person_never_named(demo):
    admin = get_user_model().objects.get(username="admin")
    lapunov = Case.objects.get(reference="C-DEMO01")
    fictional = Case.objects.get(reference="C-DEMO04")

    def pdf(case, level):
        content = export_case(case_id=case.pk, user=admin, level=level, fmt="pdf", purpose="Press").content
        return readable_text(content, "pdf")

    public = pdf(lapunov, "public")
    assert flat("12 Sep 2023") in public and "28834/19" in public
    assert "INTERNAL" not in public
    codename = fictional.people.get(memberships__role="victim").codename
    partner, public = pdf(fictional, "partner"), pdf(fictional, "public")
    assert "Timur" not in partner + public and "Тимур" not in partner + public
    assert codename in partner
    # Restricted, and no consent to publicity: not even a codename goes to the public.
    assert codename not in public and "FICTIONAL: relative" not in public
