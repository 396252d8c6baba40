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

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from cases.datefields import fuzzy_date_properties
from cases.fuzzydate import FuzzyDate, format_day, format_moment

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


def _display(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get(str(value), _("(deleted record)"))
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


def _names_for(model, historical_rows) -> dict[str, str]:
    """str() of every record the rows point to, fetched in one query per related model."""
    wanted = defaultdict(set)
    for row in historical_rows:
        for f in model._meta.concrete_fields:
            if f.is_relation and getattr(row, f.attname, None) is not None:
                wanted[f.related_model].add(getattr(row, f.attname))
        for m2m in model._meta.many_to_many:
            for through_row in getattr(row, "_m2m_cache", {}).get(m2m.name, []):
                wanted[m2m.related_model].add(through_row[m2m.m2m_reverse_field_name() + "_id"])
    names = {}
    for related, pks in wanted.items():
        manager = related._base_manager
        for obj in manager.filter(pk__in=pks):
            names[str(obj.pk)] = str(obj)
    return names


def history_entries(querysets) -> list[HistoryEntry]:
    """Entries, newest first, for every historical row in ``querysets`` (one per tracked model)."""
    entries = []
    for queryset in querysets:
        historical_model = queryset.model
        model = historical_model.instance_type
        rows = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        m2m_fields = (
            [f for f in model._meta.many_to_many if f.name in {m.name for m in historical_model._history_m2m_fields}]
            if hasattr(historical_model, "_history_m2m_fields")
            else []
        )
        for row in rows:
            row._m2m_cache = {f.name: list(getattr(row, f.name).values()) for f in m2m_fields}
        names = _names_for(model, rows)
        pk_name = model._meta.pk.attname
        previous_by_id = {}
        for row in rows:
            key = getattr(row, pk_name)
            previous = previous_by_id.get(key)
            previous_by_id[key] = row
            changes = _changes(model, m2m_fields, previous, row, names)
            if row.history_type == "~" and not changes:
                continue
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    user=str(row.history_user) if row.history_user else _("system"),
                    record_kind=str(model._meta.verbose_name).capitalize(),
                    record=row.history_object.__str__() if row.history_type != "-" else _str_or_id(row),
                    action=str(ACTIONS[row.history_type]),
                    reason=row.history_change_reason or "",
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _str_or_id(row) -> str:
    try:
        return str(row.instance)
    except Exception:  # a deleted record whose relations are gone too
        return str(row.pk)


def _changes(model, m2m_fields, previous, row, names) -> list[FieldChange]:
    if row.history_type == "-":
        return []
    changes = []
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
        changes.append(FieldChange(str(f.verbose_name), _display(f, old, names), _display(f, new, names)))
    for reported in fuzzy_date_properties(model).values():
        new, old = _reported_date(row, reported), _reported_date(previous, reported) if previous else None
        if new != old and (previous is not None or new is not None):
            changes.append(FieldChange(str(reported.verbose_name), str(old or "—"), str(new or "—")))
    for f in m2m_fields:
        new = _m2m_targets(model, f.name, row._m2m_cache[f.name])
        old = _m2m_targets(model, f.name, previous._m2m_cache[f.name]) if previous else set()
        if new != old:
            show = lambda pks: ", ".join(sorted(names.get(pk, _("(deleted record)")) for pk in pks)) or "—"  # noqa: E731
            changes.append(FieldChange(str(f.verbose_name), show(old), show(new)))
    return changes
