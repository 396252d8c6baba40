"""The figures page in a real browser: a chart with its table beside it, a number followed to its records,
the filters, the strict Content-Security-Policy, and the printed page."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import chromium  # noqa: F401 - a fixture
from tests.browser.test_advocate_pages import (  # noqa: F401 - fixtures
    console_problems,
    demo_cases,
    live_server,
    log_in,
    page,
)

pytestmark = pytest.mark.browser


def figure(page, title):
    return page.get_by_role("region", name=title, exact=True)


def test_a_number_in_a_charts_table_leads_to_the_records_it_counts(page, console_problems, demo_cases):
    log_in(page, "advocate")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Figures").click()

    people = figure(page, "People by current status")
    expect(people.get_by_role("img")).to_have_accessible_name(
        "People by current status: a chart of the table beside it, which gives the same numbers."
    )
    table = people.get_by_role("table")
    convicted = table.get_by_role("row", name="Convicted / imprisoned")
    expect(convicted.get_by_role("cell")).to_have_text(["2"])
    expect(table.get_by_role("row", name="All people counted").get_by_role("cell")).to_have_text(["5"])
    # The bar says what the table says.
    expect(people.locator("svg g", has_text="Convicted / imprisoned")).to_contain_text("2")

    convicted.get_by_role("link", name="2").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Records behind a figure")
    expect(page.get_by_role("status")).to_have_text("2 people, from 2 records.")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # the heading and the two people
    expect(rows.nth(1)).to_contain_text("Convicted / imprisoned")
    rows.nth(1).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Records behind a figure")
    assert console_problems == []


def test_figures_filtered_by_forum_and_printed_without_the_forms(page, console_problems, demo_cases):
    log_in(page, "advocate")
    page.goto("/figures/")

    page.get_by_label("Forum", exact=True).select_option(label="European Court of Human Rights")
    page.get_by_role("button", name="Show figures").click()

    appeals = figure(page, "Appeals by forum and stage").get_by_role("table")
    expect(appeals.get_by_role("row", name="All forums").get_by_role("cell")).to_have_text(["2"])
    replies = figure(page, "Replies owed by States and authorities").get_by_role("table")
    overdue = replies.get_by_role("row", name="Russia · European Court of Human Rights · The Government / State")
    expect(overdue.get_by_role("cell").nth(2)).to_have_text("1")

    filters = page.get_by_role("form", name="Filter the figures", include_hidden=True)
    export = page.get_by_role("region", name="Export public figures", include_hidden=True)
    page.emulate_media(media="print")

    expect(filters).to_be_hidden()
    expect(export).to_be_hidden()
    expect(figure(page, "People by current status").get_by_role("img")).to_be_visible()
    assert console_problems == []
