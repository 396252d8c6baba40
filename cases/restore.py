"""Bringing deleted records back from their history."""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_noop

from cases.reasons import Moment, automatic_reason
from cases.services import save_record

# What the history says of a record restored (cases.reasons).
RESTORED = automatic_reason(gettext_noop("Restored from the history (deleted %(when)s)"), when=Moment())

# Records deleted together with their parent, restored with it. Order matters only
# for the derived data the services compute (deadlines before the steps that propose them).
_CHILDREN: dict[str, list[tuple[str, str]]] = {
    "cases.case": [
        ("cases.source", "case_id"),
        ("cases.casemembership", "case_id"),
        ("cases.statuschange", "case_id"),
        ("appeals.appeal", "case_id"),
        ("appeals.officialresponse", "case_id"),
    ],
    "cases.person": [("cases.personidentity", "person_id"), ("cases.namevariant", "person_id")],
    "appeals.appeal": [("appeals.deadline", "appeal_id"), ("appeals.appealstep", "appeal_id")],
}
_SAME_OPERATION = timedelta(seconds=10)


def deleted_rows(model):
    """Deletion rows of records that are still deleted, newest first."""
    existing = model._base_manager.values("pk")
    pk_name = model._meta.pk.attname
    return (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk_name}__in": existing})
        .select_related("history_user")
        .order_by("-history_date")
    )


def restore(deletion_row, *, by) -> object:
    with transaction.atomic():
        return _restore(deletion_row, by=by)


def _restore(deletion_row, *, by):
    model = deletion_row.instance_type
    pk_name = model._meta.pk.attname
    pk = getattr(deletion_row, pk_name)
    instance = deletion_row.instance
    # Links are not on the deletion row (a delete removes them first): take them from the last state before it.
    last_state = model.history.filter(**{pk_name: pk}).exclude(history_type="-").order_by("-history_date").first()
    links = {}
    for m2m in getattr(model.history.model, "_history_m2m_fields", []):
        if last_state is not None:
            target = m2m.m2m_reverse_field_name() + "_id"
            links[m2m] = [row[target] for row in getattr(last_state, m2m.name).values()]
    reason = RESTORED.written(when=deletion_row.history_date)
    save_record(instance, by=by, reason=reason, validate=False)
    for m2m, ids in links.items():
        getattr(instance, m2m.name).set(m2m.related_model._base_manager.filter(pk__in=ids))
    window = (deletion_row.history_date - _SAME_OPERATION, deletion_row.history_date + _SAME_OPERATION)
    for label, fk in _CHILDREN.get(model._meta.label_lower, []):
        child_model = _model(label)
        for row in deleted_rows(child_model).filter(**{fk: pk}, history_date__range=window):
            _restore(row, by=by)
    return instance


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)
