"""Importing rows as staff would enter them: through the services, in one transaction, whole or not at all.

The dry run and the import are the same pass over the file. Rows are read a batch at a time (``BATCH``); the ids
a batch names, its own and those it refers to, are looked up together. Each row is checked cell by cell; new
people, people in cases and status changes, the rows a large file is made of, are then created with the rest
of their batch through ``cases.bulk.create_records``, which keeps every invariant ``save_record`` keeps for one
record (validation, history naming the importer and the file, encrypted identity, name search keys, current
statuses, who may see whom) in a few queries for the batch. Every other row (cases, sources, appeals, responses,
and every update) goes through the service function an admin form calls (``open_case``, ``file_appeal``… and
``save_record``), in a savepoint so that a refused row is reported and the next one tried. A refused row is
named with its column either way. The dry run then rolls everything back; the import commits only if no row was
refused, and otherwise rolls back too. So the preview says exactly what the import will do, checked by the
same rules.

Memory holds the ids of the file's cases, people, sources and appeals (which other rows refer to) and one batch
of rows, never the whole file.
"""

import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealStep, OfficialResponse
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases import keystore, search
from cases.bulk import INSERT_ROWS, create_records
from cases.duplicates import DuplicateFinder
from cases.enums import NameScheme, Script
from cases.fuzzydate import FuzzyDate, format_day, parse_day
from cases.history import attributed
from cases.models import Case, CaseMembership, NameVariant, Person, PersonIdentity, Source, StatusChange
from cases.services import add_source, open_case, refreshing_status_once, save_record
from imports import layout
from imports.enums import Outcome
from imports.models import ExternalId
from imports.reading import DateCell, ErrorValue, Formula

