"""One chronological stream of what happened in a case, as it stands now or as it stood on a past day.

Status changes, appeal steps (interim measures among them), deadlines and
official responses become ``Event`` objects in the one order of
cases.chronology: by the earliest possible date, except that a person's
reports keep their order and an answer never comes before its question;
sources become numbered references. The same builder serves the
advocate's timeline page and the "as known on" view, which reads the audit
history instead of the live tables. The number of queries does not depend on
the number of events.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache

from django.apps import apps
from django.db.models import F, OuterRef, Subquery
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from appeals.enums import (
    INTERIM_STEP_STATE,
    AppealKind,
    DeadlineStatus,
    EventKind,
    Forum,
    OccurrenceStatus,
    ResponseType,
    StepType,
)
from appeals.models import (
    Appeal,
    AppealStep,
    ArticleFinding,
    Award,
    Deadline,
    DeadlineOccurrence,
    OfficialResponse,
    StateFact,
    as_answered,
    filings,
    follows_filing,
)
from appeals.states import state_name
from cases.chronology import chronological, main_report_links, main_reports, order_reports, status_bar_reports
from cases.enums import STATUS_FAMILY, WHEREABOUTS_STATUSES, DatePrecision, Status, StatusFamily, Verification
from cases.fuzzydate import FuzzyDate, format_day, format_period
from cases.models import CaseMembership, Person, Source, StatusChange, person_label

# Sources are numbered by their date, undated ones last; "as known on" numbers them the same way.
SOURCES_IN_ORDER = [F("published_start").asc(nulls_last=True), "created_at"]

# Same dates: facts about States first, then statuses, steps, deadlines and answers.
_KIND_ORDER = {kind: index for index, kind in enumerate(EventKind.values)}


@dataclass
class Event:
    kind: str
    when: FuzzyDate
    title: str
    status: str = ""
    people: list[str] = field(default_factory=list)
    person_ids: set = field(default_factory=set)
    place: str = ""
    detail: str = ""
    quote: str = ""
    verification: str = ""
    appeal: str = ""
    state: str = ""
    state_label: str = ""
    source_numbers: list[int] = field(default_factory=list)
    other_accounts: list["Event"] = field(default_factory=list)
    internal_notes: str = ""
    record_id: str = ""
    appeal_id: object = None
    created_at: datetime | None = None
    # Record ids of events this one comes after whatever the dates say (cases.chronology).
    after: set = field(default_factory=set)
    # Ties on the same dates: a forum's steps in the order of its procedure.
    procedural_order: int = 0
    # A judgment's or Views' findings per Article and its awards; a recurring obligation's reports.
    findings: list[str] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    occurrences: list["Occurrence"] = field(default_factory=list)
    # A fact about a State names the appeals it bears on, each with what it means for that appeal; ``detail`` and
    # ``appeal`` read them all, ``mentioning_only`` a document's own.
    mentions: list["AppealMention"] = field(default_factory=list)
    detail_without_mentions: str = ""

    @property
    def verification_label(self) -> str:
        return _label(Verification, self.verification) if self.verification else ""

    @property
    def kind_label(self) -> str:
        return _translated_kind(self.kind, get_language())

    @property
    def iso_date(self) -> str:
        return self.when.anchor.isoformat()

    def mentioning_only(self, appeal_ids) -> "Event":
        """This event naming, of the appeals it mentions, only ``appeal_ids``: a document that leaves an appeal
        out (it concerns only people it withholds) must not name it through a fact about the State either."""
        if not self.mentions:
            return self
        kept = [mention for mention in self.mentions if mention.appeal_id in appeal_ids]
        return replace(
            self,
            appeal=", ".join(mention.label for mention in kept),
            detail=" ".join(filter(None, [self.detail_without_mentions, *(w for m in kept for w in m.warnings)])),
            mentions=kept,
        )

    def sort_key(self):
        return (
            *self.when.sort_key(),
            _KIND_ORDER[self.kind],
            self.procedural_order,
            self.created_at or timezone.now(),
            self.record_id,
        )


@dataclass
class AppealMention:
    appeal_id: object
    label: str
    warnings: list[str]


@dataclass
class Occurrence:
    """One report of a recurring obligation, for the compliance strip: met, late, missing, overdue or next."""

    number: int
    due: date
    state: str
    label: str


@dataclass
class Band:
    """One status from the report that says so until the next report (``until`` None: until now)."""

    status: str
    label: str
    family: str
    since: FuzzyDate
    until: FuzzyDate | None
    start: date
    end: date
    # Position on the drawing, in thousandths of the case's time span, ready for SVG attributes.
    x: str = "0"
    width: str = "0"

    @cached_property
    def period(self) -> str:
        # Read twice on the case page: the drawing's titles and the list beside it.
        return format_period(self.since, self.until)


@dataclass
class PersonRow:
    person_id: str
    label: str
    role: str
    bands: list[Band] = field(default_factory=list)


@dataclass
class Timeline:
    events: list[Event]
    sources: list[Source]
    people: list[PersonRow]
    span: tuple[date, date]
    as_of: date | None
    years: list[tuple[int, str]] = field(default_factory=list)
    # What the events were built from, for an export to reuse rather than read again: each membership
    # (with its person and identity), each person's reports in their one order, the case's appeals.
    memberships: list = field(default_factory=list)
    reports_by_person: dict = field(default_factory=dict)
    appeals: list = field(default_factory=list)
    appeal_people: dict = field(default_factory=dict)


@lru_cache(maxsize=64)
def _translated_kind(kind, language) -> str:
    return str(EventKind(kind).one)


@lru_cache(maxsize=1024)
def _translated(choices, value, language) -> str:
    return str(choices(value).label)


def _label(choices, value) -> str:
    # Model.get_FOO_display() rebuilds the translated choices on every call: a thousand events notice.
    return _translated(choices, value, get_language())


def _instances(model, db: str, names: list[str], rows) -> list:
    """``model``'s records from rows of all its columns (``names``, in their order), as ``Model.from_db`` makes
    them but without ``Model.__init__``, which sets each field through its descriptor and sends the init signals:
    a long case reads a thousand records, and that was 5 ms of its page. Where anything listens to those signals,
    the records are made the usual way."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return [model.from_db(db, names, row) for row in rows]
    records = []
    for row in rows:
        record = model.__new__(model)
        record.__dict__.update(zip(names, row, strict=True))
        state = record._state = ModelState()
        state.adding, state.db = False, db
        records.append(record)
    return records


