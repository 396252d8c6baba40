"""A case of a given number of events, built through the domain verbs as staff would enter it.

Shared by the query-count tests of the case page and by bench/case_page.py: a quarter of the events are
sources, a quarter status changes about four people, a quarter appeal steps (in appeals of ten), a quarter
official responses; each cites a source, and every tenth source, status change and response is edited once,
so the history holds changes as well as creations.
"""

from datetime import date, timedelta

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import Role, SourceType, Status, Verification
from cases.services import add_person, add_source, add_to_case, open_case, record_status_change, save_record

REASON = "Case of a given size"
STATUSES = [Status.DETAINED, Status.RELEASED, Status.DISAPPEARED, Status.DETAINED]


def case_with_events(size: int, team, *, by=None):
    """A case of ``size`` events on ``team``'s case team, recorded by ``by``."""
    case = open_case(by=by, reason=REASON, title=f"A case of {size} events")
    case.team.add(*team)
    people = [add_person(by=by, reason=REASON) for _ in range(4)]
    for person in people:
        add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    n_sources, n_changes, n_steps, n_responses = (size // 4 + (kind < size % 4) for kind in range(4))
    sources = [
        add_source(by=by, reason=REASON, case=case, source_type=SourceType.MEDIA, title=f"Report {n}")
        for n in range(n_sources)
    ]
    start = date(2015, 1, 1)
    edited = sources[::10]
    appeal = None
    for n in range(n_changes):
        change = record_status_change(
            by=by,
            reason=REASON,
            person=people[n % 4],
            case=case,
            status=STATUSES[n % 4],
            when=(start + timedelta(days=3 * n)).isoformat(),
            sources=[sources[n % n_sources]],
            description="Reported by a relative.",
        )
        if n % 10 == 0:
            edited.append(change)
    for n in range(n_steps):
        if n % 10 == 0:
            appeal = file_appeal(by=by, reason=REASON, case=case, forum=Forum.ECTHR, kind=AppealKind.APPLICATION)
        add_appeal_step(
            by=by,
            reason=REASON,
            appeal=appeal,
            step_type=StepType.LODGED,
            when=(start + timedelta(days=3 * n + 1)).isoformat(),
            sources=[sources[n % n_sources]],
        )
    for n in range(n_responses):
        response = record_official_response(
            by=by,
            reason=REASON,
            case=case,
            appeal=appeal,
            response_type=ResponseType.DENIAL,
            when=(start + timedelta(days=3 * n + 2)).isoformat(),
            state="Russian Federation",
            summary="Denied the facts.",
            sources=[sources[n % n_sources]],
        )
        if n % 10 == 0:
            edited.append(response)
    for record in edited:
        if hasattr(record, "verification"):
            record.verification = Verification.DISPUTED
        else:
            record.title = f"{record.title} (corrected)"
        save_record(record, by=by, reason="Corrected")
    return case
