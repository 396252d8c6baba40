"""The history of changes: who changed a record, when and why, and reading it back field by field.

django-simple-history takes the user from the request and the reason from the
instance. Records changed as a side effect (cascaded deletes, derived rows,
records saved by a command) have neither, so the services also put the user and
reason of the whole operation in a context that every history row falls back on.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from cases.datefields import fuzzy_date_properties
from cases.fuzzydate import FuzzyDate, format_day, format_moment
from cases.reasons import readable

_attribution: contextvars.ContextVar = contextvars.ContextVar("history_attribution", default=None)


@contextmanager
def attributed(user, reason: str):
    token = _attribution.set((user, reason))
    try:
        yield
    finally:
        _attribution.reset(token)


class AuditedHistory(HistoricalRecords):
    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        # "As known on" reads each record's latest row by a given moment (appeals/timeline.py): this index finds it
        # in one descent, already in order, so the database takes it whether or not it has statistics on the table.
        options["indexes"] = [models.Index(fields=[model._meta.pk.attname, "history_date", "history_id"])]
        return options

    def fields_included(self, model):
        # Columns the database computes from others (a date's year and month) are not what anyone wrote.
        return [field for field in super().fields_included(model) if not field.generated]

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if reason:
            return reason
        context = _attribution.get()
        return context[1] if context else None

    def get_history_user(self, instance):
        context = _attribution.get()
        if context and not hasattr(instance, "_history_user"):
            return context[0]
        return super().get_history_user(instance)

    def create_historical_record_m2ms(self, history_instance, instance):
        # simple-history reads each link joined to both of its related rows; the snapshot needs only the keys.
        for m2m_field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[m2m_field]
            through_model = getattr(instance, m2m_field.name).through
            attnames = [f.attname for f in through_model._meta.fields]
            links = through_model.objects.filter(**{get_m2m_field_name(m2m_field): instance}).values_list(*attnames)
            m2m_history_model.objects.bulk_create(
                m2m_history_model(history=history_instance, **dict(zip(attnames, link, strict=True))) for link in links
            )


# When a record may be shown: stretches of time [from, until), until None for "still".
Spans = list[tuple[datetime, datetime | None]]
ALWAYS: Spans = [(datetime.min.replace(tzinfo=UTC), None)]


def _overlap(spans: Spans, start: datetime, end: datetime | None) -> Spans:
    kept = []
    for span_start, span_end in spans:
        lower = max(span_start, start)
        upper = min((t for t in (span_end, end) if t is not None), default=None)
        if upper is None or lower < upper:
            kept.append((lower, upper))
    return kept


def rows_under_shown_parents(queryset, parent: str, parent_spans) -> tuple:
    """The history rows of ``queryset`` written while their record sat under a parent the reader may see.

    A record moved to another parent (an appeal to another case, a step to another appeal) takes its later
    rows along and leaves its earlier ones behind: each row holds from its date until the record's next row.
    ``parent_spans(parent id)`` says when that parent may be shown. Returns the rows, filtered, and when each
    record may be shown, for its own children in turn.
    """
    pk = queryset.model.instance_type._meta.pk.attname
    rows = queryset.order_by(pk, "history_date", "history_id").values_list(pk, "history_date", parent, "history_id")
    shown_rows, spans = [], defaultdict(list)
    for record_id, group in groupby(rows, key=itemgetter(0)):
        group = list(group)
        ends = [row[1] for row in group[1:]] + [None]
        for (_record, start, parent_id, history_id), end in zip(group, ends, strict=True):
            kept = _overlap(parent_spans(parent_id), start, end)
            if kept and kept[0][0] == start:
                shown_rows.append(history_id)
            spans[record_id].extend(kept)
    return queryset.filter(history_id__in=shown_rows), spans


ACTIONS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
# Bookkeeping columns that change on every save and say nothing to a reader.
_SILENT_FIELDS = {"updated_at", "created_at", "version"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    user: str
    record_kind: str
    record: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


# How a field's stored value reads in a history entry where plain display would mislead, registered by the apps
# above (appeals: a deadline's "what is due" proposed by a rule reads in the reader's language):
# {(model, field name): function(historical row, value) -> text}.
VALUE_READERS: dict = {}


def _display(model_field, value, name_of) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return name_of(value) or _("(deleted record)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, date):
        return format_day(value)
    if isinstance(model_field, models.FileField):
        return _("file attached") if value else "—"
    return str(value)


def _reported_date(row, reported) -> FuzzyDate | None:
    start, end, precision = (getattr(row, column, None) for column in reported.columns)
    return FuzzyDate(start, end, precision) if precision else None


def _m2m_targets(model, field_name: str, rows) -> set[str]:
    target = model._meta.get_field(field_name).m2m_reverse_field_name() + "_id"
    return {str(row[target]) for row in rows or []}


@dataclass
class _Version:
    """One historical row worth showing, beside the row of the same record before it."""

    model: type
    row: object
    previous: object | None
    # (kind, field, old, new): "field" a column, "date" a reported date, "m2m" the keys of the links.
    changed: list


def _links_by_row(queryset, m2m_fields) -> dict:
    """The links each row had, one query per many-to-many field however many rows there are."""
    links = {}
    for m2m in m2m_fields:
        link_model = getattr(queryset.model, m2m.name).model
        by_row = defaultdict(list)
        for link in link_model.objects.filter(history__in=queryset.values("history_id")).values():
            by_row[link["history_id"]].append(link)
        links[m2m.name] = by_row
    return links


def _versions(querysets) -> list[_Version]:
    """Every row of ``querysets`` (one per tracked model) that changed something, newest first.

    Reads all the rows, compares each with the one before it and names nothing yet: naming is left to the
    rows shown (``_entries``), so a long history costs the same number of queries as a short one.
    """
    versions = []
    for queryset in querysets:
        historical_model = queryset.model
        model = historical_model.instance_type
        m2m_fields = (
            [f for f in model._meta.many_to_many if f.name in {m.name for m in historical_model._history_m2m_fields}]
            if hasattr(historical_model, "_history_m2m_fields")
            else []
        )
        rows = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        links = _links_by_row(queryset, m2m_fields)
        for row in rows:
            row._m2m_cache = {f.name: links[f.name].get(row.history_id, []) for f in m2m_fields}
        pk_name = model._meta.pk.attname
        previous_by_id = {}
        for row in rows:
            key = getattr(row, pk_name)
            previous = previous_by_id.get(key)
            previous_by_id[key] = row
            changed = _changed(model, m2m_fields, previous, row)
            if row.history_type == "~" and not changed:
                continue
            versions.append(_Version(model, row, previous, changed))
    # Stable: rows of the same moment keep the order of their querysets.
    versions.sort(key=lambda v: v.row.history_date, reverse=True)
    return versions


def _changed(model, m2m_fields, previous, row) -> list:
    if row.history_type == "-":
        return []
    changed = []
    tracked = [
        f for f in model._meta.concrete_fields if f.editable and f.name not in _SILENT_FIELDS and not f.primary_key
    ]
    for f in tracked:
        new = getattr(row, f.attname, None)
        old = getattr(previous, f.attname, None) if previous else None
        if previous is None and (new is None or new == ""):
            continue
        if previous is not None and old == new:
            continue
        changed.append(("field", f, old, new))
    for reported in fuzzy_date_properties(model).values():
        new, old = _reported_date(row, reported), _reported_date(previous, reported) if previous else None
        if new != old and (previous is not None or new is not None):
            changed.append(("date", reported, old, new))
    for f in m2m_fields:
        new = _m2m_targets(model, f.name, row._m2m_cache[f.name])
        old = _m2m_targets(model, f.name, previous._m2m_cache[f.name]) if previous else set()
        if new != old:
            changed.append(("m2m", f, old, new))
    return changed


def _related_records(versions) -> dict:
    """Every record the versions point to, by (model, str(pk)), in one query per related model."""
    wanted = defaultdict(set)
    for version in versions:
        model = version.model
        for row in filter(None, (version.row, version.previous)):
            for f in model._meta.concrete_fields:
                if f.is_relation and getattr(row, f.attname, None) is not None:
                    wanted[f.related_model].add(getattr(row, f.attname))
        for kind, f, old, new in version.changed:
            if kind == "m2m":
                wanted[f.related_model].update(old | new)
    return {
        (related, str(obj.pk)): obj
        for related, pks in wanted.items()
        for obj in select_required_relations(related._base_manager.filter(pk__in=pks))
    }


def select_required_relations(queryset, *, but: str = ""):
    """``queryset`` with its records' required foreign keys (``but`` one), the relations a ``str()`` reads
    (a status change names its person): naming each record then costs no query of its own."""
    model = queryset.model
    required = [f.name for f in model._meta.concrete_fields if f.is_relation and not f.null and f.name != but]
    return queryset.select_related(*required) if required else queryset


def _record_label(version, records) -> str:
    """str() of the record as this row has it, its relations taken from ``records`` rather than queried."""
    instance = version.row.history_object
    for f in version.model._meta.concrete_fields:
        related = records.get((f.related_model, str(getattr(instance, f.attname, None)))) if f.is_relation else None
        # One that is gone is left to be looked up, and found missing, only if str() reads it.
        if related is not None:
            f.set_cached_value(instance, related)
    try:
        return str(instance)
    except Exception:  # a record whose relations are gone too
        return _("(deleted record)")


def _entries(versions, records) -> list[HistoryEntry]:
    names = {key: str(obj) for key, obj in records.items()}
    return [
        HistoryEntry(
            when=version.row.history_date,
            user=str(version.row.history_user) if version.row.history_user else _("system"),
            record_kind=str(version.model._meta.verbose_name).capitalize(),
            record=_record_label(version, records),
            action=str(ACTIONS[version.row.history_type]),
            reason=readable(version.row.history_change_reason or ""),
            changes=[_described(change, names, version) for change in version.changed],
        )
        for version in versions
    ]


def _described(change, names, version) -> FieldChange:
    kind, f, old, new = change
    if kind == "field":
        related = (lambda value: names.get((f.related_model, str(value)))) if f.is_relation else None
        reader = VALUE_READERS.get((version.model, f.name))
        shown = (
            (lambda value: reader(version.row, value) or "—") if reader else (lambda value: _display(f, value, related))
        )
        return FieldChange(str(f.verbose_name), shown(old), shown(new))
    if kind == "date":
        return FieldChange(str(f.verbose_name), str(old or "—"), str(new or "—"))

    def show(pks):
        return ", ".join(sorted(names.get((f.related_model, pk), _("(deleted record)")) for pk in pks)) or "—"

    return FieldChange(str(f.verbose_name), show(old), show(new))


def history_entries(querysets) -> list[HistoryEntry]:
    """Entries, newest first, for every historical row in ``querysets`` (one per tracked model)."""
    versions = _versions(querysets)
    return _entries(versions, _related_records(versions))


HISTORY_PER_PAGE = 100


def history_page(querysets, number, per_page: int = HISTORY_PER_PAGE) -> Page:
    """One page of ``history_entries``, ``number`` counted from the newest.

    Every row is read and compared with the one before it, to know which pages hold what; only this page's
    are described. The records they point to are read for the whole history, one query per kind of record,
    so that every page of every history costs the same queries whichever kinds its rows happen to name.
    """
    versions = _versions(querysets)
    page = Paginator(versions, per_page).get_page(number)
    page.object_list = _entries(page.object_list, _related_records(versions))
    return page
