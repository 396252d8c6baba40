"""The figures page: each number counted again here from the records, each number's link to exactly those
records, one team's figures out of another's reach, and a number of queries that does not grow."""

import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from appeals.enums import Finding, Forum, Party, ResponseType, StepType
from appeals.models import Appeal, AppealStep, ArticleFinding, Deadline, OfficialResponse, article_label
from appeals.services import add_appeal_step, file_appeal, record_official_response
from appeals.states import state_name
from cases.chronology import current_report, order_reports
from cases.enums import Status
from cases.models import Case, Person, StatusChange
from cases.services import record_status_change
from exports.models import CountedFigures
from tests.factories import CaseFactory, DeadlineFactory, MembershipFactory

FIGURES = "/figures/"


def read_table(page: bytes, slug: str) -> dict[str, list[str]]:
    """A figure's table as a reader takes it in: each row's label and the numbers across it."""
    table = lxml_html.fromstring(page).get_element_by_id(f"table-{slug}")
    rows = {}
    for row in table.iter("tr"):
        header = row.find("th")
        if header is None or header.get("scope") != "row":
            continue
        rows[header.text_content().strip()] = [cell.text_content().strip() for cell in row.findall("td")]
    return rows


def figure_links(page: bytes) -> list[tuple[str, str]]:
    """Every number on the page that leads to its records: (the number, where it leads)."""
    tree = lxml_html.fromstring(page)
    return [(a.text_content().strip(), a.get("href")) for a in tree.xpath("//table[@class='figures']//a")]


def counted_on(page: bytes) -> int:
    """The number of the records page's summary ("3 people, from 4 records")."""
    status = lxml_html.fromstring(page).xpath("//*[@role='status']")[0].text_content()
    return int(re.match(r"\s*(\d+)", status).group(1))


def column(table: dict[str, list[str]], index: int) -> dict[str, int]:
    return {label: int(cells[index]) for label, cells in table.items() if cells and cells[index].isdigit()}


def nonzero(counter: Counter) -> dict:
    return {key: value for key, value in counter.items() if value}


@pytest.fixture
def demo_editor(db):
    call_command("load_demo", "--no-qr", stdout=io.StringIO())
    return get_user_model().objects.get(username="editor")


def _year(record) -> str:
    if record.date_start is None or record.date_end is None:
        return "Dates known at one end only (before, after)"
    if record.date_start.year != record.date_end.year:
        return "Dates spanning more than one year"
    return str(record.date_start.year)


def test_demo_figures_are_the_records_counted_again(client, demo_editor):
    client.force_login(demo_editor)
    cases = Case.objects.visible_to(demo_editor)
    today = timezone.localdate()

    page = client.get(FIGURES).content

    # People by current status: each person once, their status by the one rule of cases.chronology.
    people = Person.objects.filter(memberships__case__in=cases).distinct()
    statuses = Counter()
    for person in people:
        current = current_report(order_reports(StatusChange.objects.filter(person=person, case__in=cases)))
        if current is not None:
            statuses[str(Status(current.status).label)] += 1
    people_table = read_table(page, "people")
    assert column(people_table, 0) == {**statuses, "All people counted": sum(statuses.values())}
    assert people_table["Convicted / imprisoned"] == ["2"]

    # Events by year, each where its date certainly falls.
    events = Counter()
    for record in [
        *StatusChange.objects.filter(case__in=cases, differs_from__isnull=True),
        *AppealStep.objects.filter(appeal__case__in=cases),
        *OfficialResponse.objects.filter(case__in=cases),
    ]:
        events[_year(record)] += 1
    events_table = read_table(page, "events_years")
    assert column(events_table, 3) == {**events, "All dates": sum(events.values())}

    # Appeals by forum (the heading rows) and stage (the rows under them).
    appeals = list(Appeal.objects.filter(case__in=cases))
    appeals_table = read_table(page, "appeals")
    forums = Counter(str(Forum(appeal.forum).label) for appeal in appeals)
    assert {label: count for label, count in column(appeals_table, 0).items() if label in forums} == forums
    assert appeals_table["European Court of Human Rights"] == ["3"]
    assert appeals_table["All forums"] == [str(len(appeals))]

    # Replies owed by the other side, overdue ones by State, forum and who owes them.
    overdue = Counter()
    for deadline in Deadline.objects.filter(appeal__case__in=cases, responsible__in=[Party.GOVERNMENT, Party.FORUM]):
        if deadline.is_overdue(today):
            state = state_name(deadline.appeal.respondent_state) if deadline.appeal.respondent_state else ""
            forum, owed = Forum(deadline.appeal.forum).label, Party(deadline.responsible).label
            label = f"{state or 'State not recorded'} · {forum} · {owed}"
            overdue[label] += 1
    replies_table = read_table(page, "replies")
    assert nonzero(Counter(column(replies_table, 2))) == {**overdue, "All": sum(overdue.values())}
    assert replies_table["Russia · European Court of Human Rights · The Government / State"][2] == "1"

    # Official responses by type and State.
    responses = Counter(
        (str(ResponseType(r.response_type).label), r.state or "State not recorded")
        for r in OfficialResponse.objects.filter(case__in=cases)
    )
    responses_table = read_table(page, "responses")
    states = list(lxml_html.fromstring(page).get_element_by_id("table-responses").xpath("thead//th"))
    state_labels = [th.text_content().strip() for th in states][:-1]
    counted = Counter()
    for label, cells in responses_table.items():
        if label != "All types":
            for state, value in zip(state_labels, cells, strict=False):
                counted[(label, state)] = int(value)
    assert nonzero(counted) == responses

    # Interim measures indicated, per forum.
    indicated = Counter(
        str(Forum(step.appeal.forum).label)
        for step in AppealStep.objects.filter(appeal__case__in=cases, step_type=StepType.INTERIM_GRANTED)
    )
    assert column(read_table(page, "interim"), 1) == {**indicated, "All forums": sum(indicated.values())}

    # Findings: each Article's violations.
    # A judgment finding a violation of two limbs of an Article counts once for it.
    violations = Counter(
        str(article_label(article))
        for _step, article in set(
            ArticleFinding.objects.filter(
                step__appeal__case__in=cases, finding=Finding.VIOLATION, taken_with_article=""
            ).values_list("step", "article")
        )
    )
    findings_table = read_table(page, "findings")
    assert {label: int(cells[0]) for label, cells in findings_table.items() if label in violations} == violations


