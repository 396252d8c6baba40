"""The Russian-speaking demo editor works a whole day in Russian: in a real browser, every page of the staff flow in
the admin and of the advocate pages, with no English word of the tracker's own left on it.

A word counts as the tracker's own when it is in the English of the catalogue (and not in its Russian, where
"UA" or "SHA-256" stay as they are) or is an English month name. What staff wrote is record data and stays as
entered, so every text stored in the records is taken out of a page's text before its words are read. A part
of a page marked as another language (the switcher's "English") is meant to be read in it.
"""

import re

import pytest
from babel.dates import get_month_names
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from playwright.sync_api import expect

from cases.enums import DatePrecision, Status
from cases.models import Case, Person, StatusChange
from front import demo
from tests.browser.support import chromium, live_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

USERNAME = "redaktor"
PASSWORDS = {username: password for username, password, *_ in demo.DEMO_USERS}
PROJECT_APPS = {"accounts", "cases", "appeals", "exports"}
# Everything a person reads on a page: its text, the attribute values read aloud or shown, and the window's title.
# Options count when their list can be opened; an element marked as another language is meant to be in it.
SHOWN_TEXT = """() => {
  const shown = (element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const foreign = (element) => {
    const marked = element.closest("[lang]");
    return marked && !marked.lang.startsWith("ru");
  };
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !element || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(element.tagName)) continue;
    const holder = element.closest("select") || element;
    if (shown(holder) && !foreign(element)) texts.push(text);
  }
  const labelled = "[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]";
  for (const element of document.body.querySelectorAll(labelled)) {
    if (!shown(element) || foreign(element)) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (element.getAttribute(name)) texts.push(element.getAttribute(name));
    }
    if (element.matches("input[type=submit], input[type=button]")) texts.push(element.value);
  }
  return texts;
}"""


def _words(text: str) -> set[str]:
    text = re.sub(r"%\(\w+\)[sdi]|\{\{.*?\}\}|\{\w*\}|https?://\S+", " ", text)
    return {word.lower() for word in re.findall(r"[A-Za-z]{2,}", text)}


def project_english() -> set[str]:
    """The English words of the catalogue that its Russian does not keep, and the English month names."""
    with (settings.LOCALE_PATHS[0] / "ru/LC_MESSAGES/django.po").open("rb") as file:
        catalogue = read_po(file, locale="ru")
    english, kept = set(), set()
    for message in catalogue:
        if message.id:
            for text in message.id if isinstance(message.id, tuple) else [message.id]:
                english |= _words(text)
            for text in message.string if isinstance(message.string, tuple) else [message.string]:
                kept |= _words(text)
    months = {
        name.lower().rstrip(".")
        for width in ("wide", "abbreviated")
        for name in get_month_names(width, "format", "en").values()
    }
    return (english | months) - kept


def record_texts() -> set[str]:
    """Every free text stored in the records (titles, descriptions, places, sources, names...), and each of its
    lines, as a page shows them: whitespace collapsed."""
    texts = set(get_user_model().objects.values_list("username", flat=True))
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        for row in model._base_manager.values_list(*fields):
            for value in filter(None, row):
                lines = [str(value), *str(value).splitlines()]
                texts.update(" ".join(line.split()) for line in lines if re.search(r"[A-Za-z]", line))
    return texts


def without_records(text: str, records: set[str]) -> str:
    """What a piece of text says once the record data in it is taken out."""
    if text in records or (text.endswith("…") and any(record.startswith(text[:-1]) for record in records)):
        return ""
    for record in sorted((record for record in records if record in text), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(record)}(?!\w)", " ", text)
    return text


class EnglishWatch:
    """Reads every page it is shown and keeps the English words of the tracker's own it finds, page by page."""

    def __init__(self, page):
        self.page = page
        self.vocabulary = project_english()
        self.found: list[str] = []
        self.pages = 0

    def check(self, where: str):
        expect(self.page.locator("html")).to_have_attribute("lang", "ru")
        records = record_texts()
        for text in self.page.evaluate(SHOWN_TEXT):
            text = without_records(" ".join(text.split()), records)
            english = sorted(_words(text) & self.vocabulary)
            if english:
                self.found.append(f"{where}: {text!r} ({', '.join(english)})")
        self.pages += 1


@pytest.fixture
def page(chromium, live_server):
    # The browser asks for English: the account's own choice must win from sign-in on.
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture
def demo_cases(live_server):
    demo.load()
    return {case.reference: case for case in Case.objects.all()}


def log_in(page):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORDS[USERNAME])
    page.locator(".login-form button[type=submit]").click()
    page.locator("#id_token").fill(demo.current_code(USERNAME))
    page.locator(".login-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def add_row(page, group):
    page.locator(f"#{group}-group .add-row a").click()


def autocomplete(page, select_id, typed, choice):
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).first.click()


def save_with_reason(page, watch, where, reason):
    watch.check(f"{where} (form)")
    page.locator("#id_change_reason").fill(reason)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check(f"{where} (saved)")


def test_the_russian_speaking_editor_reads_no_english_of_the_trackers_own(page, demo_cases):
    watch = EnglishWatch(page)
    log_in(page)
    page.goto("/admin/")
    watch.check("admin index")

    # A person, with a name in Cyrillic and its Latin spelling.
    page.goto("/admin/cases/person/add/")
    add_row(page, "identity")
    page.locator("#id_identity-0-name_original_script").fill("Тимур Вымышленный")
    for index, (name, script) in enumerate([("Тимур Вымышленный", "cyrillic"), ("Timur Vymyshlennyy", "latin")]):
        add_row(page, "name_variants")
        page.locator(f"#id_name_variants-{index}-name").fill(name)
        page.locator(f"#id_name_variants-{index}-script").select_option(script)
    save_with_reason(page, watch, "person", "Первый звонок от семьи")
    person = Person.objects.get(created_by__username=USERNAME)

    # A case holding the person and a source, then a detention reported with an approximate date.
    page.goto("/admin/cases/case/add/")
    page.locator("#id_title").fill("Задержание по сообщению брата")
    page.locator("#id_region").fill("Чечня")
    add_row(page, "memberships")
    autocomplete(page, "id_memberships-0-person", person.codename, person.codename)
    page.locator("#id_memberships-0-role").select_option("victim")
    add_row(page, "sources")
    page.locator("#id_sources-0-source_type").select_option("witness_statement")
    page.locator("#id_sources-0-title").fill("Звонок брата")
    save_with_reason(page, watch, "case", "Дело открыто после звонка")
    case = Case.objects.get(title="Задержание по сообщению брата")
    add_row(page, "status_changes")
    autocomplete(page, "id_status_changes-0-person", person.codename, person.codename)
    page.locator("#id_status_changes-0-status").select_option(Status.DETAINED_INCOMMUNICADO)
    page.locator("#id_status_changes-0-when").fill("ок. 17 августа 2017")
    page.locator("#id_status_changes-0-place").fill("Гудермес")
    save_with_reason(page, watch, "case, status change", "Брат видел, как его увели")
    detention = StatusChange.objects.get(case=case)
    assert detention.date_precision == DatePrecision.APPROXIMATE
    expect(page.locator("#id_status_changes-0-when")).to_have_value("около 17 августа 2017")

    # An ECtHR application with a Rule 39 request, the indication, and the Government's reply.
    page.goto("/admin/appeals/appeal/add/")
    autocomplete(page, "id_case", case.reference, case.reference)
    page.locator("#id_forum").select_option("ecthr")
    page.locator("#id_kind").select_option("application")
    page.locator("#id_reference").fill("12345/24")
    for index, (step, when) in enumerate([("lodged", "1 марта 2024"), ("interim_requested", "1 марта 2024")]):
        add_row(page, "steps")
        page.locator(f"#id_steps-{index}-step_type").select_option(step)
        page.locator(f"#id_steps-{index}-when").fill(when)
    save_with_reason(page, watch, "appeal", "Жалоба и запрос по Правилу 39 отправлены адвокатом")
    add_row(page, "steps")
    page.locator("#id_steps-2-step_type").select_option("interim_granted")
    page.locator("#id_steps-2-when").fill("4 марта 2024")
    page.locator("#id_steps-2-response_due_on").fill("08.03.2024")
    save_with_reason(page, watch, "appeal, interim measures", "Суд указал обеспечительные меры")
    add_row(page, "responses")
    page.locator("#id_responses-0-when").fill("7 марта 2024")
    page.locator("#id_responses-0-response_type").select_option("denial")
    page.locator("#id_responses-0-state").fill("Российская Федерация")
    page.locator("#id_responses-0-summary").fill("Власти отрицают задержание.")
    save_with_reason(page, watch, "appeal, response", "Ответ переслан Судом")

    # The person is released; then the history of the case.
    page.goto(f"/admin/cases/case/{case.pk}/change/")
    add_row(page, "status_changes")
    autocomplete(page, "id_status_changes-1-person", person.codename, person.codename)
    page.locator("#id_status_changes-1-status").select_option(Status.RELEASED)
    page.locator("#id_status_changes-1-when").fill("20 марта 2024")
    save_with_reason(page, watch, "case, release", "Адвокат подтвердил освобождение")
    page.locator("a.historylink").click()
    expect(page.locator("#change-history")).to_contain_text("Адвокат подтвердил освобождение")
    watch.check("case history")
    for listing in ("cases/person", "cases/case", "cases/statuschange", "appeals/appeal", "appeals/deadline"):
        page.goto(f"/admin/{listing}/")
        watch.check(f"admin list {listing}")

    # The advocate pages: the case list, a search, timelines, a person, the deadlines.
    page.goto("/cases/")
    watch.check("case list")
    page.locator("#id_q").fill("Исаев")
    page.locator("form.filters button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("1")
    watch.check("case list, search")
    page.get_by_role("link", name="Magamadov and Isaev").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Magamadov and Isaev")
    watch.check("timeline with an overdue reply")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("около 17 августа 2017")
    watch.check("timeline of the new case")
    page.goto(f"/people/{person.pk}/")
    watch.check("person")
    page.goto("/deadlines/")
    watch.check("deadlines")

    assert watch.found == [], "English on a Russian page:\n" + "\n".join(watch.found)
    assert watch.pages == 27
