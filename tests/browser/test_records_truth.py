"""A staff editor records a case through the admin, in a real browser, and reads back what the other pages and a
public export make of it: the current status, the status bar, the Government's periodic reports and a judgment's
findings on each Article."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import STAFF_EDITORS
from cases.fuzzydate import format_day
from tests.browser.support import chromium, live_server, log_in  # noqa: F401 - fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
PDFTOTEXT = shutil.which("pdftotext")

AT_LIBERTY = "At liberty in the region"
DISAPPEARED = "Disappeared / whereabouts unknown"
EXECUTIVE = "Head of a region or another executive authority"
FINDINGS = ["Art. 3 (substantive): violation", "Art. 14 taken with Art. 3: violation", "Art. 5 § 1: violation"]


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture
def console_problems(page):
    """Console errors, Content-Security-Policy reports and uncaught errors of every page the test opens (a
    page without an icon link among them: Chromium asks for /favicon.ico, which does not exist)."""
    problems = []

    def on_console(message):
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{message.type}: {message.text} ({message.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


@pytest.fixture
def editor(live_server):
    return UserFactory(username="nadia", role=STAFF_EDITORS)


# --- What the editor does in the admin ---------------------------------------------------------


def save(page, reason):
    page.get_by_label("Reason for this change").fill(reason)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success, .messagelist .error, .errornote").first).to_be_visible()
    # A refused save says why: fail with that, not with a success message that never came.
    refusals = page.locator(".messagelist .error, .errornote, .errorlist").all_inner_texts()
    assert not refusals, refusals


def pick(page, select_id, typed, choice):
    """Choose in one of the admin's autocomplete (select2) fields, as a person does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).first.click()


def add_inline_row(page, prefix, link_text):
    """Click an inline's "Add another …" and return the id prefix of the new row's fields."""
    page.get_by_text(link_text, exact=True).click()
    # The admin's script numbers a new row after the rows already there, the count it keeps in TOTAL_FORMS.
    index = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value()) - 1
    return f"id_{prefix}-{index}"


def record_id(page):
    """The id of the record whose admin page is open (…/<id>/change/)."""
    return page.url.rstrip("/").split("/")[-2]


def add_person(page, legal_name):
    page.goto("/admin/cases/person/add/")
    # Inline fields carry no labels of their own, and the hidden template row repeats every heading: ids it is.
    row = add_inline_row(page, "identity", "Add another Identity")
    page.locator(f"#{row}-legal_name").fill(legal_name)
    save(page, "Call from the family")
    # The codename is drawn when the person is saved, never typed: read it back from the saved page.
    return record_id(page), page.locator(".field-codename .readonly").inner_text()


def open_case(page, title, codename):
    page.goto("/admin/cases/case/add/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Region").fill("Chechnya")
    row = add_inline_row(page, "memberships", "Add another Person in case")
    pick(page, f"{row}-person", codename, codename)
    page.locator(f"#{row}-role").select_option(label="Victim")
    save(page, "Case opened after the call")
    return record_id(page), page.locator(".field-reference .readonly").inner_text()


def add_status_change(page, codename, status, when, verification, reason):
    row = add_inline_row(page, "status_changes", "Add another Status change")
    pick(page, f"{row}-person", codename, codename)
    page.locator(f"#{row}-status").select_option(label=status)
    page.locator(f"#{row}-when").fill(when)
    page.locator(f"#{row}-verification").select_option(label=verification)
    save(page, reason)


def record_consent_to_publicity(page, person_id):
    page.goto(f"/admin/cases/person/{person_id}/change/")
    page.get_by_label("Consent to publicity").select_option(label="Given")
    page.get_by_label("Consent to sharing with partners").select_option(label="Given")
    page.get_by_label("Consent recorded on").fill(format_day(timezone.localdate()))
    page.get_by_label("Sensitivity").select_option(label="Public (consented to publicity)")
    save(page, "Signed consent form received")


def add_step(page, step, when, *, reports_every="", reports_unit=""):
    row = add_inline_row(page, "steps", "Add another Appeal step")
    page.locator(f"#{row}-step_type").select_option(label=step)
    page.locator(f"#{row}-when").fill(when)
    if reports_every:
        page.locator(f"#{row}-reports_every").fill(reports_every)
        page.locator(f"#{row}-reports_unit").select_option(label=reports_unit)


def start_appeal(page, case_reference, *, forum, kind, reference=""):
    page.goto("/admin/appeals/appeal/add/")
    pick(page, "id_case", case_reference, case_reference)
    page.get_by_label("Forum").select_option(label=forum)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Reference number").fill(reference)


def open_step(page, step):
    page.locator("#steps-group td.original", has_text=step).get_by_role("link", name="Change").click()


def record_findings(page, findings, reason):
    for finding in findings:
        row = add_inline_row(page, "findings", "Add another Finding on an Article")
        for field, value in finding.items():
            field_input = page.locator(f"#{row}-{field}")
            if field == "limb":
                field_input.select_option(label=value)
            else:
                field_input.fill(value)
    save(page, reason)


