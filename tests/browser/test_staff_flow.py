"""A new staff user logs a case in the admin, in a real browser, and reads back who changed what and why."""

import pytest
from playwright.sync_api import expect

from accounts.roles import ADVOCATES, STAFF_EDITORS
from appeals.models import Deadline
from cases.models import SYSTEM, Case, Person, StatusChange
from tests.browser.support import chromium, live_server, log_in  # noqa: F401 - fixtures
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(10000)
    problems = []

    def note(message):
        # The admin's pages ask for a favicon the site does not have; anything else is a real problem.
        if message.type == "error" and "favicon" not in message.text and "Failed to load resource" not in message.text:
            problems.append(message.text)

    page.on("console", note)
    page.problems = problems
    yield page
    context.close()


@pytest.fixture
def editor(live_server):
    return UserFactory(username="nadia", role=STAFF_EDITORS)


def autocomplete(page, select_id, typed, choice):
    """Pick a value in one of the admin's autocomplete (select2) fields, as a person does."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=choice).first.click()


def save_with_reason(page, reason):
    page.get_by_label("Reason for this change").fill(reason)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_staff_user_logs_a_detention_an_appeal_and_a_response_then_reads_the_history(page, editor):
    log_in(page, editor, PASSWORD)

    # A person with a Cyrillic name and a Latin variant.
    page.goto("/admin/cases/person/add/")
    page.get_by_text("Add another Identity", exact=True).click()
    page.locator("#id_identity-0-name_original_script").fill("Тимур Вымышленный")
    page.locator("#id_identity-0-legal_name").fill("Timur Vymyshlenny")
    for index, (name, script) in enumerate([("Тимур Вымышленный", "cyrillic"), ("Timur Vymyshlennyy", "latin")]):
        page.get_by_text("Add another Name variant", exact=True).click()
        page.locator(f"#id_name_variants-{index}-name").fill(name)
        page.locator(f"#id_name_variants-{index}-script").select_option(script)
    save_with_reason(page, "First call from the family")
    person = Person.objects.get(created_by=editor)

    # A case holding the person, a source and a detention with an approximate date.
    page.goto("/admin/cases/case/add/")
    page.get_by_label("Title").fill("Detention reported by a relative")
    page.get_by_label("Region").fill("North Caucasus")
    page.get_by_text("Add another Person in case", exact=True).click()
    # By codename: an autocomplete's term travels in its address, so it never looks up a confidential name.
    autocomplete(page, "id_memberships-0-person", person.codename, person.codename)
    page.locator("#id_memberships-0-role").select_option("victim")
    page.get_by_text("Add another Source", exact=True).click()
    page.locator("#id_sources-0-source_type").select_option("witness_statement")
    page.locator("#id_sources-0-title").fill("Call with the brother")
    save_with_reason(page, "Case opened after the call")
    case = Case.objects.get(title="Detention reported by a relative")
    page.get_by_text("Add another Status change", exact=True).click()
    autocomplete(page, "id_status_changes-0-person", person.codename, person.codename)
    page.locator("#id_status_changes-0-status").select_option("detained_incommunicado")
    page.locator("#id_status_changes-0-when").fill("c. Feb 2024")
    page.locator("#id_status_changes-0-place").fill("Gudermes")
    autocomplete(page, "id_status_changes-0-sources", "brother", "Call with the brother")
    save_with_reason(page, "The brother saw him taken")
    detention = StatusChange.objects.get(case=case)
    assert (str(detention.when), [s.title for s in detention.sources.all()]) == (
        "c. Feb 2024",
        ["Call with the brother"],
    )

    # An ECtHR application with a Rule 39 request, then the indication with the Government's reply date.
    page.goto("/admin/appeals/appeal/add/")
    autocomplete(page, "id_case", case.reference, case.reference)
    page.locator("#id_forum").select_option("ecthr")
    page.locator("#id_kind").select_option("application")
    page.locator("#id_reference").fill("12345/24")
    for index, (step, when) in enumerate([("lodged", "1 Mar 2024"), ("interim_requested", "1 Mar 2024")]):
        page.get_by_text("Add another Appeal step", exact=True).click()
        page.locator(f"#id_steps-{index}-step_type").select_option(step)
        page.locator(f"#id_steps-{index}-when").fill(when)
    save_with_reason(page, "Application and Rule 39 request sent by the lawyer")
    page.get_by_text("Add another Appeal step", exact=True).click()
    page.locator("#id_steps-2-step_type").select_option("interim_granted")
    page.locator("#id_steps-2-when").fill("4 Mar 2024")
    page.locator("#id_steps-2-response_due_on").fill("2024-03-08")
    save_with_reason(page, "The Court indicated interim measures")
    expect(page.locator("#deadlines-group")).to_contain_text("Government's reply to the interim measures")
    assert Deadline.objects.get(appeal__case=case).due_on.isoformat() == "2024-03-08"

    # The Government's response, on the appeal.
    page.get_by_text("Add another Official response", exact=True).click()
    page.locator("#id_responses-0-when").fill("7 Mar 2024")
    page.locator("#id_responses-0-response_type").select_option("denial")
    page.locator("#id_responses-0-state").fill("Russian Federation")
    page.locator("#id_responses-0-summary").fill("Denied that he was detained.")
    save_with_reason(page, "Reply forwarded by the Court")
    assert Deadline.objects.get(appeal__case=case).status == "met"

    # The status changes, with a reason.
    page.goto(f"/admin/cases/case/{case.pk}/change/")
    page.get_by_text("Add another Status change", exact=True).click()
    autocomplete(page, "id_status_changes-1-person", person.codename, person.codename)
    page.locator("#id_status_changes-1-status").select_option("released")
    page.locator("#id_status_changes-1-when").fill("20 Mar 2024")
    save_with_reason(page, "Lawyer confirmed the release")

    # The history page says who changed what, field by field, and why.
    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history")
    expect(history).to_contain_text("Lawyer confirmed the release")
    expect(history).to_contain_text("The brother saw him taken")
    expect(history).to_contain_text("Released")
    expect(history).to_contain_text("Detained incommunicado")
    expect(history).to_contain_text("nadia")
    first_row = history.locator("tr.history-entry").first
    expect(first_row).to_contain_text("Lawyer confirmed the release")

    assert Person.objects.get(pk=person.pk).current_status == "released"
    released = StatusChange.history.get(status="released", history_type="+")
    assert (released.history_user, released.history_change_reason) == (editor, "Lawyer confirmed the release")
    assert list(Person.objects.matching("Вымышленный", SYSTEM)) == [person]
    assert page.problems == []


def test_two_staff_editing_the_same_case_see_a_conflict_not_a_silent_overwrite(chromium, live_server, editor):
    colleague = UserFactory(username="omar", role=STAFF_EDITORS)
    case = Case.objects.create(title="Shared case")
    case.team.add(editor, colleague)
    contexts = [chromium.new_context(base_url=live_server.url) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    for page, user in ((first, editor), (second, colleague)):
        log_in(page, user, PASSWORD)
        page.goto(f"/admin/cases/case/{case.pk}/change/")

    first.get_by_label("Title").fill("Seized in Gudermes")
    save_with_reason(first, "Police confirmed the place")
    second.get_by_label("Title").fill("Seized in Grozny")
    second.get_by_label("Reason for this change").fill("Older report")
    second.get_by_role("button", name="Save and continue editing").click()

    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator("body")).to_contain_text("nadia saved this record")
    expect(second.locator("body")).to_contain_text("Police confirmed the place")
    assert Case.objects.get(pk=case.pk).title == "Seized in Gudermes"
    for context in contexts:
        context.close()


def test_editor_adds_an_advocate_they_work_with_to_the_case_team(page, live_server, editor):
    advocate = UserFactory(username="dana", role=ADVOCATES, is_staff=False)
    CaseFactory(title="Their other case", team=[editor, advocate])
    case = CaseFactory(title="Case needing an advocate", team=[editor])
    log_in(page, editor, PASSWORD)

    page.goto(f"/admin/cases/case/{case.pk}/change/")
    page.locator("#id_team_from").select_option(label="dana")
    page.locator("#id_team_add").click()
    save_with_reason(page, "Dana prepares the appeal")

    expect(page.locator("#id_team_to")).to_contain_text("dana")
    assert set(Case.objects.get(pk=case.pk).team.all()) == {editor, advocate}
    assert page.problems == []
