"""What a reminder may say about a deadline: the one place that turns deadlines into mail and calendar text.

Mail and calendar feeds pass servers outside the organisation's control, so a reminder names a case by its
reference and a person by their codename only, whatever the reader may see in the app. It never copies free
text (a deadline's description or note, an appeal's title, a case's title or region): staff write names and
places there. Nor an appeal's reference number: the Court's and the UN's registers name the applicant behind
it. Every field a reminder shows is built here, from this allowlist, and nothing else reaches a template.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from appeals.enums import AppealKind, DeadlineRule, DeadlineStatus, Forum, Party
from appeals.models import Appeal, Deadline, appeals_waiting_for_an_answer
from appeals.timeline import deadline_state
from cases.models import Person

# Longest-waiting appeals listed in a digest; the deadlines page has them all.
WAITING_SHOWN = 10
# "Due soon" in the navigation, the same week for everyone: reading each user's own window there would cost
# every page a query more. The window people choose governs their digest and their calendar's alarms.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    deadline_id: UUID
    due_on: date
    what: str
    party: str
    party_label: str
    appeal: str
    case_reference: str
    codenames: tuple[str, ...]
    recurrence: str
    state: str
    link: str

    @property
    def ours(self) -> bool:
        return self.party == Party.US


@dataclass(frozen=True)
class WaitingAppeal:
    appeal: str
    case_reference: str
    codenames: tuple[str, ...]
    filed: str
    days: int
    link: str


def what_is_due(deadline: Deadline) -> str:
    """The rule's name for a proposed deadline; a deadline staff entered themselves is described in the app."""
    if deadline.rule in DeadlineRule.values:
        return str(DeadlineRule(deadline.rule).label)
    return _("Deadline entered by staff (details in the app)")


def appeal_label(appeal: Appeal) -> str:
    """ "European Court of Human Rights — Request for interim measures": the forum and the kind, no number."""
    return f"{Forum(appeal.forum).label} — {AppealKind(appeal.kind).label}"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def case_link(case_id) -> str:
    return absolute(reverse("front:case_timeline", args=[case_id]))


def _people_prefetch(path: str) -> Prefetch:
    return Prefetch(path, queryset=Person.objects.only("pk", "codename").order_by("codename"))


def open_deadlines(user, *, parties=None):
    """Open deadlines of the cases ``user`` may see now (so a user taken off a team loses them at once)."""
    found = Deadline.objects.visible_to(user).filter(status=DeadlineStatus.OPEN, next_due_on__isnull=False)
    if parties is not None:
        found = found.filter(responsible__in=parties)
    return found


def due_items(deadlines, today: date) -> list[DueItem]:
    """Reminder lines for these deadlines, ours first and then by due day, in two queries however many."""
    deadlines = deadlines.select_related("appeal__case").prefetch_related(_people_prefetch("appeal__people"))
    items = [
        DueItem(
            deadline_id=deadline.pk,
            due_on=deadline.next_due_on,
            what=what_is_due(deadline),
            party=deadline.responsible,
            party_label=str(Party(deadline.responsible).label),
            appeal=appeal_label(deadline.appeal),
            case_reference=deadline.appeal.case.reference,
            codenames=tuple(person.codename for person in deadline.appeal.people.all()),
            recurrence=deadline.recurrence_label,
            state=deadline_state(deadline, today)[1],
            link=case_link(deadline.appeal.case_id),
        )
        for deadline in deadlines
    ]
    return sorted(items, key=lambda item: (not item.ours, item.due_on, item.case_reference))


def waiting_appeals(user, today: date) -> list[WaitingAppeal]:
    appeals = (
        appeals_waiting_for_an_answer(user)
        .select_related("case")
        .prefetch_related(_people_prefetch("people"))[:WAITING_SHOWN]
    )
    return [
        WaitingAppeal(
            appeal=appeal_label(appeal),
            case_reference=appeal.case.reference,
            codenames=tuple(person.codename for person in appeal.people.all()),
            filed=str(appeal.filed),
            days=(today - appeal.filed_start).days,
            link=case_link(appeal.case_id),
        )
        for appeal in appeals
    ]


@dataclass(frozen=True)
class Digest:
    today: date
    days_ahead: int
    newly_overdue: list[DueItem]
    still_overdue: list[DueItem]
    upcoming: list[DueItem]
    waiting: list[WaitingAppeal]

    @property
    def overdue_count(self) -> int:
        return len(self.newly_overdue) + len(self.still_overdue)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue_count or self.upcoming or self.waiting)


def build_digest(user, *, today: date, days_ahead: int, parties, overdue_since: date) -> Digest:
    """What one digest lists: overdue (those that fell overdue since ``overdue_since`` apart), due within
    ``days_ahead`` days, and the appeals waiting longest for any answer."""
    soon = open_deadlines(user, parties=parties).filter(next_due_on__lte=today + timedelta(days=days_ahead))
    items = due_items(soon, today)
    return Digest(
        today=today,
        days_ahead=days_ahead,
        newly_overdue=[item for item in items if overdue_since <= item.due_on < today],
        still_overdue=[item for item in items if item.due_on < min(overdue_since, today)],
        upcoming=[item for item in items if item.due_on >= today],
        waiting=waiting_appeals(user, today),
    )


def due_counts(user, *, today: date, days_ahead: int, all_upcoming: bool = False) -> dict[str, int]:
    """How many deadlines are overdue and how many fall due within ``days_ahead`` days, in one query; with
    ``all_upcoming``, also how many fall due today or later (``upcoming``), in the same query."""
    horizon = today + timedelta(days=days_ahead)
    counts = {
        # Counted by the due day, which every open deadline counted has, rather than by the id: the index these
        # counts read holds the due day, not the id, which the database would fetch each deadline's row for.
        "overdue": Count("next_due_on", filter=Q(next_due_on__lt=today)),
        "due_soon": Count("next_due_on", filter=Q(next_due_on__gte=today, next_due_on__lte=horizon)),
    }
    found = open_deadlines(user)
    if all_upcoming:
        counts["upcoming"] = Count("next_due_on", filter=Q(next_due_on__gte=today))
    else:
        # Later deadlines count in neither: left out, the open deadlines' due-date index skips them.
        found = found.filter(next_due_on__lte=horizon)
    return found.aggregate(**counts)
