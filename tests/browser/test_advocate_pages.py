"""What a person sees in a real browser: finding a case, reading its timeline and deadlines, the
"as known on" view, what each role may see, labels and keyboard use, and the printed page."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect
from simple_history.manager import HistoryManager

from cases.enums import Role, Status
from cases.models import SYSTEM, Case, CaseMembership, Person, StatusChange
from cases.services import save_record
from front import demo
from tests.browser.support import chromium, start_live_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for username, password, *_ in demo.DEMO_USERS}
SEARCH_LABEL = "Codename, name (any spelling) or reference"


@pytest.fixture(scope="module")
def live_server(django_db_setup):
    """A live server started once the test database exists.

    pytest-django's session-wide one starts before the database when a test asks for it first: it
    then cannot hand its request threads the in-memory SQLite connection, each thread opens its own
    and leaves it unclosed, and Python 3.13's ResourceWarning about that fails the run.
    """
    server = start_live_server()
    yield server
    server.stop()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    yield context.new_page()
    context.close()


@pytest.fixture
def console_problems(page):
    """Console errors and Content-Security-Policy reports of every page the test opens.

    Chromium also logs "Failed to load resource" when a page itself answers 400 or 404; the tests
    that expect such an answer check its status, so only failures of what a page loads count here.
    Django's bare 404 page has no icon link, so Chromium asks for /favicon.ico, which does not
    exist, at a moment of its choosing: counting that would make the 404 tests flaky.
    """
    documents = set()
    problems = []

    def on_request(request):
        if request.is_navigation_request():
            documents.add(request.url)

    def on_console(message):
        url = message.location["url"]
        own_status = message.text.startswith("Failed to load resource") and (
            url in documents or url.endswith("/favicon.ico")
        )
        if (message.type == "error" and not own_status) or "Content Security Policy" in message.text:
            problems.append(f"{message.type}: {message.text} ({url})")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


@pytest.fixture
def demo_cases(live_server):
    demo.load()
    return {case.reference: case for case in Case.objects.all()}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Log in").click()
    # Every page needs a second factor: the code the demo user's authenticator app shows now.
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(demo.current_code(username))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()


def timeline_url(case):
    return f"/cases/{case.pk}/"


def timeline_items(page):
    return page.get_by_role("region", name="Timeline", exact=True).get_by_role("listitem")


def victim_of(case):
    return CaseMembership.objects.get(case=case, role=Role.VICTIM).person


def test_case_search_by_transliteration_leads_to_timeline_with_overdue_reply(page, console_problems, demo_cases):
    log_in(page, "advocate")

    # "Isayev" is the BGN/PCGN spelling; the case title uses "Isaev".
    page.get_by_label(SEARCH_LABEL).fill("Isayev")
    page.get_by_role("button", name="Show cases").click()
    expect(page.get_by_role("status")).to_have_text("1 case")
    page.get_by_role("link", name="Magamadov and Isaev").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Magamadov and Isaev")
    page.wait_for_load_state("domcontentloaded")  # the titles below are read at once, not awaited
    items = timeline_items(page)
    titles = [item.get_by_role("heading", level=3).first.inner_text() for item in items.all()]
    granted = titles.index("Interim measures indicated to the Government")
    reply_due = titles.index("Due: Government's reply to the interim measures")
    assert granted < reply_due
    expect(items.nth(granted).locator("time")).to_have_text("8 Feb 2021")
    expect(items.nth(reply_due).locator("time")).to_have_text("12 Feb 2021")
    expect(items.nth(reply_due)).to_contain_text(re.compile(r"Overdue by .+\(\d+ days\)"))
    assert console_problems == []


def test_deadlines_dashboard_lists_unanswered_interim_measures_under_overdue(page, console_problems, demo_cases):
    log_in(page, "advocate")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deadlines").click()

    overdue = page.get_by_role("region", name="Overdue")
    row = overdue.get_by_role("row").filter(has_text="Government's reply to the interim measures")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("12 Feb 2021")
    expect(row.get_by_role("link", name="Magamadov and Isaev")).to_be_visible()
    expect(row).to_contain_text(re.compile(r"Overdue by .+\(\d+ days\)"))
    expect(page.get_by_role("region", name="Upcoming")).not_to_contain_text("interim measures")
    assert console_problems == []


def test_timeline_shows_disagreeing_detention_dates_side_by_side(page, console_problems, demo_cases):
    log_in(page, "advocate")

    page.goto(timeline_url(demo_cases["C-DEMO01"]))

    expect(page.get_by_role("heading", level=1)).to_have_text("Lapunov v. Russia")
    disputed = timeline_items(page).filter(has_text="Sources disagree")
    expect(disputed).to_have_count(1)
    # The Court's dates first, then the press reports' earlier start, within the same event.
    expect(disputed.locator("time")).to_have_text(["16–28 Mar 2017", "15–28 Mar 2017"])
    expect(disputed.get_by_role("heading", level=3)).to_have_text(["Detained incommunicado"] * 2)
    # Each account cites its own numbered source: [2] is the judgment, [1] the press conference.
    expect(disputed.get_by_role("link", name=re.compile(r"^\[\d\]$"))).to_have_text(["[2]", "[1]"])
    expect(page.locator("#source-2")).to_contain_text("Lapunov v. Russia, no. 28834/19, judgment")
    expect(page.locator("#source-1")).to_contain_text("press conference")
    assert console_problems == []


def test_timeline_filtered_by_kind_shows_only_that_kind(page, console_problems, demo_cases):
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases["C-DEMO02"]))

    page.get_by_label("Official responses").check()
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page.get_by_label("Official responses")).to_be_checked()
    items = timeline_items(page)
    expect(items).to_have_count(2)
    expect(items.locator(".kind")).to_have_text(["Official response", "Official response"])
    expect(items.get_by_role("heading", level=3)).to_have_text(
        [
            "Partial information — Police of the Chechen Republic, Russian Federation",
            "Denial of facts — Chechen authorities, Russian Federation",
        ]
    )
    assert console_problems == []


def test_timeline_filtered_by_person_shows_only_their_events(page, console_problems, demo_cases):
    isaev = Person.objects.matching("Isayev", SYSTEM).get()
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases["C-DEMO02"]))

    page.get_by_label("Person").select_option(value=str(isaev.pk))
    page.get_by_role("button", name="Show", exact=True).click()

    items = timeline_items(page)
    expect(items.filter(has_text="Arrested at the age of 16.")).to_have_count(1)
    expect(items.filter(has_text="Seized at the safe house")).to_have_count(1)
    # The appeals covering him stay: the Rule 39 indication concerns him too.
    expect(items.filter(has_text="Interim measures indicated to the Government")).to_have_count(1)
    # Magamadov's own sentence is gone, and every status event left names Isaev.
    expect(items.filter(has_text="Sentenced to 8 years")).to_have_count(0)
    expect(items.locator(".event-people").filter(has_not_text=isaev.codename)).to_have_count(0)
    assert console_problems == []


@pytest.fixture
def corrected_fictional_case(demo_cases):
    """The fictional case, entered ten days ago; today an editor corrects the victim's latest status.

    The demo is loaded just before the test, so its history rows are moved ten days back, keeping
    their order, for the "as known on" view to have a day on which the correction was not yet made.
    """
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if isinstance(history, HistoryManager):
            history.update(history_date=F("history_date") - timedelta(days=10))
    case = demo_cases["C-DEMO04"]
    change = StatusChange.objects.get(case=case, status=Status.IN_HIDING)
    change.status = Status.RELOCATED_IN_COUNTRY
    save_record(
        change,
        by=get_user_model().objects.get(username="admin"),
        reason="Correction: the safe house is in another region",
    )
    return case


def test_timeline_today_shows_the_corrected_status(page, console_problems, corrected_fictional_case):
    log_in(page, "editor")

    page.goto(timeline_url(corrected_fictional_case))

    timeline = page.get_by_role("region", name="Timeline", exact=True)
    expect(timeline).to_contain_text("Relocated within the country")
    expect(timeline).not_to_contain_text("In hiding / safe house")
    expect(page.get_by_role("status")).to_have_count(0)
    assert console_problems == []


def test_as_known_on_a_day_before_the_correction_shows_the_earlier_status(
    page, console_problems, corrected_fictional_case
):
    before_correction = timezone.localdate() - timedelta(days=5)
    codename = victim_of(corrected_fictional_case).codename
    log_in(page, "editor")
    page.goto(timeline_url(corrected_fictional_case))

    page.get_by_label("As known on").fill(before_correction.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        f"As known on {before_correction.day} {before_correction:%b %Y}: the record as it stood"
    )
    timeline = page.get_by_role("region", name="Timeline", exact=True)
    expect(timeline).to_contain_text("In hiding / safe house")
    expect(timeline).not_to_contain_text("Relocated within the country")
    bands = page.get_by_role("img", name=f"Status bands of {codename}")
    expect(bands.locator("title")).to_have_text(
        [re.compile(r"^Detained incommunicado: "), re.compile(r"^In hiding / safe house: ")]
    )
    assert console_problems == []


def test_as_known_on_unparsable_day_gets_a_clear_message(page, console_problems, demo_cases):
    log_in(page, "advocate")

    response = page.goto(f"{timeline_url(demo_cases['C-DEMO02'])}?as_of=yesterday")

    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("“yesterday” is not a day we can read.")
    expect(page.get_by_label("As known on")).to_have_attribute("aria-invalid", "true")
    assert console_problems == []


def test_as_known_on_future_day_gets_a_clear_message(page, console_problems, demo_cases):
    tomorrow = timezone.localdate() + timedelta(days=1)
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases["C-DEMO02"]))

    page.get_by_label("As known on").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("“As known on” cannot be in the future.")
    expect(page.get_by_role("status")).to_have_count(0)
    assert console_problems == []


def test_confidential_case_is_not_found_for_advocate_outside_its_team(page, console_problems, demo_cases):
    log_in(page, "advocate")

    response = page.goto(timeline_url(demo_cases["C-DEMO04"]))

    assert response.status == 404
    expect(page.get_by_text("FICTIONAL")).to_have_count(0)
    assert console_problems == []


def test_case_list_of_advocate_leaves_out_confidential_case(page, console_problems, demo_cases):
    log_in(page, "advocate")

    cases = page.get_by_role("table").get_by_role("rowheader")

    expect(page.get_by_role("status")).to_have_text("5 cases")
    expect(cases.get_by_role("link")).to_have_text(
        [
            "Arsamikov",
            "Magamadov and Isaev",
            "Kochetkov: threats after a complaint about Chechnya",
            "OSCE Moscow Mechanism on Chechnya (2018)",
            "Lapunov v. Russia",
        ]
    )
    expect(page.get_by_text("FICTIONAL")).to_have_count(0)
    assert console_problems == []


def test_case_search_by_name_finds_confidential_case_for_its_team(page, console_problems, demo_cases):
    log_in(page, "editor")

    page.get_by_label(SEARCH_LABEL).fill("Вымышленный")
    page.get_by_role("button", name="Show cases").click()

    expect(page.get_by_role("status")).to_have_text("1 case")
    found = page.get_by_role("table").get_by_role("link", name="FICTIONAL: detention reported by a relative")
    expect(found).to_be_visible()
    assert console_problems == []


def test_case_search_by_name_finds_nothing_for_advocate_outside_the_team(page, console_problems, demo_cases):
    log_in(page, "advocate")

    page.get_by_label(SEARCH_LABEL).fill("Вымышленный")
    page.get_by_role("button", name="Show cases").click()

    # The list below is the search's answer, not the page before; the address holds its id, never the name.
    page.wait_for_url(lambda url: "search=" in url)
    assert "Вымышленный" not in page.url and "%D0" not in page.url
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("FICTIONAL")).to_have_count(0)
    assert console_problems == []


def test_person_page_of_advocate_has_no_identity_section(page, console_problems, demo_cases):
    log_in(page, "advocate")

    page.get_by_role("link", name=re.compile(r"^Maxim Lapunov ")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Maxim Lapunov")
    expect(page.get_by_role("heading", name="Identity (protected)")).to_have_count(0)
    expect(page.get_by_text("Identity details are shown only to staff who need them.")).to_be_visible()
    expect(page.get_by_text("Максим Лапунов")).to_have_count(0)
    assert console_problems == []


def test_person_page_of_fictional_victim_is_not_found_for_advocate(page, console_problems, demo_cases):
    log_in(page, "advocate")

    response = page.goto(f"/people/{victim_of(demo_cases['C-DEMO04']).pk}/")

    assert response.status == 404
    expect(page.get_by_text("Safe house B")).to_have_count(0)
    assert console_problems == []


def test_person_page_of_staff_editor_shows_identity_section(page, console_problems, demo_cases):
    log_in(page, "editor")

    page.goto(f"/people/{victim_of(demo_cases['C-DEMO04']).pk}/")

    identity = page.get_by_role("region", name="Identity (protected)")
    expect(identity).to_be_visible()
    expect(identity).to_contain_text("Тимур Вымышленный")
    expect(identity).to_contain_text("Safe house B (fictional)")
    assert console_problems == []


@pytest.mark.parametrize("reference", [None, "C-DEMO02"], ids=["case list", "timeline"])
def test_form_controls_have_accessible_names(page, console_problems, demo_cases, reference):
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases[reference]) if reference else "/cases/")

    fields = page.locator("input:not([type=hidden]), select, textarea")
    buttons = page.get_by_role("button")

    expect(fields).not_to_have_count(0)
    for field in fields.all():
        # A <label> the sighted user reads, not a placeholder or title, and the same words as the name
        # Chromium's accessibility tree gives the field, which is what a screen reader announces.
        label = field.evaluate("field => [...field.labels].map(label => label.innerText.trim()).join(' ')")
        assert label, field.evaluate("field => field.outerHTML")
        expect(field).to_have_accessible_name(label)
    for button in buttons.all():
        expect(button).to_have_accessible_name(re.compile(r"\S"))
    assert console_problems == []


@pytest.mark.parametrize("reference", [None, "C-DEMO02"], ids=["case list", "timeline"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_content(page, console_problems, demo_cases, reference):
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases[reference]) if reference else "/cases/")
    skip_link = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert console_problems == []


def test_printed_timeline_leaves_out_filters_and_site_header(page, console_problems, demo_cases):
    log_in(page, "advocate")
    page.goto(timeline_url(demo_cases["C-DEMO02"]))

    # include_hidden: roles otherwise skip hidden elements, and an empty match would pass to_be_hidden.
    filters = page.get_by_role("form", name="Filter the timeline", include_hidden=True)
    site_header = page.get_by_role("banner", include_hidden=True)

    page.emulate_media(media="print")

    expect(filters).to_have_count(1)
    expect(filters).to_be_hidden()
    expect(site_header).to_have_count(1)
    expect(site_header).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Magamadov and Isaev")
    expect(timeline_items(page).first).to_be_visible()
    assert console_problems == []