def _read(records) -> list:
    """The records of a queryset, made by ``_instances``."""
    names = [field.attname for field in records.model._meta.concrete_fields]
    return _instances(records.model, records.db, names, records.values_list(*names))


class _Live:
    """Reads the records as they are now."""

    def __init__(self, case):
        self.case = case
        self._links: dict = {}

    def memberships(self):
        return CaseMembership.objects.filter(case=self.case).select_related("person__identity")

    def _with_links(self, model, records, **through_filter):
        # Source ids straight from the link table: no Source objects or related managers per record.
        through = model.sources.through
        owner = f"{model._meta.model_name}_id"
        links = through.objects.filter(**through_filter).values_list(owner, "source_id")
        for owner_id, source_id in links:
            self._links.setdefault((model, owner_id), []).append(source_id)
        return records

    def status_changes(self):
        changes = _read(StatusChange.objects.filter(case=self.case))
        return self._with_links(StatusChange, changes, statuschange__case=self.case)

    @cached_property
    def _appeals(self) -> dict:
        return {appeal.pk: appeal for appeal in _read(Appeal.objects.filter(case=self.case))}

    def _with_appeals(self, model, records) -> list:
        # The case's few appeals, each one object shared by its steps, deadlines and answers, rather than a copy
        # per row joined in by select_related.
        relation, records = model._meta.get_field("appeal"), _read(records)
        for record in records:
            if record.appeal_id in self._appeals:
                relation.set_cached_value(record, self._appeals[record.appeal_id])
        return records

    def steps(self):
        steps = self._with_appeals(AppealStep, AppealStep.objects.filter(appeal__case=self.case))
        return self._with_links(AppealStep, steps, appealstep__appeal__case=self.case)

    def deadlines(self):
        return self._with_appeals(Deadline, Deadline.objects.filter(appeal__case=self.case))

    def responses(self):
        responses = self._with_appeals(OfficialResponse, OfficialResponse.objects.filter(case=self.case))
        return self._with_links(OfficialResponse, responses, officialresponse__case=self.case)

    def findings(self):
        return ArticleFinding.objects.filter(step__appeal__case=self.case)

    def awards(self):
        return Award.objects.filter(step__appeal__case=self.case)

    def settled_occurrences(self):
        return DeadlineOccurrence.objects.filter(deadline__appeal__case=self.case)

    def state_facts(self, appeals):
        wanted = {(a.respondent_state, a.forum) for a in appeals if a.respondent_state}
        if not wanted:
            return []
        states = {state for state, _forum in wanted}
        return [f for f in StateFact.objects.filter(state__in=states) if (f.state, f.forum) in wanted]

    def appeals(self):
        return list(self._appeals.values())

    def sources(self):
        return _read(Source.objects.filter(case=self.case).order_by(*SOURCES_IN_ORDER))

    def appeal_people(self) -> dict:
        return _appeal_people(self.case)

    def source_ids(self, record) -> list:
        return self._links.get((type(record), record.pk), [])

    def today(self) -> date:
        return timezone.localdate()