def export_pdf(page, level, purpose, path):
    export = page.get_by_role("region", name="Export a case summary")
    export.get_by_label("For", exact=True).select_option(label=level)
    export.get_by_label("Format", exact=True).select_option(label="PDF")
    export.get_by_label("Recipient or purpose").fill(purpose)
    with page.expect_download() as download:
        export.get_by_role("button", name="Export").click()
    download.value.save_as(path)
    return path


def pdf_text(path):
    command = [PDFTOTEXT, "-layout", str(path), "-"]
    layout = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - fixed arguments
    # Columns and wrapped lines come out with runs of spaces and line breaks; read it as words.
    return " ".join(layout.stdout.split())


# --- The test ----------------------------------------------------------------------------------


@pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils) to read the exported PDF")
def test_records_entered_in_the_admin_read_back_the_same_on_every_page_and_in_a_public_pdf(
    page, console_problems, editor, tmp_path
):
    today = timezone.localdate()
    indicated = today - timedelta(days=20)
    first_report, second_report = indicated + timedelta(weeks=2), indicated + timedelta(weeks=4)
    log_in(page, editor, PASSWORD)

    # The person, their case, and what became of them: at liberty some time in 2017, then gone on 14 June.
    person_id, codename = add_person(page, "Zelimkhan Vymyshlenny")
    case_id, case_reference = open_case(page, "Disappearance after a checkpoint", codename)
    add_status_change(page, codename, AT_LIBERTY, "2017", "Confirmed", "His brother saw him at home")
    add_status_change(page, codename, DISAPPEARED, "14 Jun 2017", "Credible", "Neighbours saw him taken")
    record_consent_to_publicity(page, person_id)

    # The application to Strasbourg; the Court orders the Government to report every two weeks.
    start_appeal(
        page,
        case_reference,
        forum="European Court of Human Rights",
        kind="Individual application (Art. 34)",
        reference="12345/23",
    )
    add_step(page, "Application lodged (complete Rule 47 form)", format_day(indicated - timedelta(days=1)))
    add_step(page, "Interim measures requested", format_day(indicated - timedelta(days=1)))
    add_step(
        page,
        "Interim measures indicated to the Government",
        format_day(indicated),
        reports_every="2",
        reports_unit="weeks",
    )
    save(page, "Application, Rule 39 request and the Court's indication")
    expect(page.locator("#deadlines-group")).to_contain_text("Government's periodic report")

    # The judgment, and what it found on each Article.
    add_step(page, "Chamber judgment", format_day(today - timedelta(days=2)))
    save(page, "Judgment delivered")
    open_step(page, "Chamber judgment")
    record_findings(
        page,
        [
            {"article": "3", "limb": "substantive"},
            {"article": "14", "taken_with_article": "3"},
            {"article": "5", "paragraph": "1"},
        ],
        "Findings from the operative part",
    )

    # An open letter to the head of the region.
    start_appeal(page, case_reference, forum=EXECUTIVE, kind="Public appeal (open letter, video address)")
    add_step(page, "Submitted", format_day(today - timedelta(days=10)))
    save(page, "Open letter published by the family")

    # The case list and the person's page give the latest established report, not the first.
    page.goto("/cases/")
    case_row = page.locator("table.case-list tr", has_text="Disappearance after a checkpoint")
    person_in_list = case_row.get_by_role("listitem")
    expect(person_in_list).to_contain_text(f"{DISAPPEARED} since 14 Jun 2017")
    expect(person_in_list).not_to_contain_text(AT_LIBERTY)
    page.goto(f"/people/{person_id}/")
    expect(page.get_by_text("Current status:")).to_contain_text(f"Current status: {DISAPPEARED} since 14 Jun 2017")

    # The first report, two weeks after the indication, never came; the next is two weeks after that.
    page.goto("/deadlines/")
    report = page.get_by_role("region", name="Overdue").locator("tr", has_text="Government's periodic report")
    expect(report).to_contain_text("every 2 weeks")
    expect(report.locator("td").first).to_have_text(format_day(first_report))
    expect(report).to_contain_text(
        f"1 report not received ({format_day(first_report)}); next due {format_day(second_report)}"
    )

    # The timeline: the findings of the judgment, and the status bar from one report to the next.
    page.goto(f"/cases/{case_id}/")
    expect(page.get_by_role("list", name="Findings").get_by_role("listitem")).to_have_text(FINDINGS)
    bands = page.get_by_role("region", name="Status over time")
    expect(bands).to_contain_text(f"{AT_LIBERTY} (2017 – 14 Jun 2017)")
    expect(bands).to_contain_text(f"{DISAPPEARED} (14 Jun 2017 – now)")

    # Everyone consented to publicity, so a public summary may go out; it states the same facts.
    pdf = pdf_text(export_pdf(page, "Public (press, publication)", "Press release", tmp_path / "public.pdf"))
    for finding in FINDINGS:
        assert finding in pdf
    assert EXECUTIVE in pdf
    assert f"14 Jun 2017 · Status · {DISAPPEARED}" in pdf
    assert f"Zelimkhan Vymyshlenny ({codename})" in pdf

    assert console_problems == []