def test_every_number_leads_to_the_records_it_counts(client, demo_editor):
    client.force_login(demo_editor)

    links = figure_links(client.get(FIGURES).content)

    assert len(links) > 50
    for number, href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        assert counted_on(response.content) == int(number), href


def test_a_numbers_records_are_titled_with_every_value_it_stands_for(client, demo_editor):
    client.force_login(demo_editor)
    replies = lxml_html.fromstring(client.get(FIGURES).content).get_element_by_id("table-replies")

    rows = replies.xpath("./tbody/tr[td/a]")
    titles = []
    for row in rows:
        records = client.get(row.xpath("./td/a")[0].get("href")).content
        titles.append(lxml_html.fromstring(records).xpath("//p[@class='figure-title']")[0].text_content())

    assert len(rows) > 2
    for row, title in zip(rows, titles, strict=True):
        label = row.find("th").text_content().strip()
        assert [part for part in label.split(" · ") if part not in title] == [], title


def _team_case(user, title, status, people):
    case = CaseFactory(title=title, team=[user], region="Chechnya")
    for _ in range(people):
        person = MembershipFactory(case=case).person
        record_status_change(
            by=user, reason="Test", person=person, case=case, status=status, when="2021", verification="confirmed"
        )
    return case


def test_a_team_sees_only_its_own_cases_figures(client, alice, charlie):
    own = _team_case(alice, "Alice's case", Status.DETAINED, 1)
    other = _team_case(charlie, "Charlie's case", Status.RELEASED, 2)
    others = set(Person.objects.filter(memberships__case=other).values_list("codename", flat=True))
    client.force_login(alice)

    page = client.get(FIGURES).content
    records = client.get(f"{FIGURES}records/?figure=people").content.decode()
    asked_for_other = client.get(FIGURES, {"case": other.reference})

    assert read_table(page, "people") == {"Detained (acknowledged)": ["1"], "All people counted": ["1"]}
    assert read_table(page, "events_years") == {"2021": ["1", "0", "0", "1"], "All dates": ["1", "0", "0", "1"]}
    assert [codename for codename in others if codename in records] == []
    assert Person.objects.get(memberships__case=own).codename in records
    assert "1 person, from 1 record." in records
    assert asked_for_other.status_code == 400
    assert "No case you may see has the reference" in asked_for_other.content.decode()
    assert "Released" not in asked_for_other.content.decode()