class _AsKnownOn:
    """Reads the records as the audit history says they stood at the end of a given day."""

    def __init__(self, case, day: date):
        self.case = case
        self.day = day
        self.moment = timezone.make_aware(datetime.combine(day, time.max))
        self._history_ids: dict = {}
        self._links: dict = {}

    def _of(self, model, **filters) -> list:
        """The records matching ``filters`` as they stood at ``moment``: each one's latest history row by then,
        unless that row records its deletion.

        A row counts only if it is its record's latest, so a record that left the case (an appeal moved to
        another case) is not shown in it from then on. The latest row is found for each row by a subquery cut to
        one row, which the history's index on (record id, date, row id) answers in one descent (cases.history):
        a plan that does not hang on the planner's statistics, as simple-history's latest_of_each (NOT EXISTS a
        later row) does. Records are built straight from the columns, without a history instance each.
        """
        history = model.history.model
        pk_name = model._meta.pk.attname
        latest = (
            history._default_manager.filter(**{pk_name: OuterRef(pk_name)}, history_date__lte=self.moment)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        # No date condition here: the row the subquery picks was written by then, and a second condition on the
        # date would tempt a planner without statistics to read the whole table through the date's index.
        rows = (
            history._default_manager.filter(**filters)
            .filter(history_id=Subquery(latest))
            .exclude(history_type="-")
            .order_by()
        )
        tracked = {field.attname for field in history._meta.concrete_fields}
        names = [field.attname for field in model._meta.concrete_fields]
        # Fields kept out of the history (derived ones) take their defaults, as on a record not yet derived.
        untracked = {
            field.attname: field.get_default() for field in model._meta.concrete_fields if field.attname not in tracked
        }
        history_ids, values = [], []
        for history_id, *row in rows.values_list("history_id", *(name for name in names if name in tracked)):
            if untracked:
                read = iter(row)
                row = [untracked[name] if name in untracked else next(read) for name in names]
            history_ids.append(history_id)
            values.append(row)
        records = _instances(model, rows.db, names, values)
        for history_id, record in zip(history_ids, records, strict=True):
            self._history_ids[(model, record.pk)] = history_id
        return records

    def _with_links(self, model, records):
        if records and hasattr(model.history.model, "_history_m2m_fields"):
            links = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_sources")
            owners = {self._history_ids[(model, record.pk)]: record.pk for record in records}
            for history_id, source_id in links.objects.filter(history_id__in=list(owners)).values_list(
                "history_id", "source_id"
            ):
                self._links.setdefault((model, owners[history_id]), []).append(source_id)
        return records

    def memberships(self):
        rows = self._of(CaseMembership, case_id=self.case.pk)
        people = {
            p.pk: p for p in Person._base_manager.filter(pk__in=[r.person_id for r in rows]).select_related("identity")
        }
        for row in rows:
            row.person = people.get(row.person_id) or Person(pk=row.person_id, codename=_("(removed person)"))
        return rows

    def status_changes(self):
        return self._with_links(StatusChange, self._of(StatusChange, case_id=self.case.pk))

    @cached_property
    def _appeals(self) -> dict:
        return {appeal.pk: appeal for appeal in self._of(Appeal, case_id=self.case.pk)}

    @cached_property
    def _steps(self) -> list:
        steps = self._of(AppealStep, appeal_id__in=list(self._appeals))
        for step in steps:
            step.appeal = self._appeals[step.appeal_id]
        return self._with_links(AppealStep, steps)

    def steps(self):
        return self._steps

    @cached_property
    def _deadlines(self) -> list:
        return self._of(Deadline, appeal_id__in=list(self._appeals))

    @cached_property
    def _settled_occurrences(self) -> list:
        return self._of(DeadlineOccurrence, deadline_id__in=[deadline.pk for deadline in self._deadlines])

    def deadlines(self):
        settled = Counter(occurrence.deadline_id for occurrence in self._settled_occurrences)
        for deadline in self._deadlines:
            deadline.appeal = self._appeals[deadline.appeal_id]
            # Derived on each save and so kept out of the history: derived again from what was settled by then.
            deadline.next_due_on = deadline.next_due(settled[deadline.pk])
        return self._deadlines

    def settled_occurrences(self):
        return self._settled_occurrences

    def responses(self):
        responses = self._of(OfficialResponse, case_id=self.case.pk)
        for response in responses:
            response.appeal = self._appeals.get(response.appeal_id)
        return self._with_links(OfficialResponse, responses)

    def sources(self):
        return sorted(
            self._of(Source, case_id=self.case.pk), key=lambda s: (s.published_start or date.max, s.created_at)
        )

    def findings(self):
        return self._of(ArticleFinding, step_id__in=[step.pk for step in self._steps])

    def awards(self):
        return self._of(Award, step_id__in=[step.pk for step in self._steps])

    def state_facts(self, appeals):
        wanted = {(a.respondent_state, a.forum) for a in appeals if a.respondent_state}
        return [f for f in self._of(StateFact) if (f.state, f.forum) in wanted]

    def appeals(self):
        return list(self._appeals.values())

    def source_ids(self, record) -> list:
        return self._links.get((type(record), record.pk), [])

    def appeal_people(self) -> dict:
        # Who an appeal covers is read as it is now: the link table keeps no dates of its own.
        return _appeal_people(self.case)

    def today(self) -> date:
        return self.day


def _appeal_people(case) -> dict:
    covered = defaultdict(set)
    for appeal_id, person_id in Appeal.people.through.objects.filter(appeal__case=case).values_list(
        "appeal_id", "person_id"
    ):
        covered[appeal_id].add(person_id)
    return covered


def build_timeline(
    case, *, as_of: date | None = None, kinds=None, person_id=None, reveal_whereabouts: bool = False
) -> Timeline:
    """The case's timeline. Where people hide or were resettled is shown only with ``reveal_whereabouts``
    (``cases.models.may_see_identities`` of the reader)."""
    reader = _AsKnownOn(case, as_of) if as_of else _Live(case)
    memberships = reader.memberships()
    people = {}
    for membership in memberships:
        row = people.get(membership.person_id)
        if row is None:
            people[membership.person_id] = PersonRow(
                str(membership.person_id), person_label(membership.person), membership.get_role_display()
            )
        else:
            row.role = f"{row.role}, {membership.get_role_display()}"
    sources = reader.sources()
    numbers = {source.pk: index for index, source in enumerate(sources, start=1)}

    def cited(record):
        return sorted(numbers[pk] for pk in reader.source_ids(record) if pk in numbers)

    today = reader.today()
    reports_by_person = _reports_in_order(reader.status_changes())
    events = _status_events(reports_by_person, people, cited, reveal_whereabouts)
    appeals = reader.appeals()
    # Each appeal's label once: a long case names its few appeals on hundreds of steps, deadlines and answers.
    appeal_label = _appeal_labels(appeals)
    steps = list(reader.steps())
    events += _step_events(
        steps, cited, _labels_by(reader.findings(), "step_id"), _labels_by(reader.awards(), "step_id"), appeal_label
    )
    responses = reader.responses()
    settled = _by(reader.settled_occurrences(), "deadline_id")
    answers = {response.pk: response for response in responses}
    events += _deadline_events(reader.deadlines(), today, settled, appeal_label, answers)
    events += _response_events(responses, filings(steps), cited, appeal_label)
    events += _state_events(reader.state_facts(appeals), appeals)
    _add_bands(people, reports_by_person, today, as_of)
    # Appeal steps, deadlines and answers concern the people the appeal covers.
    covered = reader.appeal_people()
    for event in events:
        if event.appeal_id is not None:
            event.person_ids |= covered.get(event.appeal_id, set())

    if kinds:
        events = [e for e in events if e.kind in kinds]
    if person_id:
        events = [e for e in events if str(person_id) in {str(p) for p in e.person_ids}]
    events = chronological(events, key=Event.sort_key, ident=lambda e: e.record_id, after=lambda e: e.after)
    span = _span(people.values(), events, today)
    _place_bands(people.values(), span)
    return Timeline(
        events,
        sources,
        list(people.values()),
        span,
        as_of,
        _year_ticks(span),
        memberships=list(memberships),
        reports_by_person=reports_by_person,
        appeals=appeals,
        appeal_people=covered,
    )


def _reports_in_order(changes) -> dict:
    by_person = defaultdict(list)
    for change in changes:
        by_person[change.person_id].append(change)
    return {person_id: order_reports(reports) for person_id, reports in by_person.items()}


def _status_events(reports_by_person, people, cited, reveal_whereabouts) -> list[Event]:
    by_id = {}
    changes = [change for reports in reports_by_person.values() for change in reports]
    for change in changes:
        person = people.get(change.person_id)
        by_id[change.pk] = Event(
            kind="status",
            when=change.when,
            title=_label(Status, change.status),
            status=change.status,
            people=[person.label if person else _("(removed person)")],
            person_ids={change.person_id},
            place=change.whereabouts if reveal_whereabouts and change.status in WHEREABOUTS_STATUSES else change.place,
            detail=change.description,
            verification=change.verification,
            source_numbers=cited(change),
            internal_notes=change.internal_notes,
            record_id=str(change.pk),
            created_at=change.created_at,
        )
    # A report that disagrees with another is shown beside it, not as a separate event; a person's reports keep
    # their one order on the timeline too (cases.chronology).
    main = main_reports(changes)
    for reports in reports_by_person.values():
        for earlier, later in main_report_links(reports, main):
            by_id[later].after.add(str(earlier))
    events = []
    for change in changes:
        event = by_id[change.pk]
        if main[change.pk] != change.pk:
            by_id[main[change.pk]].other_accounts.append(event)
        else:
            events.append(event)
    return _merge_shared(events)


def _merge_shared(events: list[Event]) -> list[Event]:
    """People seized together get one event naming them all, not one copy each."""
    merged: dict[tuple, Event] = {}
    aliases: dict[str, str] = {}
    for event in events:
        if event.other_accounts:
            merged[(event.record_id,)] = event
            continue
        key = (
            event.title,
            event.when,
            event.place,
            event.detail,
            event.verification,
            tuple(event.source_numbers),
            event.internal_notes,
        )
        shared = merged.get(key)
        if shared is None:
            merged[key] = event
        else:
            shared.people += event.people
            shared.person_ids |= event.person_ids
            shared.after |= event.after
            aliases[event.record_id] = shared.record_id
    events = list(merged.values())
    # Whatever came after a merged copy comes after the event that stands for it.
    for event in events:
        event.after = {aliases.get(record_id, record_id) for record_id in event.after} - {event.record_id}
    return events


def _appeal_labels(appeals):
    """``label(record)``: the label of ``record``'s appeal, each of ``appeals`` labelled once; "" for none."""
    labels = {appeal.pk: _appeal_label(appeal) for appeal in appeals}

    def label(record) -> str:
        if record.appeal_id in labels:
            return labels[record.appeal_id]
        return _appeal_label(record.appeal) if record.appeal is not None else ""

    return label


def _appeal_label(appeal) -> str:
    """The appeal's title, and always where it went: "Complaint about the threats · Police / Ministry of ..."."""
    forum = _label(Forum, appeal.forum)
    where = f"{forum} {appeal.reference}" if appeal.reference else f"{forum} ({_label(AppealKind, appeal.kind)})"
    return f"{appeal.title} · {where}" if appeal.title else where


def _by(records, key: str) -> dict:
    grouped = defaultdict(list)
    for record in sorted(records, key=lambda r: r.created_at):
        grouped[getattr(record, key)].append(record)
    return grouped


def _labels_by(records, key: str) -> dict:
    return {owner: [record.label for record in group] for owner, group in _by(records, key).items()}


def _step_events(steps, cited, findings, awards, appeal_label) -> list[Event]:
    filing_of = filings(steps)
    events = []
    for step in steps:
        detail = step.description
        if step.response_due_on:
            due = _("Reply due by %(day)s.") % {"day": format_day(step.response_due_on)}
            # Staff's words stay as written: a dash, where they end without a full stop, keeps the two apart.
            ended = not detail or detail.rstrip().endswith((".", "!", "?", "…", ":"))
            detail = f"{detail.rstrip()}{' ' if ended else ' — '}{due}" if detail else due
        filing = filing_of.get(step.appeal_id)
        after = {str(filing.pk)} if follows_filing(step, filing) else set()
        events.append(
            Event(
                kind="interim" if step.step_type in INTERIM_STEP_STATE else "appeal",
                when=step.when,
                title=_label(StepType, step.step_type),
                appeal=appeal_label(step),
                appeal_id=step.appeal_id,
                detail=detail,
                source_numbers=cited(step),
                record_id=str(step.pk),
                created_at=step.created_at,
                after=after,
                procedural_order=step.procedural_order(),
                findings=findings.get(step.pk, []),
                awards=awards.get(step.pk, []),
            )
        )
    return events


def deadline_state(deadline, today: date) -> tuple[str, str]:
    """A deadline's state in a word for styling and in a phrase for reading; one home for the pages."""
    if deadline.is_recurring:
        return _recurring_state(deadline, today)
    if deadline.status == DeadlineStatus.MET:
        when = deadline.settled_when
        if when.precision == DatePrecision.DAY:
            return "met", _("Met on %(day)s") % {"day": when}
        return "met", _("Met — answered %(when)s") % {"when": when}
    if deadline.status == DeadlineStatus.MISSED:
        return "missed", _("Missed — answered %(day)s") % {"day": deadline.settled_when}
    days = deadline.days_left(today)
    if days < 0:
        return "overdue", _("Overdue by %(span)s") % {"span": _duration(-days)}
    if days == 0:
        return "upcoming", _("Due today")
    return "upcoming", ngettext("Due in %(days)d day", "Due in %(days)d days", days) % {"days": days}


def _duration(days: int) -> str:
    """Long delays in words a reader takes in at once, the exact count beside them."""
    if days < 60:
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
    years, months = divmod(days * 12 // 365, 12)
    words = []
    if years:
        words.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        words.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return _("%(words)s (%(days)d days)") % {"words": " ".join(words), "days": days}


def _recurring_state(deadline, today: date) -> tuple[str, str]:
    if deadline.status != DeadlineStatus.OPEN:
        return "met", _("Ended on %(day)s") % {"day": format_day(deadline.settled_on or deadline.repeat_until)}
    missing = [due for _n, due in deadline.occurrences(today - timedelta(days=1)) if due >= deadline.next_due_on]
    upcoming = _next_occurrence(deadline, today)
    next_text = _("next due %(day)s") % {"day": format_day(upcoming)} if upcoming else _("no more due")
    if missing:
        shown = ", ".join(format_day(day) for day in missing[-5:])
        text = ngettext(
            "%(count)d report not received (%(days)s); %(next)s",
            "%(count)d reports not received (%(days)s); %(next)s",
            len(missing),
        ) % {"count": len(missing), "days": shown if len(missing) <= 5 else f"… {shown}", "next": next_text}
        return "overdue", text
    return "upcoming", next_text[:1].upper() + next_text[1:]


def _next_occurrence(deadline, today: date) -> date | None:
    number = 1
    while (due := deadline.occurrence_due(number)) < today:
        number += 1
    if deadline.repeat_until and due > deadline.repeat_until:
        return None
    return due


def _received(occurrence, answers: dict) -> FuzzyDate:
    """When a report came, dated as the answer that brought it is (``as_answered``)."""
    answer = answers.get(occurrence.response_id)
    return as_answered(occurrence.received_on, answer.when if answer is not None else None)


def compliance(deadline, settled: list, today: date, answers: dict) -> list[Occurrence]:
    """Every report of a recurring obligation so far, and the next: received on time, late, never, overdue.
    ``answers``: the case's official responses by id, which may have brought them."""
    by_number = {occurrence.number: occurrence for occurrence in settled}
    due_so_far = deadline.occurrences(today)
    last = max([len(due_so_far), *by_number])
    strip = []
    for number in range(1, last + 1):
        due = deadline.occurrence_due(number)
        settled_one = by_number.get(number)
        if settled_one is not None and settled_one.status == OccurrenceStatus.MET:
            state, label = "met", _("received %(day)s") % {"day": _received(settled_one, answers)}
        elif settled_one is not None and settled_one.received_on:
            state, label = "late", _("received late, %(day)s") % {"day": _received(settled_one, answers)}
        elif settled_one is not None:
            state, label = "missing", _("never received")
        else:
            state, label = ("overdue", _("overdue")) if due < today else ("next", _("due"))
        strip.append(Occurrence(number, due, state, label))
    upcoming = _next_occurrence(deadline, today)
    if deadline.status == DeadlineStatus.OPEN and upcoming and (not strip or upcoming > strip[-1].due):
        strip.append(Occurrence(last + 1, upcoming, "next", _("next due")))
    return strip


def _deadline_events(deadlines, today, settled_occurrences, appeal_label, answers) -> list[Event]:
    events = []
    for deadline in deadlines:
        state, label = deadline_state(deadline, today)
        title = _("Due: %(what)s") % {"what": deadline.what}
        if deadline.is_recurring:
            title = _("Due %(every)s: %(what)s") % {"every": deadline.recurrence_label, "what": deadline.what}
        events.append(
            Event(
                kind="deadline",
                when=FuzzyDate.exact(deadline.due_on),
                title=title,
                occurrences=compliance(deadline, settled_occurrences.get(deadline.pk, []), today, answers)
                if deadline.is_recurring
                else [],
                appeal=appeal_label(deadline),
                appeal_id=deadline.appeal_id,
                detail=deadline.note,
                state=state,
                state_label=label,
                record_id=str(deadline.pk),
                created_at=deadline.created_at,
                after={str(deadline.origin_step_id)} if deadline.origin_step_id else set(),
            )
        )
    return events


def _response_events(responses, filings, cited, appeal_label) -> list[Event]:
    events = []
    for response in responses:
        who = ", ".join(filter(None, [response.official, response.body, response.state]))
        # An answer comes after its question: the step it answers, or else the appeal's filing.
        question = response.answers_step_id or getattr(filings.get(response.appeal_id), "pk", None)
        events.append(
            Event(
                kind="response",
                when=response.when,
                title=f"{_label(ResponseType, response.response_type)} — {who}",
                appeal=appeal_label(response),
                appeal_id=response.appeal_id,
                detail=response.summary,
                quote=response.quote,
                verification=response.verification,
                source_numbers=cited(response),
                record_id=str(response.pk),
                created_at=response.created_at,
                after={str(question)} if question else set(),
            )
        )
    return events


def _state_events(facts, appeals) -> list[Event]:
    events = []
    for fact in facts:
        mentions = []
        for appeal in (a for a in appeals if (a.respondent_state, a.forum) == (fact.state, fact.forum)):
            label = _appeal_label(appeal)
            mentions.append(AppealMention(appeal.pk, label, [f"{label}: {w}" for w in appeal.warnings([fact])]))
        event = Event(
            kind="state",
            when=FuzzyDate.exact(fact.on),
            title=f"{state_name(fact.state)}: {fact.what}",
            detail=fact.what_it_means,
            detail_without_mentions=fact.what_it_means,
            mentions=mentions,
            record_id=str(fact.pk),
            created_at=fact.created_at,
        )
        events.append(event.mentioning_only({mention.appeal_id for mention in mentions}))
    return events


def _add_bands(people, reports_by_person, today, as_of):
    """Each person's status bar, from the reports their current status is read from (cases.chronology)."""
    for person_id, reports in reports_by_person.items():
        if person_id not in people:
            continue
        counted = status_bar_reports(reports)
        # Each report's date read once: it is built from three columns on every read.
        whens = [report.when for report in counted]
        for report, when, following in zip(counted, whens, [*whens[1:], None], strict=True):
            start = when.anchor
            if following is not None:
                until, end = following, following.anchor
            else:
                until, end = (FuzzyDate.exact(as_of) if as_of else None), max(today, when.end or today)
            people[person_id].bands.append(
                Band(
                    report.status,
                    _label(Status, report.status),
                    STATUS_FAMILY.get(report.status, StatusFamily.UNKNOWN),
                    when,
                    until,
                    start,
                    max(end, start),
                )
            )


def _span(people, events, today) -> tuple[date, date]:
    # Facts about States are context: a case of 2026 is not drawn from Russia's 2022 departure on.
    events = [e for e in events if e.kind != EventKind.STATE]
    starts = [b.start for p in people for b in p.bands] + [e.when.anchor for e in events]
    if not starts:
        return today, today
    first = min(starts)
    ends = [e.when.end or e.when.anchor for e in events]
    return date(first.year, 1, 1), max(today, *ends) if ends else today


def _place_bands(people, span):
    total = max((span[1] - span[0]).days, 1)
    for person in people:
        for band in person.bands:
            band.x = f"{1000 * (band.start - span[0]).days / total:.1f}"
            band.width = f"{max(1000 * (band.end - band.start).days / total, 4):.1f}"


def _year_ticks(span) -> list[tuple[int, str]]:
    total = max((span[1] - span[0]).days, 1)
    return [
        (year, f"{1000 * (date(year, 1, 1) - span[0]).days / total:.1f}")
        for year in range(span[0].year, span[1].year + 1)
    ]
