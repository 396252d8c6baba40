"""Two records of one person made one, and the merge undone.

An administrator picks which record survives (its codename stays); every membership, status change, appeal
link and name of the other moves to it through the services, so each move has its history row naming the
administrator and the reason, and the names are encrypted again under the survivor's key. The other record is
then deleted through the services (its identity's history stays, under its own key), and a PersonMerge says
what moved where, by id only: nothing of anyone's identity is kept outside the encrypted records.

Undoing restores the deleted record with its identity and names from the history (cases/restore.py) and moves
back exactly what moved.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import is_administrator
from appeals.models import Appeal
from cases.enums import NameScheme, Script
from cases.history import attributed
from cases.models import CaseMembership, NameVariant, Person, StatusChange
from cases.reasons import Text, automatic_reason
from cases.restore import deleted_rows, restore
from cases.search import has_cyrillic
from cases.services import delete_record, save_record
from imports.models import PersonMerge

# What the history says of a merge and of its undoing (cases.reasons); the reason given is kept as typed.
MERGED = automatic_reason(
    gettext_noop("Merge of %(absorbed)s into %(survivor)s: %(reason)s"),
    absorbed=Text(),
    survivor=Text(),
    reason=Text(),
)
MERGE_UNDONE = automatic_reason(
    gettext_noop("Undoing the merge of %(absorbed)s into %(survivor)s: %(reason)s"),
    absorbed=Text(),
    survivor=Text(),
    reason=Text(),
)

# The person fields shown side by side before a merge, and the identity fields.
PERSON_FIELDS = ["sensitivity", "consent_publicity", "consent_partner_sharing", "consent_un_submission"]
IDENTITY_FIELDS = ["legal_name", "name_original_script", "birth_date", "birth_year"]


def differing_fields(first: Person, second: Person) -> list[tuple[str, object, object]]:
    """What an administrator reviews before merging: each field whose values differ, as each record has it."""
    rows = []
    for name in PERSON_FIELDS:
        label = Person._meta.get_field(name).verbose_name
        values = (getattr(first, f"get_{name}_display")(), getattr(second, f"get_{name}_display")())
        rows.append((str(label), *values))
    identities = (first.identity_or_none, second.identity_or_none)
    for name in IDENTITY_FIELDS:
        label = first.identity._meta.get_field(name).verbose_name if identities[0] else name
        values = [getattr(identity, name, None) if identity else None for identity in identities]
        rows.append((str(label), *(value if value not in (None, "") else "—" for value in values)))
    rows.append(
        (
            _("name variants"),
            "; ".join(v.name for v in NameVariant.objects.filter(person=first)) or "—",
            "; ".join(v.name for v in NameVariant.objects.filter(person=second)) or "—",
        )
    )
    return [row for row in rows if str(row[1]) != str(row[2])]


def _require(by, reason: str) -> str:
    if not is_administrator(by):
        raise PermissionDenied(_("Only an administrator may merge people or undo a merge."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: it is written in the history of every record moved."))
    return reason


def _script(name: str) -> str:
    return Script.CYRILLIC if has_cyrillic(name) else Script.LATIN


def merge_people(*, survivor: Person, absorbed: Person, by, reason: str) -> PersonMerge:
    reason = _require(by, reason)
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Choose two different people."))
    history_reason = MERGED.written(absorbed=absorbed.codename, survivor=survivor.codename, reason=reason)
    moved = {"memberships": [], "doubled_memberships": [], "status_changes": [], "appeals": [], "names": []}
    moved["names_added"] = []
    with attributed(by, history_reason), transaction.atomic():
        held = set(CaseMembership.objects.filter(person=survivor).values_list("case_id", "role"))
        for membership in CaseMembership.objects.filter(person=absorbed):
            if (membership.case_id, membership.role) in held:
                moved["doubled_memberships"].append(str(membership.pk))
                delete_record(membership, by=by, reason=history_reason)
            else:
                membership.person = survivor
                save_record(membership, by=by, reason=history_reason)
                moved["memberships"].append(str(membership.pk))
        for change in _linked_to_first(StatusChange.objects.filter(person=absorbed)):
            change.person = survivor
            save_record(change, by=by, reason=history_reason)
            moved["status_changes"].append(str(change.pk))
        for appeal in Appeal.objects.filter(people=absorbed):
            already = appeal.people.filter(pk=survivor.pk).exists()
            appeal.people.remove(absorbed)
            appeal.people.add(survivor)
            save_record(appeal, by=by, reason=history_reason)
            moved["appeals"].append({"id": str(appeal.pk), "survivor_was_there": already})
        known = {v.name.casefold() for v in NameVariant.objects.filter(person=survivor)}
        identity = survivor.identity_or_none
        if identity is not None:
            known |= {n.casefold() for n in (identity.legal_name, identity.name_original_script) if n}
        for variant in NameVariant.objects.filter(person=absorbed):
            if variant.name.casefold() not in known:
                variant.person = survivor
                save_record(variant, by=by, reason=history_reason)
                moved["names"].append(str(variant.pk))
                known.add(variant.name.casefold())
        # The other record's own names stay findable: as spellings of the survivor.
        other = absorbed.identity_or_none
        for name in (other.legal_name, other.name_original_script) if other else ():
            if name and name.casefold() not in known:
                variant = save_record(
                    NameVariant(person=survivor, name=name, script=_script(name), scheme=NameScheme.AS_IN_SOURCE),
                    by=by,
                    reason=history_reason,
                )
                moved["names_added"].append(str(variant.pk))
                known.add(name.casefold())
        merge = PersonMerge.objects.create(
            by=by,
            reason=reason,
            survivor=survivor,
            survivor_codename=survivor.codename,
            absorbed_id=absorbed.pk,
            absorbed_codename=absorbed.codename,
            moved=moved,
        )
        delete_record(absorbed, by=by, reason=history_reason)
    return merge


def undo_merge(merge: PersonMerge, *, by, reason: str) -> Person:
    """The merged person back as they were, with what moved from them; answers the person restored."""
    reason = _require(by, reason)
    if merge.undone_at is not None or merge.survivor is None:
        raise ValidationError(_("This merge was undone already, or its surviving record was deleted since."))
    history_reason = MERGE_UNDONE.written(
        absorbed=merge.absorbed_codename, survivor=merge.survivor_codename, reason=reason
    )
    survivor, moved = merge.survivor, merge.moved
    with attributed(by, history_reason), transaction.atomic():
        deletion = deleted_rows(Person).filter(id=merge.absorbed_id).first()
        if deletion is None:
            raise ValidationError(_("The merged record's history is gone: this merge cannot be undone."))
        absorbed = restore(deletion, by=by)
        for membership_id in moved["doubled_memberships"]:
            row = deleted_rows(CaseMembership).filter(id=membership_id).first()
            if row is not None:
                restore(row, by=by)
        for model, ids in ((CaseMembership, moved["memberships"]), (StatusChange, moved["status_changes"])):
            records = model.objects.filter(pk__in=ids)
            for record in _linked_to_first(records) if model is StatusChange else records:
                record.person = absorbed
                save_record(record, by=by, reason=history_reason)
        for appeal_moved in moved["appeals"]:
            appeal = Appeal.objects.filter(pk=appeal_moved["id"]).first()
            if appeal is None:
                continue
            appeal.people.add(absorbed)
            if not appeal_moved["survivor_was_there"]:
                appeal.people.remove(survivor)
            save_record(appeal, by=by, reason=history_reason)
        for variant in NameVariant.objects.filter(pk__in=moved["names"]):
            variant.person = absorbed
            save_record(variant, by=by, reason=history_reason)
        for variant in NameVariant.objects.filter(pk__in=moved["names_added"]):
            delete_record(variant, by=by, reason=history_reason)
        merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), by, reason
        merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    return absorbed


def _linked_to_first(changes) -> list:
    """Reports in an order that moves each before any report that disagrees with it or comes after it.

    A report may link only to one about the same person (StatusChange.clean): moved one at a time, the report
    it links to must have moved already. A circle of links, which validation refuses anyway, keeps its order.
    """
    remaining, ordered = list(changes), []
    while remaining:
        waiting = {change.pk for change in remaining}
        ready = [c for c in remaining if not ({c.differs_from_id, c.follows_id} - {None, c.pk}) & waiting]
        ready = ready or remaining
        ordered += ready
        placed = {change.pk for change in ready}
        remaining = [change for change in remaining if change.pk not in placed]
    return ordered