def test_a_number_of_another_teams_region_leads_to_nothing(client, alice, charlie):
    _team_case(alice, "Alice's case", Status.DETAINED, 1)
    other = _team_case(charlie, "Charlie's case", Status.RELEASED, 2)
    other.region = "Dagestan"
    other.save()
    client.force_login(alice)

    response = client.get(f"{FIGURES}records/", {"figure": "people", "region": "Dagestan"})

    assert response.status_code == 400
    assert "Dagestan is not one of the available choices" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"figure": "nonsense"}, "There is no such figure."),
        ({"figure": "people", "status": "flying"}, "“flying” is not a value of “status”."),
        ({"figure": "people", "forum": "ecthr", "stage": "lodged"}, "“stage” does not apply to this figure."),
        ({"figure": "appeals", "page": "9"}, "There is no page “9”."),
        ({"figure": "people", "start": "yesterday-ish"}, "Check the filters."),
    ],
)
def test_a_crafted_link_gets_a_message_not_an_error(alice_client, case, query, message):
    response = alice_client.get(f"{FIGURES}records/", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def case_with_everything(user, n):
    case = CaseFactory(title=f"Case {n}", team=[user])
    person = MembershipFactory(case=case).person
    record_status_change(
        by=user, reason="Test", person=person, case=case, status="detained", when="Mar 2021", verification="confirmed"
    )
    appeal = file_appeal(by=user, reason="Test", case=case, people=[person], forum=Forum.ECTHR, kind="application")
    add_appeal_step(by=user, reason="Test", appeal=appeal, step_type=StepType.INTERIM_GRANTED, when="8 Feb 2021")
    DeadlineFactory(appeal=appeal)
    record_official_response(
        by=user, reason="Test", case=case, appeal=appeal, response_type=ResponseType.DENIAL, when="2022", state="Russia"
    )


# The page and a records page, pinned for one and for many cases: the counts are made in the database. One of
# each is the navigation's count of the reader's due deadlines (reminders/context_processors.py); the regions
# of the filter and of the public export's form are read once; whether the reader is an administrator is asked
# once a request. Counting makes a query per tally and keeps the counts (exports.counted); the next view reads
# them back, with one query to ask whether anything was written since (PostgreSQL also drops old notes of writes
# when it keeps counts).
PAGE_QUERIES = {"counted": 27 + (connection.vendor == "postgresql"), "kept": 11}
# Per list of records behind a number: its count, its page of rows and how many it counts.
RECORDS_QUERIES = {"people": 11, "status_reports,appeal_steps,responses_dated": 15, "replies": 11, "findings": 11}


# Committed, as requests are: on PostgreSQL counts are never read back within a transaction that wrote records.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cases", [1, 4])
@pytest.mark.parametrize("query", [{}, {"level": "public"}, {"region": "Chechnya", "forum": "ecthr", "start": "2020"}])
def test_figures_page_queries_do_not_grow_with_the_records(client, alice, cases, query):
    for n in range(cases):
        case_with_everything(alice, n)
    client.force_login(alice)
    client.get(FIGURES)  # the session and the user, as a browser's next page finds them
    CountedFigures.objects.all().delete()

    with CaptureQueriesContext(connection) as counting:
        counted = client.get(FIGURES, query)
    with CaptureQueriesContext(connection) as reading:
        kept = client.get(FIGURES, query)

    indicated = "<5" if query.get("level") == "public" else str(cases)
    for response in (counted, kept):
        assert response.status_code == 200
        assert read_table(response.content, "interim")["All forums"][1] == indicated
    assert {"counted": len(counting), "kept": len(reading)} == PAGE_QUERIES


@pytest.mark.parametrize("cases", [1, 4])
@pytest.mark.parametrize("figure", list(RECORDS_QUERIES))
def test_records_page_queries_do_not_grow_with_the_records(client, alice, cases, figure):
    for n in range(cases):
        case_with_everything(alice, n)
    client.force_login(alice)
    client.get(FIGURES)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{FIGURES}records/", {"figure": figure})

    assert response.status_code == 200
    assert len(captured) == RECORDS_QUERIES[figure]


def test_charts_in_russian_shade_their_squares_as_svg_reads_them(client, demo_editor):
    """SVG reads 0.54, not the Russian "0,54": a shade it cannot read is drawn full, every square alike."""
    client.force_login(get_user_model().objects.get(username="redaktor"))

    page = client.get(FIGURES).content.decode()

    shades = re.findall(r'fill-opacity="([^"]*)"', page)
    assert '<html lang="ru">' in page
    assert len(shades) > 10
    assert [shade for shade in shades if not re.fullmatch(r"\d+(\.\d+)?", shade)] == []
