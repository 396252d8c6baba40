"""The demo data tells the public cases of shared/domain.md, and loading it twice changes nothing."""

from datetime import date

from django.apps import apps
from django.core.management import call_command

from appeals.models import Appeal, Deadline
from cases.models import Case, Person, StatusChange


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
    assert first["cases.Case"] == 4


def test_demo_tells_the_magamadov_and_isaev_case(db):
    call_command("load_demo")
    case = Case.objects.matching("Isayev").get()

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
    person = Person.objects.matching("Lapunov").get()

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