# What a report keeps of a large file: every count, and this many errors, possible duplicates and rows shown.
KEPT_ERRORS = 1000
KEPT_DUPLICATES = 1000
KEPT_ROWS = 300
# Rows read, looked up and written together: new people, people in cases and status changes are created a batch
# at a time (cases.bulk), and the ids a batch names are looked up in a few queries rather than a few per row.
BATCH = 1000
# Records kept at hand for the rows that follow (the most recently used): more than a batch names.
RECENT_RECORDS = 5000
# New people get their keys in batches of this many: one write to the key store each, not one per person.
KEY_BATCH = 500
_EXCEL_DAY = re.compile(r"^\d{5}(\.\d+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)

MODELS = {
    "cases": Case,
    "people": Person,
    "sources": Source,
    "status_changes": StatusChange,
    "appeals": Appeal,
    "appeal_steps": AppealStep,
    "responses": OfficialResponse,
}
# Model fields named in the services' refusals, and the column each is typed in.
FIELD_COLUMNS = {
    "person": "person_id",
    "case": "case_id",
    "appeal": "appeal_id",
    "step_type": "step",
    "response_due_on": "reply_due_on",
    "date_start": "when",
    "date_end": "when",
    "name": "other_names",
}


class CellError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class SheetPlan:
    """One sheet to import: what it holds and where each of our columns is in its rows."""

    sheet: str
    record_type: layout.RecordType
    positions: dict[str, int]


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    error_total: int = 0
    duplicates: list = field(default_factory=list)
    duplicate_total: int = 0
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def count(self, record_type: str, outcome: str) -> None:
        self.counts.setdefault(record_type, Counter())[outcome] += 1

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.error_total += 1
        self.errors.append({"sheet": sheet, "row": row, "column": column, "message": message})

    def keep_first(self, sheets: list[str]) -> None:
        """Keep the first rows and errors in the file's order. A batch's new records are reported when the batch is
        created, after rows of the batch refused while it was read: each list holds at most a batch more than it
        keeps until this runs, at the end of every batch."""
        position = {sheet: index for index, sheet in enumerate(sheets)}

        def in_file_order(entry):
            return position[entry["sheet"]], entry["row"]

        self.rows = sorted(self.rows, key=in_file_order)[:KEPT_ROWS]
        self.errors = sorted(self.errors, key=in_file_order)[:KEPT_ERRORS]

    def as_json(self) -> dict:
        return {
            "counts": {key: dict(counter) for key, counter in self.counts.items()},
            "errors": self.errors,
            "error_total": self.error_total,
            "duplicates": self.duplicates,
            "duplicate_total": self.duplicate_total,
            "rows": self.rows,
            "notes": self.notes,
        }


@dataclass
class _New:
    """A row whose record waits to be created with the rest of its batch; reported once it is."""

    plan: SheetPlan
    number: int
    values: dict
    external: str
    record: object
    detail: str = ""
    links: dict = field(default_factory=dict)
    identity: object = None
    names: list = field(default_factory=list)


class Blocked(CellError):
    """A row that names a row refused above it: not a mistake of its own, so not counted as one."""


class _Rollback(Exception):
    """Leaves the import's transaction without writing anything."""


def error_text(sheet: str, row: int, column: str, message: str) -> str:
    if column:
        return _("%(sheet)s, row %(row)d, column %(column)s: %(message)s") % {
            "sheet": sheet,
            "row": row,
            "column": column,
            "message": message,
        }
    return _("%(sheet)s, row %(row)d: %(message)s") % {"sheet": sheet, "row": row, "message": message}


class Importer:
    def __init__(self, *, book, plans: list[SheetPlan], user, reason: str, job=None, progress: Callable = None):
        self.book = book
        self.plans = sorted(plans, key=lambda p: layout.RECORD_TYPES.index(p.record_type))
        self.user = user
        self.reason = reason
        self.job = job
        self.progress = progress or (lambda done: None)
        self.report = Report()
        # Ids of this file, by record type: where each went (a record's id), or that its row was refused.
        self.ids: dict[str, dict[str, uuid.UUID]] = {key: {} for key in MODELS}
        self.failed: dict[str, set[str]] = {key: set() for key in MODELS}
        self.seen: dict[str, dict[str, int]] = {key: {} for key in MODELS}
        self.memberships_seen: set = set()
        self.new_people_rows: dict = {}
        self._key_pool: list[uuid.UUID] = []
        self._keys_made: list[uuid.UUID] = []
        # The records rows refer to most (cases, appeals, the person of the rows just read), not read again for
        # every row naming them; bounded, so that memory stays flat however long the file.
        self._records = _Recent(RECENT_RECORDS)
        self._finder = None
        self._last_refused = None
        self._current = None
        self.done = 0
        # Rows of the batch being read whose records are created together at its end.
        self._new: list[_New] = []
        # What the ids named by the batch being read are (a record, or None): looked up together.
        self._looked_up: dict[str, dict[str, list]] = {}

    # --- the pass ---------------------------------------------------------------------------

    def run(self, *, write: bool, before_commit: Callable | None = None) -> Report:
        """Read every row; commit only when ``write`` and no row was refused (then ``before_commit`` runs inside
        the transaction, e.g. to mark the job done with the records)."""
        committed = False
        try:
            with attributed(self.user, self.reason), transaction.atomic():
                with refreshing_status_once(), self.book.reading():
                    for plan in self.plans:
                        self._import_sheet(plan)
                if not write or self.report.error_total:
                    raise _Rollback
                if before_commit is not None:
                    before_commit(self.report)
                committed = True
        except _Rollback:
            pass
        finally:
            self._discard_unused_keys(committed)
        return self.report

    def _discard_unused_keys(self, committed: bool) -> None:
        unused = set(self._key_pool) if committed else set(self._keys_made)
        recorded = set(Person._base_manager.filter(pk__in=unused).values_list("pk", flat=True)) if unused else set()
        if unused - recorded:
            keystore.discard(unused - recorded)

    def _import_sheet(self, plan: SheetPlan) -> None:
        rows = self.book.rows(plan.sheet)
        while batch := list(islice(rows, BATCH)):
            batch = [(number, self._values(plan, cells)) for number, cells in batch]
            self._look_up(plan, [values for _number, values in batch])
            for number, values in batch:
                self._import_row(plan, number, values)
            self._create_new()
            self._looked_up = {}
            self.report.keep_first([p.sheet for p in self.plans])
            self.progress(self.done)

    @staticmethod
    def _values(plan, cells) -> dict:
        return {name: (cells[index] if index < len(cells) else "") for name, index in plan.positions.items()}

    def _import_row(self, plan, number, values) -> None:
        handler = getattr(self, f"_{plan.record_type.key}")
        try:
            with transaction.atomic():
                result = handler(plan, number, values)
        except Blocked as blocked:
            self._mark_failed(plan, values)
            self.report.count(plan.record_type.key, Outcome.BLOCKED)
            self._show(plan, number, values, Outcome.BLOCKED, blocked.message)
        except CellError as error:
            self._refused(plan, number, values, error.column, error.message)
        except ValidationError as error:
            for column, message in self._columns_of(plan, error):
                self._refused(plan, number, values, column, message)
        else:
            if isinstance(result, _New):
                self._new.append(result)
            else:
                outcome, _record_id, detail = result
                self.report.count(plan.record_type.key, outcome)
                self._show(plan, number, values, outcome, detail)
        self.done += 1
        if self.done % 100 == 0:
            self.progress(self.done)

    def _create_new(self) -> None:
        """Create the batch's new records through cases.bulk, as their rows would one by one: a refused record is
        reported on its row, and the ids of the others recorded for the next import."""
        new, self._new = self._new, []
        if not new:
            return
        refused: dict[int, list[ValidationError]] = {}
        self._create([n.record for n in new], [n.links for n in new], range(len(new)), refused)
        kept = [index for index in range(len(new)) if index not in refused]
        for part in ("identity", "names"):
            owners = [(index, record) for index in kept for record in _as_list(getattr(new[index], part))]
            self._create([record for _i, record in owners], None, [index for index, _r in owners], refused)
        written = [n for n in new if n.external and not n.record._state.adding]
        ExternalId.objects.bulk_create(
            (
                ExternalId(kind=n.plan.record_type.key, external_id=n.external, object_id=n.record.pk, job=self.job)
                for n in written
            ),
            batch_size=INSERT_ROWS,
        )
        for index, entry in enumerate(new):
            if index in refused:
                self.ids[entry.plan.record_type.key].pop(entry.external, None)
                for error in refused[index]:
                    for column, message in self._columns_of(entry.plan, error):
                        self._refused(entry.plan, entry.number, entry.values, column, message)
            else:
                self.report.count(entry.plan.record_type.key, Outcome.CREATE)
                self._show(entry.plan, entry.number, entry.values, Outcome.CREATE, entry.detail)

    def _create(self, records, links, positions, refused) -> None:
        if not records:
            return
        for index, error in create_records(records, by=self.user, reason=self.reason, links=links).items():
            refused.setdefault(positions[index], []).append(error)

    def _refused(self, plan, number, values, column, message) -> None:
        key = plan.record_type.key
        self._mark_failed(plan, values)
        if self._last_refused != (plan.sheet, number):
            self._last_refused = (plan.sheet, number)
            self.report.count(key, Outcome.ERROR)
            self._show(plan, number, values, Outcome.ERROR, message)
        self.report.error(plan.sheet, number, column, message)

    def _mark_failed(self, plan, values) -> None:
        """Rows naming this row's id are blocked by it rather than told the id does not exist."""
        external = values.get(plan.record_type.id_column) if plan.record_type.id_column else None
        if isinstance(external, str) and external:
            self.failed[plan.record_type.key].add(external)

    def _show(self, plan, number, values, outcome, detail="") -> None:
        if len(self.report.rows) < KEPT_ROWS + BATCH:
            id_column = plan.record_type.id_column
            shown_id = values.get(id_column, "") if id_column else ""
            self.report.rows.append(
                {
                    "sheet": plan.sheet,
                    "row": number,
                    "id": shown_id if isinstance(shown_id, str) else str(shown_id),
                    "outcome": str(outcome),
                    "detail": detail,
                }
            )

    def _columns_of(self, plan, error: ValidationError):
        names = set(plan.record_type.names)
        if hasattr(error, "error_dict"):
            for model_field, messages in error.message_dict.items():
                column = model_field if model_field in names else FIELD_COLUMNS.get(model_field, "")
                for message in messages:
                    yield column, message
        else:
            for message in error.messages:
                yield "", message

    # --- cells ------------------------------------------------------------------------------

    def _text(self, values, name, *, required=False) -> str:
        cell = values.get(name, "")
        if isinstance(cell, Formula):
            raise CellError(
                name,
                _(
                    "a formula (%(formula)s): formulas are never evaluated here. Copy the cells and paste them as "
                    "values."
                )
                % {"formula": cell.text[:60]},
            )
        if isinstance(cell, ErrorValue):
            raise CellError(name, _("the spreadsheet shows an error (%(value)s) here.") % {"value": cell.text})
        if isinstance(cell, DateCell):
            text = cell.day.isoformat()
        elif isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        else:
            text = str(cell).strip()
        if required and not text:
            raise CellError(name, _("this column is required."))
        return text

    def _choice(self, values, name, *, default="") -> str:
        text = self._text(values, name)
        if not text:
            return default
        column = self._column(name)
        value = layout.choice_value(column, text)
        if value is None:
            raise CellError(
                name,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(label) for label in column.choices.labels)},
            )
        return value

    def _column(self, name):
        return self._current.column(name)

    def _excel_day(self, name, cell):
        number = float(cell)
        day = _EXCEL_EPOCH.toordinal() + int(number)
        hint = format_day(date.fromordinal(day)) if 1 <= day - _EXCEL_EPOCH.toordinal() < 80000 else ""
        return CellError(
            name,
            _(
                "“%(value)s” looks like an Excel day number (%(day)s), not a date. Format the column as dates, or type "
                "the date as 8 Feb 2021."
            )
            % {"value": cell, "day": hint or "?"},
        )

    def _when(self, values, name, *, required=False) -> FuzzyDate | None:
        cell = values.get(name, "")
        if isinstance(cell, DateCell):
            return _date_cell(cell)
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise self._excel_day(name, cell)
        text = self._text(values, name, required=required)
        if not text:
            return None
        if _EXCEL_DAY.match(text):
            raise self._excel_day(name, text)
        try:
            return FuzzyDate.parse(text)
        except ValidationError as error:
            raise CellError(name, " ".join(error.messages)) from error

    def _day(self, values, name) -> date | None:
        cell = values.get(name, "")
        if isinstance(cell, DateCell) and cell.precision == "day":
            return cell.day
        if isinstance(cell, DateCell):
            raise CellError(name, _("the cell shows only a month or a year; give the day, e.g. 8 Feb 2021."))
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise self._excel_day(name, cell)
        text = self._text(values, name)
        if not text:
            return None
        if _EXCEL_DAY.match(text):
            raise self._excel_day(name, text)
        try:
            return parse_day(text)
        except ValidationError as error:
            raise CellError(name, " ".join(error.messages)) from error

    def _year(self, values, name) -> int | None:
        text = self._text(values, name)
        if not text:
            return None
        if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= timezone.localdate().year:
            raise CellError(name, _("“%(value)s” is not a year of birth.") % {"value": text})
        return int(text)

    def _list(self, values, name) -> list[str]:
        return [part.strip() for part in self._text(values, name).split(layout.LIST_SEPARATOR) if part.strip()]

    # --- ids ----------------------------------------------------------------------------------

    def _visible(self, kind):
        return MODELS[kind].objects.visible_to(self.user)

    def _existing(self, kind: str, external: str):
        """The record an id names among those the user may see: by an earlier import's id, or its own id (an
        exported sheet carries the tracker's ids)."""
        found = self._looked_up.get(kind, {}).get(external)
        if found is None:
            found = self._find(kind, [external]).get(external, [])
        if len(found) > 1:
            raise CellError(
                self._current.id_column,
                _("“%(id)s” names more than one record you can see; give each its own id.") % {"id": external},
            )
        return found[0] if found else None

    def _find(self, kind: str, externals) -> dict[str, list]:
        """What each id names among the records the user may see (at most two each: one is enough, two too many)."""
        found = {external: [] for external in externals}
        mapped = {}
        for external, object_id in ExternalId.objects.filter(kind=kind, external_id__in=list(found)).values_list(
            "external_id", "object_id"
        ):
            mapped.setdefault(object_id, []).append(external)
        if mapped:
            for record in self._visible(kind).filter(pk__in=list(mapped)):
                for external in mapped[record.pk]:
                    found[external] = found[external][:1] + [record]
        own_ids = {
            uuid.UUID(external): external for external, records in found.items() if not records and _is_uuid(external)
        }
        if own_ids:
            for record in self._visible(kind).filter(pk__in=list(own_ids)):
                found[own_ids[record.pk]] = [record]
        return found

    def _look_up(self, plan, rows: list[dict]) -> None:
        """Look up together what the batch's ids name: its own (new or known) and those it refers to."""
        wanted: dict[str, set] = {}
        id_column = plan.record_type.id_column
        for column in plan.record_type.columns:
            if column.name not in plan.positions or not (column.ref or column.name == id_column):
                continue
            kind = column.ref or plan.record_type.key
            for values in rows:
                external = values.get(column.name)
                if isinstance(external, str) and external.strip():
                    wanted.setdefault(kind, set()).add(external.strip())
        for kind, externals in wanted.items():
            in_file = {external for external in externals if external in self.ids[kind]}
            # Those at hand are marked used now, or the batch's own records would push them out before their row.
            uncached = [self.ids[kind][e] for e in in_file if self._records.get((kind, self.ids[kind][e])) is None]
            for record in MODELS[kind]._base_manager.filter(pk__in=uncached):
                self._records[(kind, record.pk)] = record
            self._looked_up[kind] = self._find(kind, externals - in_file - self.failed[kind])

    def _claim_id(self, plan, number, external: str) -> None:
        kind = plan.record_type.key
        earlier = self.seen[kind].get(external)
        if earlier is not None:
            raise CellError(
                plan.record_type.id_column,
                _("the id “%(id)s” is already used on row %(row)d of this sheet.") % {"id": external, "row": earlier},
            )
        self.seen[kind][external] = number

    def _remember(self, kind: str, external: str, record, *, known: bool) -> None:
        self.ids[kind][external] = record.pk
        self._records[(kind, record.pk)] = record
        if not known:
            ExternalId.objects.update_or_create(
                kind=kind, object_id=record.pk, defaults={"external_id": external, "job": self.job}
            )

    def _ref(self, values, name, *, required=True):
        column = self._column(name)
        external = self._text(values, name, required=required)
        if not external:
            return None
        return self._resolve(column.ref, external, name)

    def _resolve(self, kind: str, external: str, column: str):
        if external in self.ids[kind]:
            record_id = self.ids[kind][external]
            record = self._records.get((kind, record_id))
            if record is None:
                record = self._records[(kind, record_id)] = MODELS[kind]._base_manager.get(pk=record_id)
            return record
        if external in self.failed[kind]:
            raise Blocked(column, _("waits for “%(id)s”, whose row has an error.") % {"id": external})
        found = self._existing(kind, external)
        if found is None:
            raise CellError(
                column,
                _("no record with the id “%(id)s” in this file or among those you may see.") % {"id": external},
            )
        self.ids[kind][external] = found.pk
        self._records[(kind, found.pk)] = found
        return found

    # --- updates ------------------------------------------------------------------------------

    def _save_changes(self, record, fields: dict) -> bool:
        """Set the fields that differ; saved through the services when anything did. Empty cells change nothing."""
        changed = False
        for name, value in fields.items():
            if value in ("", None):
                continue
            if getattr(record, name) != value:
                setattr(record, name, value)
                changed = True
        if changed:
            save_record(record, by=self.user, reason=self.reason)
        return changed

    def _set_sources(self, record, sources) -> bool:
        if {s.pk for s in sources} == set(record.sources.values_list("pk", flat=True)):
            return False
        record.sources.set(sources)
        return True

    # --- the kinds of records -----------------------------------------------------------------

    def _start(self, plan, number, values) -> str:
        self._current = plan.record_type
        external = self._text(values, plan.record_type.id_column, required=True)
        self._claim_id(plan, number, external)
        return external

    def _cases(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("cases", external)
        known = record is not None
        reference = self._text(values, "reference")
        if reference:
            by_reference = Case.objects.visible_to(self.user).filter(reference__iexact=reference).first()
            if by_reference is None or (record is not None and record.pk != by_reference.pk):
                # The same words for a case of another team as for one that does not exist: no oracle.
                raise CellError(
                    "reference", _("no case %(reference)s among the cases you may see.") % {"reference": reference}
                )
            record = by_reference
        fields = {
            "title": self._text(values, "title"),
            "summary": self._text(values, "summary"),
            "region": self._text(values, "region"),
            "opened_on": self._day(values, "opened_on"),
            "confidentiality": self._choice(values, "confidentiality"),
            "internal_notes": self._text(values, "internal_notes"),
        }
        if record is not None:
            outcome = Outcome.UPDATE if self._save_changes(record, fields) else Outcome.UNCHANGED
        else:
            if not fields["title"]:
                raise CellError("title", _("a new case needs a title."))
            record = open_case(by=self.user, reason=self.reason, **{k: v for k, v in fields.items() if v})
            outcome = Outcome.CREATE
        self._remember("cases", external, record, known=known)
        return outcome, record.pk, record.reference

    def _new_person_id(self) -> uuid.UUID:
        if not self._key_pool:
            self._key_pool = [uuid.uuid4() for _n in range(KEY_BATCH)]
            keystore.create_keys(self._key_pool)
            self._keys_made.extend(self._key_pool)
        return self._key_pool.pop()

    @property
    def finder(self) -> DuplicateFinder:
        if self._finder is None:
            self._finder = DuplicateFinder(self.user)
        return self._finder

    def _people(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("people", external)
        person_fields = {
            "sensitivity": self._choice(values, "sensitivity"),
            "consent_publicity": self._choice(values, "consent_publicity"),
            "consent_partner_sharing": self._choice(values, "consent_partner_sharing"),
            "consent_un_submission": self._choice(values, "consent_un_submission"),
            "consent_recorded": self._when(values, "consent_recorded"),
            "consent_notes": self._text(values, "consent_notes"),
        }
        identity = {
            "legal_name": self._text(values, "legal_name"),
            "name_original_script": self._text(values, "name_original_script"),
            "birth_date": self._day(values, "birth_date"),
            "birth_year": self._year(values, "birth_year"),
            "contacts": self._text(values, "contacts"),
            "current_whereabouts": self._text(values, "current_whereabouts"),
        }
        names = self._list(values, "other_names")
        for name in names:
            if search.has_cyrillic(name) and not search.tokens(name):
                raise CellError("other_names", _("“%(name)s” has no letters.") % {"name": name})
        if record is None:
            record = Person(id=self._new_person_id(), **{k: v for k, v in person_fields.items() if v not in ("", None)})
            self._remember("people", external, record, known=True)
            detail = self._note_duplicates(plan, number, external, record, identity, names)
            self.new_people_rows[record.pk] = (plan.sheet, number, external)
            given = {k: v for k, v in identity.items() if v not in ("", None)}
            return _New(
                plan,
                number,
                values,
                external,
                record,
                detail,
                identity=PersonIdentity(person=record, **given) if given else None,
                names=[
                    NameVariant(person=record, name=name, script=_script(name), scheme=NameScheme.AS_IN_SOURCE)
                    for name in _distinct(names)
                ],
            )
        changed = self._save_changes(record, person_fields)
        current = record.identity_or_none
        if current is None and any(v not in ("", None) for v in identity.values()):
            save_record(
                PersonIdentity(person=record, **{k: v for k, v in identity.items() if v not in ("", None)}),
                by=self.user,
                reason=self.reason,
            )
            changed = True
        elif current is not None:
            changed = self._save_changes(current, identity) or changed
        known_names = {v.name.casefold() for v in NameVariant.objects.filter(person=record)}
        for name in _distinct(names):
            if name.casefold() not in known_names:
                save_record(
                    NameVariant(person=record, name=name, script=_script(name), scheme=NameScheme.AS_IN_SOURCE),
                    by=self.user,
                    reason=self.reason,
                )
                changed = True
        self._remember("people", external, record, known=True)
        return (Outcome.UPDATE if changed else Outcome.UNCHANGED), record.pk, record.codename

    def _note_duplicates(self, plan, number, external, person, identity, names) -> str:
        all_names = [identity["legal_name"], identity["name_original_script"], *names]
        birth_year = identity["birth_year"] or (identity["birth_date"].year if identity["birth_date"] else None)
        found = self.finder.of(names=all_names, birth_year=birth_year, exclude={person.pk})
        self.finder.add(person.pk, person.codename, names=[n for n in all_names if n], birth_year=birth_year)
        shown = []
        for duplicate in found:
            in_file = self.new_people_rows.get(duplicate.person_id)
            # A person made by this same file has no codename worth showing yet (a dry run draws a new one).
            of = _("row %(row)d (%(id)s)") % {"row": in_file[1], "id": in_file[2]} if in_file else duplicate.codename
            text = _("possible duplicate of %(of)s: %(why)s") % {"of": of, "why": duplicate.why}
            shown.append(text)
            self.report.duplicate_total += 1
            if len(self.report.duplicates) < KEPT_DUPLICATES:
                self.report.duplicates.append(
                    {"sheet": plan.sheet, "row": number, "id": external, "of": of, "why": duplicate.why}
                )
        return "; ".join(shown)

    def _case_people(self, plan, number, values):
        self._current = plan.record_type
        case = self._ref(values, "case_id")
        person = self._ref(values, "person_id")
        role = self._choice(values, "role")
        if not role:
            raise CellError("role", _("this column is required."))
        key = (case.pk, person.pk, role)
        if key in self.memberships_seen:
            raise CellError("role", _("this person already has this role in this case on an earlier row."))
        self.memberships_seen.add(key)
        note = self._text(values, "note")
        # Someone this file adds has no membership but those of its earlier rows, checked above.
        if person.pk not in self.new_people_rows:
            existing = CaseMembership.objects.filter(case=case, person=person, role=role).first()
            if existing is not None:
                changed = self._save_changes(existing, {"note": note})
                return (Outcome.UPDATE if changed else Outcome.UNCHANGED), existing.pk, ""
        return _New(plan, number, values, "", CaseMembership(case=case, person=person, role=role, note=note))

    def _sources_of(self, values, case) -> list:
        found = []
        for external in self._list(values, "sources"):
            source = self._resolve("sources", external, "sources")
            if source.case_id != case.pk:
                raise CellError("sources", _("the source “%(id)s” belongs to another case.") % {"id": external})
            found.append(source)
        return found

    def _sources(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("sources", external)
        case = self._ref(values, "case_id")
        fields = {
            "case": case,
            "source_type": self._choice(values, "source_type"),
            "title": self._text(values, "title", required=True),
            "publisher": self._text(values, "publisher"),
            "published": self._when(values, "published"),
            "url": self._text(values, "url"),
            "language": self._text(values, "language"),
            "reliability": self._choice(values, "reliability"),
        }
        if not fields["source_type"]:
            raise CellError("source_type", _("this column is required."))
        if record is not None:
            outcome = Outcome.UPDATE if self._save_changes(record, fields) else Outcome.UNCHANGED
        else:
            record = add_source(by=self.user, reason=self.reason, **{k: v for k, v in fields.items() if v})
            outcome = Outcome.CREATE
        self._remember("sources", external, record, known=outcome != Outcome.CREATE)
        return outcome, record.pk, ""

    def _status_changes(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("status_changes", external)
        case = self._ref(values, "case_id")
        person = self._ref(values, "person_id")
        status = self._choice(values, "status")
        if not status:
            raise CellError("status", _("this column is required."))
        when = self._when(values, "when", required=True)
        fields = {
            "place": self._text(values, "place"),
            "whereabouts": self._text(values, "whereabouts"),
            "description": self._text(values, "description"),
            "verification": self._choice(values, "verification"),
            "internal_notes": self._text(values, "internal_notes"),
        }
        sources = self._sources_of(values, case)
        if record is not None:
            changed = self._save_changes(
                record, {"case": case, "person": person, "status": status, "when": when, **fields}
            )
            changed = self._set_sources(record, sources) or changed
            outcome = Outcome.UPDATE if changed else Outcome.UNCHANGED
            self._remember("status_changes", external, record, known=True)
            return outcome, record.pk, ""
        record = StatusChange(person=person, case=case, status=status, **{k: v for k, v in fields.items() if v})
        record.when = when
        self._remember("status_changes", external, record, known=True)
        return _New(plan, number, values, external, record, links={"sources": sources} if sources else {})

    def _appeals(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("appeals", external)
        case = self._ref(values, "case_id")
        fields = {
            "forum": self._choice(values, "forum"),
            "kind": self._choice(values, "kind"),
            "reference": self._text(values, "reference"),
            "title": self._text(values, "title"),
            "filed": self._when(values, "filed"),
            "respondent_state": self._text(values, "respondent_state").upper(),
            "facts": self._when(values, "facts"),
            "filed_by": self._text(values, "filed_by"),
            "notes": self._text(values, "notes"),
        }
        for required in ("forum", "kind"):
            if not fields[required]:
                raise CellError(required, _("this column is required."))
        people = [
            self._resolve("people", external_person, "people") for external_person in self._list(values, "people")
        ]
        if record is not None:
            changed = self._save_changes(record, {"case": case, **fields})
            if people and {p.pk for p in people} != set(record.people.values_list("pk", flat=True)):
                record.people.set(people)
                save_record(record, by=self.user, reason=self.reason)
                changed = True
            outcome = Outcome.UPDATE if changed else Outcome.UNCHANGED
        else:
            record = file_appeal(
                by=self.user, reason=self.reason, case=case, people=people, **{k: v for k, v in fields.items() if v}
            )
            outcome = Outcome.CREATE
        self._remember("appeals", external, record, known=outcome != Outcome.CREATE)
        return outcome, record.pk, str(record)

    def _appeal_steps(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("appeal_steps", external)
        appeal = self._ref(values, "appeal_id")
        step_type = self._choice(values, "step")
        if not step_type:
            raise CellError("step", _("this column is required."))
        when = self._when(values, "when", required=True)
        fields = {
            "description": self._text(values, "description"),
            "response_due_on": self._day(values, "reply_due_on"),
        }
        sources = self._sources_of(values, appeal.case)
        if record is not None:
            changed = self._save_changes(record, {"appeal": appeal, "step_type": step_type, "when": when, **fields})
            changed = self._set_sources(record, sources) or changed
            outcome = Outcome.UPDATE if changed else Outcome.UNCHANGED
        else:
            record = add_appeal_step(
                by=self.user,
                reason=self.reason,
                appeal=appeal,
                step_type=step_type,
                when=when,
                sources=sources,
                **{k: v for k, v in fields.items() if v},
            )
            outcome = Outcome.CREATE
        self._remember("appeal_steps", external, record, known=outcome != Outcome.CREATE)
        return outcome, record.pk, ""

    def _responses(self, plan, number, values):
        external = self._start(plan, number, values)
        record = self._existing("responses", external)
        case = self._ref(values, "case_id")
        appeal = self._ref(values, "appeal_id", required=False)
        if appeal is not None and appeal.case_id != case.pk:
            raise CellError("appeal_id", _("this appeal belongs to another case."))
        response_type = self._choice(values, "response_type")
        if not response_type:
            raise CellError("response_type", _("this column is required."))
        when = self._when(values, "when", required=True)
        fields = {
            "appeal": appeal,
            "state": self._text(values, "state"),
            "body": self._text(values, "body"),
            "official": self._text(values, "official"),
            "summary": self._text(values, "summary"),
            "quote": self._text(values, "quote"),
            "verification": self._choice(values, "verification"),
        }
        sources = self._sources_of(values, case)
        if record is not None:
            changed = self._save_changes(record, {"case": case, "response_type": response_type, "when": when, **fields})
            changed = self._set_sources(record, sources) or changed
            outcome = Outcome.UPDATE if changed else Outcome.UNCHANGED
        else:
            record = record_official_response(
                by=self.user,
                reason=self.reason,
                case=case,
                response_type=response_type,
                when=when,
                sources=sources,
                **{k: v for k, v in fields.items() if v},
            )
            outcome = Outcome.CREATE
        self._remember("responses", external, record, known=outcome != Outcome.CREATE)
        return outcome, record.pk, ""


class _Recent(OrderedDict):
    """A dictionary that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _date_cell(cell: DateCell) -> FuzzyDate:
    """A date Excel stores as a day, as precise as the cell shows it: "Feb-19" is February, not 1 February."""
    day = cell.day
    if cell.precision == "month":
        return FuzzyDate.parse(f"{day.year}-{day.month:02d}")
    if cell.precision == "year":
        return FuzzyDate.parse(str(day.year))
    return FuzzyDate.exact(day)


def _script(name: str) -> str:
    return Script.CYRILLIC if search.has_cyrillic(name) else Script.LATIN


def _distinct(names: list[str]) -> list[str]:
    seen, kept = set(), []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept
