"""The one way in for every change to case records.

Admin forms, the demo loader, commands and tests all call ``save_record`` and
``delete_record``. Each validates, runs in one transaction, attributes the
history rows to a user and a reason, and keeps derived data (current status,
name search keys, appeal stage, proposed deadlines) in step with the change.
"""

import contextvars
import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases import keystore, uploads
from cases.chronology import current_report, order_reports
from cases.crypto import encrypt_bytes, reencrypt_bytes, rewrite_stored
from cases.fuzzydate import FuzzyDate, format_moment
from cases.history import attributed
from cases.models import (
    Case,
    CaseMembership,
    IdentityErasure,
    NameKey,
    NameVariant,
    Person,
    PersonIdentity,
    Source,
    StatusChange,
    new_case_reference,
    new_codename,
)
from cases.search import name_digests

logger = logging.getLogger(__name__)

# What follows a save or a delete, per model and moment: each app registers its own from its AppConfig.ready()
# (register_hooks below, appeals.services.register_hooks), so the list of what runs is in one place per app.
MOMENTS = ("before_save", "after_save", "before_delete", "after_delete")
_hooks: dict[str, dict[type, list[Callable]]] = {moment: {} for moment in MOMENTS}


def register(model, **hooks_by_moment):
    """Run functions at a moment of every save_record / delete_record of ``model``.

    before_save: checks and derives on the record itself, after validation, inside the transaction;
    after_save: keeps derived records in step; before_delete: notes what a delete takes with it.
    """
    for moment, functions in hooks_by_moment.items():
        registered = _hooks[moment].setdefault(model, [])
        registered.extend(f for f in functions if f not in registered)


def _run(moment: str, obj, **kwargs) -> None:
    for hook in _hooks[moment].get(type(obj), []):
        hook(obj, **kwargs)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a short reason for this change; it is kept in the history."))
    return reason


def save_record(obj, *, by, reason: str, validate: bool = True, **context):
    """Create or change one record, with history attributed to ``by`` and ``reason``.

    ``context`` carries what a form knows that the database does not yet (for
    example the people added to a case in the same submission).
    """
    reason = _require_reason(reason)
    adding = obj._state.adding
    with attributed(by, reason), transaction.atomic():
        if validate:
            obj.full_clean()
        if not adding and hasattr(obj, "version"):
            _claim_next_version(obj)
        _run("before_save", obj, adding=adding, by=by, **context)
        obj._history_user = by
        obj._change_reason = reason
        obj.save()
        _run("after_save", obj, adding=adding, by=by)
    return obj


class EditConflict(ValidationError):
    """Someone else saved the record after this edit began; nothing of this edit is saved."""


def _claim_next_version(obj) -> None:
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("version", flat=True).first()
    seen = getattr(obj, "_seen_version", None)
    if current is not None and seen is not None and seen != current:
        raise EditConflict(conflict_message(obj), code="conflict")
    obj.version = (current or obj.version) + 1


def conflict_message(obj) -> str:
    """What the other person changed, so the second editor can redo their edit knowingly."""
    from cases.history import history_entries

    pk_name = type(obj)._meta.pk.attname
    latest = next(iter(history_entries([type(obj).history.filter(**{pk_name: obj.pk})])), None)
    if latest is None:
        return _("Someone else changed this record while you were editing it. Reload the page and redo your edit.")
    changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in latest.changes) or _("no visible field")
    return _(
        "%(user)s saved this record at %(when)s while you were editing it (reason: “%(reason)s”; changed: "
        "%(changes)s). Your edit was not saved: reload the page to see their version, then redo your edit."
    ) % {"user": latest.user, "when": format_moment(latest.when), "reason": latest.reason, "changes": changes}


def delete_record(obj, *, by, reason: str):
    reason = _require_reason(reason)
    with attributed(by, reason), transaction.atomic():
        obj._history_user = by
        obj._change_reason = reason
        _run("before_delete", obj, by=by)
        obj.delete()
        _run("after_delete", obj, by=by)


def _check_person_in_case(change: StatusChange, *, people_in_case=None, **_ignored):
    change.check_person_in_case(people_in_case)


def _draw_free_reference(case: Case, *, adding: bool, **_ignored):
    # Random references collide now and then in a large register: draw again rather than fail.
    while adding and Case.objects.filter(reference=case.reference).exists():
        case.reference = new_case_reference()


def _new_person(person: Person, *, adding: bool, by, **_ignored):
    if not adding:
        return
    if person.created_by_id is None and by is not None and by.pk:
        person.created_by = by
    while Person.objects.filter(codename=person.codename).exists():
        person.codename = new_codename()


def _not_erased(record, **_ignored):
    # An erased person's key is gone for good: nothing more can be recorded of who they are.
    if keystore.is_erased(record.person_id):
        raise ValidationError(_("This person's identity was erased; record them as a new person if need be."))


def _check_source_file(source: Source, *, adding: bool, **_ignored):
    if not adding:
        stored = Source.objects.filter(pk=source.pk).values("file", "original").first() or {}
        if any(stored.get(field) and getattr(source, field).name != stored[field] for field in ("file", "original")):
            raise ValidationError(
                {"file": _("An attached file is evidence and is never replaced; add a new source instead.")}
            )
    if source.file and not source.file._committed:
        upload = uploads.prepare(source.file)
        source.media_type = upload.media_type
        source.sha256 = hashlib.sha256(upload.original).hexdigest()
        source.served_sha256 = hashlib.sha256(upload.served).hexdigest()
        # Evidence (photos, passports, letters) names people as surely as the identity fields do.
        source.original = ContentFile(encrypt_bytes(upload.original), name="original")
        source.file = ContentFile(encrypt_bytes(upload.served), name="evidence")


def reencrypt_source_files() -> int:
    """Re-encrypt every attached file, served copies and originals, with the first key of FIELD_ENCRYPTION_KEYS
    (key rotation).

    Deleted sources count too: their files stay on disk so that an administrator can restore them.
    """
    storage = Source._meta.get_field("file").storage
    names = set()
    for field in ("file", "original"):
        names.update(Source.history.exclude(**{field: ""}).values_list(field, flat=True).distinct())
    present = [name for name in sorted(names) if storage.exists(name)]
    for name in present:
        rewrite_stored(storage, name, reencrypt_bytes)
    return len(present)


def _creator_joins_team(case: Case, *, adding: bool, by):
    if adding and by is not None and by.pk:
        case.team.add(by)


def _refresh_status(change: StatusChange, **_ignored):
    people = {change.person_id}
    if change.pk is not None:
        # An edit may have moved the report to another person or case: whoever it was the status of before.
        people.update(CaseMembership.objects.filter(latest_status_change=change.pk).values_list("person_id", flat=True))
        people.update(Person.objects.filter(latest_status_change=change.pk).values_list("pk", flat=True))
    for person_id in people:
        refresh_current_status(person_id)


def _note_people_of_case(case: Case, **_ignored):
    # Deleting a case takes its reports with it: whose status they were must be known beforehand.
    case._people_before_delete = set(case.memberships.values_list("person_id", flat=True))


def _refresh_people_of_case(case: Case, **_ignored):
    for person_id in case._people_before_delete:
        refresh_current_status(person_id)


def _refresh_membership_status(membership: CaseMembership, **_ignored):
    refresh_current_status(membership.person_id)


# People whose current status is to be refreshed once, at the end of a bulk load (refreshing_status_once).
_deferred_status: contextvars.ContextVar[set | None] = contextvars.ContextVar("deferred_status", default=None)


@contextmanager
def refreshing_status_once():
    """Within this block, each person's order of reports and current status is refreshed once, when the block
    ends without error, rather than after every report saved: an import of many reports per person (the block
    runs inside the import's transaction, so nothing reads the statuses before they are right)."""
    people: set = set()
    token = _deferred_status.set(people)
    try:
        yield
    finally:
        _deferred_status.reset(token)
    refresh_current_statuses(sorted(people, key=str))


def refresh_current_status(person_id) -> None:
    """A person's order of reports, and their current status overall (for administrators) and as each of
    their cases records it, all from the one order of cases.chronology."""
    deferred = _deferred_status.get()
    if deferred is not None:
        deferred.add(person_id)
        return
    refresh_current_statuses([person_id])


# People whose statuses are refreshed together: a few queries for each group, whatever its size.
STATUS_BATCH = 500


def refresh_current_statuses(person_ids) -> None:
    """refresh_current_status for many people at once (an import's thousands): the same order and choice of
    report, read and written a group of people at a time rather than a few queries per person."""
    person_ids = list(person_ids)
    for start in range(0, len(person_ids), STATUS_BATCH):
        _refresh_statuses_of(person_ids[start : start + STATUS_BATCH])


def _refresh_statuses_of(person_ids: list) -> None:
    reports_of = {person_id: [] for person_id in person_ids}
    reports = StatusChange.objects.filter(person_id__in=person_ids).only(
        "id",
        "person_id",
        "case_id",
        "status",
        "verification",
        "differs_from_id",
        "follows_id",
        "sequence",
        "created_at",
        "date_start",
        "date_end",
        "date_precision",
    )
    for report in reports:
        reports_of[report.person_id].append(report)
    ordered_of = {person_id: order_reports(found) for person_id, found in reports_of.items()}
    moved, people = [], []
    for person_id, ordered in ordered_of.items():
        for position, report in enumerate(ordered, start=1):
            if report.sequence != position:
                report.sequence = position
                moved.append(report)
        latest = current_report(ordered)
        people.append((latest.status if latest else "", latest.pk if latest else None, person_id))
    _write(StatusChange, ["sequence"], [(report.sequence, report.pk) for report in moved])
    _write(Person, ["current_status", "latest_status_change"], people)
    memberships = []
    for membership_id, person_id, case_id in CaseMembership.objects.filter(person_id__in=person_ids).values_list(
        "pk", "person_id", "case_id"
    ):
        latest = current_report([report for report in ordered_of[person_id] if report.case_id == case_id])
        memberships.append((latest.status if latest else "", latest.pk if latest else None, membership_id))
    _write(CaseMembership, ["current_status", "latest_status_change"], memberships)


def _write(model, field_names: list[str], rows: list[tuple]) -> None:
    """Derived columns, one row by primary key at a time: ``rows`` hold the values in the order of ``field_names``
    and then the key. Not bulk_update, whose one statement of CASE WHEN per batch costs more to build than these
    simple statements cost to run: ordering 100,000 imported reports took a minute that way."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names] + [model._meta.pk]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields[:-1])
    table, key = quote(model._meta.db_table), quote(fields[-1].column)
    # Names from the models; values travel as parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
                for row in rows
            ],
        )


def _refresh_keys(record, **_ignored):
    refresh_name_keys(record.person_id)


def refresh_name_keys(person_id) -> None:
    identity = PersonIdentity.objects.filter(person_id=person_id).first()
    names = list(NameVariant.objects.filter(person_id=person_id).values_list("name", flat=True))
    if identity:
        names += [identity.legal_name, identity.name_original_script]
    NameKey.objects.filter(person_id=person_id).delete()
    NameKey.objects.bulk_create(NameKey(person_id=person_id, digest=d) for d in sorted(name_digests(*names)))


def register_hooks() -> None:
    """What follows a save or a delete of the case records, and where they may name people; called once, from
    CasesConfig.ready()."""
    MENTION_FIELDS.extend(
        [
            (Case, ("title", "summary", "internal_notes"), "pk"),
            (CaseMembership, ("note",), "case"),
            (StatusChange, ("description", "internal_notes"), "case"),
            (Source, ("title", "publisher"), "case"),
        ]
    )
    register(
        Case,
        before_save=[_draw_free_reference],
        after_save=[_creator_joins_team],
        before_delete=[_note_people_of_case],
        after_delete=[_refresh_people_of_case],
    )
    register(Person, before_save=[_new_person])
    register(CaseMembership, after_save=[_refresh_membership_status])
    register(
        StatusChange, before_save=[_check_person_in_case], after_save=[_refresh_status], after_delete=[_refresh_status]
    )
    register(Source, before_save=[_check_source_file])
    register(NameVariant, before_save=[_not_erased], after_save=[_refresh_keys], after_delete=[_refresh_keys])
    register(PersonIdentity, before_save=[_not_erased], after_save=[_refresh_keys], after_delete=[_refresh_keys])


# --- Domain verbs, for code that has no form: the demo loader, commands, tests ---------


def open_case(*, by, reason: str, title: str, **fields) -> Case:
    return save_record(Case(title=title, **fields), by=by, reason=reason)


def add_person(
    *,
    by,
    reason: str,
    identity: dict | None = None,
    names: list[tuple[str, str, str]] = (),
    **fields,
) -> Person:
    """Create a person with their identity and name variants (name, script, scheme)."""
    with transaction.atomic():
        person = save_record(Person(**fields), by=by, reason=reason)
        if identity:
            save_record(PersonIdentity(person=person, **identity), by=by, reason=reason)
        for name, script, scheme in names:
            save_record(NameVariant(person=person, name=name, script=script, scheme=scheme), by=by, reason=reason)
    return person


def add_to_case(*, by, reason: str, case: Case, person: Person, role: str, note: str = "") -> CaseMembership:
    membership = CaseMembership(case=case, person=person, role=role, note=note)
    return save_record(membership, by=by, reason=reason)


def add_source(*, by, reason: str, case: Case, **fields) -> Source:
    return save_record(Source(case=case, **fields), by=by, reason=reason)


def check_sources_of_case(case_id, sources) -> None:
    """A record cites only its own case's sources: a report citing another case's source would carry that source
    into this case's exports, to whoever receives them, and read as this case's evidence."""
    if any(source.case_id != case_id for source in sources):
        raise ValidationError(
            {
                "sources": _(
                    "One of these sources belongs to another case; a record cites only its own case's sources. "
                    "Add the source to this case first."
                )
            }
        )


def record_status_change(
    *, by, reason: str, person: Person, case: Case, status: str, when: str | FuzzyDate, sources=(), **fields
) -> StatusChange:
    change = StatusChange(person=person, case=case, status=status, **fields)
    change.when = when if isinstance(when, FuzzyDate) else FuzzyDate.parse(when)
    check_sources_of_case(case.pk, sources)
    with transaction.atomic():
        save_record(change, by=by, reason=reason)
        if sources:
            change.sources.set(sources)
    return change


# What else an erasure must reach, registered by the apps above (exports: stored ZIPs of the person's
# cases). Each is called with the person and the ids of their cases, inside the erasure's transaction.
ERASURE_HOOKS: list[Callable] = []


def erase_identity(person: Person, *, by, reason: str):
    """Remove who a person is, everywhere, keeping a record of the erasure.

    The identity and name variants go from the live tables and every history row, and the name search
    keys with them; then the person's own key is destroyed (cases/keystore.py), which makes every copy
    the database no longer holds — backups, dead rows, logs of the database — unreadable. The case facts
    stay, under the codename.
    """
    reason = _require_reason(reason)
    case_ids = list(CaseMembership.objects.filter(person=person).values_list("case_id", flat=True))
    with attributed(by, reason), transaction.atomic():
        for hook in ERASURE_HOOKS:
            hook(person, case_ids)
        identity = PersonIdentity.objects.filter(person=person).first()
        if identity is not None:
            delete_record(identity, by=by, reason=reason)
        for variant in NameVariant.objects.filter(person=person):
            delete_record(variant, by=by, reason=reason)
        redacted = PersonIdentity.history.filter(person_id=person.pk).update(
            legal_name="",
            name_original_script="",
            birth_date=None,
            birth_year=None,
            contacts="",
            current_whereabouts="",
        )
        redacted += NameVariant.history.filter(person_id=person.pk).update(name="", source_note="")
        NameKey.objects.filter(person=person).delete()
        # Last, and not deferred to the commit: should anything still fail, the person's identity is
        # unreadable rather than kept; the erasure can be run again to finish the rest.
        keystore.destroy(person.pk)
        transaction.on_commit(_checkpoint_sqlite)
        return IdentityErasure.objects.create(
            person_id=person.pk,
            person_codename=person.codename,
            erased_by=by,
            erased_by_username=by.get_username() if by else "",
            reason=reason,
            history_rows_redacted=redacted,
        )


def forget_erased() -> int:
    """After a restore from a backup older than some erasures: remove again what the database still holds of
    the people whose keys the key store says were destroyed. Their encrypted values are unreadable already;
    this takes away their rows and, above all, their name search keys. Answers how many people."""
    erased = [person_id for person_id in keystore.erased_people() if Person._base_manager.filter(pk=person_id).exists()]
    for person_id in erased:
        PersonIdentity._base_manager.filter(person_id=person_id).delete()
        NameVariant._base_manager.filter(person_id=person_id).delete()
        PersonIdentity.history.filter(person_id=person_id).update(
            legal_name="",
            name_original_script="",
            birth_date=None,
            birth_year=None,
            contacts="",
            current_whereabouts="",
        )
        NameVariant.history.filter(person_id=person_id).update(name="", source_note="")
        NameKey.objects.filter(person_id=person_id).delete()
    return len(erased)


def _checkpoint_sqlite() -> None:
    """Copy an erasure into the SQLite file now and empty the write-ahead log.

    In WAL mode the erased values stay in the file's old pages, and in earlier frames of the log, until a
    checkpoint writes the overwritten pages back; on a quiet register that could take days.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = cursor.fetchone()[0]
    if busy:
        logger.warning("Readers kept the SQLite checkpoint after an erasure from finishing; the next one completes it.")


@dataclass
class Mention:
    """A record whose free text may name a person, for staff to review when the person is erased."""

    record: object
    field: str


# Free-text fields that may name people, per model, and the path from the model to its case: registered
# by each app for its own records (register_hooks here, appeals.services.register_hooks).
MENTION_FIELDS: list[tuple[type, tuple[str, ...], str]] = []


def mentions_of(person: Person) -> list[Mention]:
    """Records of the person's cases whose free text holds one of their names, and attached files there.

    Read before an erasure, while the names can still be read: erasure cannot know what people wrote
    about someone in a note, so it shows staff where to look.
    """
    identity = person.identity_or_none
    names = [v.name for v in NameVariant.objects.filter(person=person)]
    if identity is not None:
        names += [identity.legal_name, identity.name_original_script]
    words = {word for name in names for word in (name or "").split() if len(word) >= 3}
    case_ids = list(CaseMembership.objects.filter(person=person).values_list("case_id", flat=True))
    found = []
    if person.consent_notes and any(w.casefold() in person.consent_notes.casefold() for w in words):
        found.append(Mention(person, "consent_notes"))
    for model, fields, case_path in MENTION_FIELDS:
        if not words:
            break
        for field in fields:
            named = Q()
            for word in words:
                named |= Q(**{f"{field}__icontains": word})
            for record in model._base_manager.filter(named, **{f"{case_path}__in": case_ids}):
                found.append(Mention(record, field))
    for source in Source.objects.filter(case_id__in=case_ids).exclude(file=""):
        found.append(Mention(source, "file"))
    return found
