"""A staff member brings an NGO's workbook in through the admin, in a real browser: upload, preview, confirm,
progress; then finds an imported person by the other script, is warned of a duplicate typed by hand, and an
administrator merges the two."""

import pytest
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATORS, STAFF_EDITORS
from cases.models import Person, StatusChange
from imports.models import ExternalId, ImportJob
from imports.services import RUNNING, run_job
from tests.browser.support import chromium, live_server, log_in  # noqa: F401 - fixtures
from tests.factories import UserFactory
from tests.imports.workbook import PEOPLE_COUNT, build_workbook

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def context(chromium, live_server, settings):
    # Jobs wait in the queue until the test plays the worker (run_queued), so the page shows them running.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(15000)
    yield context
    context.close()


def run_queued():
    """What `manage.py db_worker` does: run the jobs waiting for it."""
    for job in ImportJob.objects.filter(status__in=RUNNING, claimed_at__isnull=True):
        run_job.call(str(job.pk))


def test_import_preview_confirm_progress_search_duplicate_and_merge(context):
    editor = UserFactory(username="nadia", role=STAFF_EDITORS)
    page = context.new_page()
    log_in(page, editor, PASSWORD)

    page.goto("/admin/imports/importjob/add/")
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "monitoring.xlsx", "mimeType": "application/octet-stream", "buffer": build_workbook()}]
    )
    page.get_by_role("button", name="Upload and read the columns").click()
    expect(page.get_by_text("Sheet “Status changes” (200 rows)")).to_be_visible()
    page.get_by_role("button", name="Check every row").click()

    expect(page.locator("#import-status")).to_contain_text("Checking every row (nothing is written)")
    expect(page.locator("#import-progress")).to_be_visible()
    run_queued()
    expect(page.locator("#import-status")).to_contain_text("Checked: waiting for your confirmation")
    expect(page.locator("#import-counts")).to_contain_text(f"People{PEOPLE_COUNT + 1} to create")
    expect(page.locator("#import-counts")).to_contain_text("Status changes200 to create")
    expect(page.locator("#import-duplicates")).to_contain_text("row 52 (P-051): possible duplicate of row 2 (P-001)")
    assert Person.objects.count() == 0

    page.get_by_label("I have read the check above; import these records under my name.").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-status")).to_contain_text("Importing")
    expect(page.locator("#import-progress")).to_have_attribute("value", "0")
    run_queued()
    expect(page.locator("#import-status")).to_contain_text("Imported")
    expect(page.locator("#import-counts")).to_contain_text("Status changes200 created")
    assert StatusChange.objects.count() == 200

    # P-011 was typed in Latin only ("Salekh Isaev"): found by the Cyrillic spelling.
    salekh = Person.objects.get(pk=ExternalId.objects.get(kind="people", external_id="P-011").object_id)
    page.goto("/admin/cases/person/")
    page.locator("#searchbar").fill("Салех Исаев")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text(salekh.codename)

    # The same man typed in again by hand, under another spelling.
    page.goto("/admin/cases/person/add/")
    page.get_by_text("Add another Identity", exact=True).click()
    page.locator("#id_identity-0-legal_name").fill("Salekh Isayev")
    page.get_by_label("Reason for this change").fill("Called the hotline")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .warning")).to_contain_text(
        f"Possible duplicate of {salekh.codename} (the same name in another script or spelling)"
    )
    typed = Person.objects.exclude(pk__in=ExternalId.objects.filter(kind="people").values("object_id")).get()

    # An administrator merges the imported record into the one typed by hand: its reports move.
    administrator = UserFactory(username="root", role=ADMINISTRATORS)
    page = context.browser.new_context(base_url=page.url.split("/admin")[0], locale="en-GB").new_page()
    page.set_default_timeout(15000)
    log_in(page, administrator, PASSWORD)
    # Both on one page, whatever the list's order of random codenames (50 people a page).
    page.goto(f"/admin/cases/person/?id__in={salekh.pk},{typed.pk}")
    for person in (salekh, typed):
        page.locator(f"input[name=_selected_action][value='{person.pk}']").check()
    page.locator("select[name=action]").select_option(label="Merge the two selected people")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#merge-differences")).to_contain_text("Salekh Isaev")
    expect(page.locator("#merge-differences")).to_contain_text("Salekh Isayev")
    page.get_by_label(typed.codename).check()
    page.get_by_label("Why these are one person").fill("Same man: the hotline call and the monitoring sheet")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"{salekh.codename} was merged into {typed.codename}")

    assert StatusChange.objects.filter(person=typed).count() == 4
    page.goto(f"/admin/cases/person/{typed.pk}/history/")
    expect(page.locator("#content")).to_contain_text(
        f"Merge of {salekh.codename} into {typed.codename}: Same man: the hotline call and the monitoring sheet"
    )
