"""Many new records at once: what ``save_record`` does for each, in a few queries for the whole batch.

``save_record`` is one record's way in, and costs some thirty queries: an import of 100,000 status reports
through it takes an hour. ``create_records`` keeps each of its invariants for a batch of new records of one
model, so that an imported record cannot be told from one entered by hand:

- validation: ``full_clean`` of each record, with the foreign keys and the unique checks (a query per record
  there) made once for the batch, and the same messages;
- what the per-record hooks of ``cases.services.register_hooks`` do on creation, each in a batched form
  (``_BATCHED`` names which hook each stands for): a free codename and the creator for a new person; nothing
  recorded of an erased person's identity; a status only for someone in the case; name search keys; the
  current statuses (deferred like ``refreshing_status_once``);
- one history row per record naming ``by`` and ``reason``, with the links of its many-to-many fields;
- who may see whom (``cases.visibility``), refreshed once for the people of the batch, as its signals do on
  each save.

A model with per-record hooks that have no batched form here is refused, so that a hook added there without its
batched form here fails loudly instead of being skipped.
"""

from collections import Counter, defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import keystore, services, visibility
from cases.history import attributed
from cases.models import CaseMembership, NameKey, NameVariant, Person, PersonIdentity, StatusChange, new_codename
from cases.search import name_digests

# Rows per INSERT: statements of one size, prepared once and reused, each of bounded length whatever the batch.
INSERT_ROWS = 100


def create_records(records: list, *, by, reason: str, links: list[dict] | None = None) -> dict[int, ValidationError]:
    """Create ``records`` (new, all of one model) as ``save_record`` would create each of them.

    ``links`` gives, for the record at the same position, its many-to-many links ({field name: objects}).
    Answers the refusals by position; a refused record is not written and the others are, as a savepoint
    per record would leave them: the caller decides whether the batch stands (an import rolls back the whole
    file when any row is refused).
    """
    reason = services._require_reason(reason)
    if not records:
        return {}
    model = type(records[0])
    if any(type(record) is not model or not record._state.adding for record in records):
        raise TypeError("create_records takes new records of one model.")
    batched = _BATCHED.get(model)
    registered = {hook for moment in services.MOMENTS for hook in services._hooks[moment].get(model, [])}
    if batched is None or registered - set(batched.stands_for):
        raise TypeError(f"{model.__name__} has per-record hooks with no batched form in cases.bulk.")
    links = links or [{} for _record in records]
    errors: dict[int, dict] = defaultdict(dict)
    with attributed(by, reason), transaction.atomic():
        batched.before(records, by=by, errors=errors)
        _validate(model, records, errors)
        kept = [index for index in range(len(records)) if index not in errors]
        created = [records[index] for index in kept]
        model._base_manager.bulk_create(created, batch_size=INSERT_ROWS)
        for field_name in {name for index in kept for name in links[index]}:
            through = model._meta.get_field(field_name).remote_field.through
            source, target = _link_columns(model, field_name)
            through.objects.bulk_create(
                (
                    through(**{source: records[index].pk, target: linked.pk})
                    for index in kept
                    for linked in links[index].get(field_name, ())
                ),
                batch_size=INSERT_ROWS,
            )
        _record_history(model, created, by=by, reason=reason)
        batched.after(created)
    return {index: ValidationError(found) for index, found in errors.items()}


def _link_columns(model, field_name: str) -> tuple[str, str]:
    field = model._meta.get_field(field_name)
    return field.m2m_column_name(), field.m2m_reverse_name()


def _record_history(model, created: list, *, by, reason: str) -> None:
    history = model.history.bulk_history_create(
        created, default_user=by, default_change_reason=reason, batch_size=INSERT_ROWS
    )
    m2m_fields = getattr(model.history.model, "_history_m2m_fields", [])
    if not m2m_fields or not created:
        return
    # The history row's snapshot of each link, as AuditedHistory.create_historical_record_m2ms writes it.
    history_of = {record.pk: row for record, row in zip(created, history, strict=True)}
    for m2m_field in m2m_fields:
        m2m_history_model = getattr(model.history.model, m2m_field.name).model
        through = m2m_field.remote_field.through
        source, _target = _link_columns(model, m2m_field.name)
        attnames = [f.attname for f in through._meta.fields]
        links = [
            dict(zip(attnames, link, strict=True))
            for link in through.objects.filter(**{f"{source}__in": list(history_of)}).values_list(*attnames)
        ]
        m2m_history_model.objects.bulk_create(
            (m2m_history_model(history=history_of[link[source]], **link) for link in links), batch_size=INSERT_ROWS
        )


# --- Validation, as full_clean, with its queries made once for the batch ----------------------------


def _validate(model, records: list, errors: dict) -> None:
    relations = [field for field in model._meta.concrete_fields if field.is_relation]
    for index, record in enumerate(records):
        if index in errors:
            continue
        try:
            record.full_clean(
                exclude=[field.name for field in relations], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            _add(errors, index, error)
    for field in relations:
        _check_relation(field, records, errors)
    _check_unique(model, records, errors)


def _add(errors: dict, index: int, error: ValidationError) -> None:
    for name, messages in error.update_error_dict({}).items():
        errors[index].setdefault(name, []).extend(messages)


def _check_relation(field, records: list, errors: dict) -> None:
    values = {getattr(record, field.attname) for record in records} - {None}
    existing = set(
        field.remote_field.model._default_manager.filter(
            **{f"{field.remote_field.field_name}__in": values}
        ).values_list(field.remote_field.field_name, flat=True)
    )
    for index, record in enumerate(records):
        value = getattr(record, field.attname)
        if value is None or value not in existing:
            # What full_clean would say: required, or no such record.
            try:
                field.clean(value, record)
            except ValidationError as error:
                _add(errors, index, ValidationError({field.name: error.messages}))


def _check_unique(model, records: list, errors: dict) -> None:
    unique_checks, _date_checks = records[0]._get_unique_checks(include_meta_constraints=True)
    for _model_class, fields in unique_checks:
        if model._meta.pk.name in fields:
            continue
        attnames = [model._meta.get_field(name).attname for name in fields]
        values = [tuple(getattr(record, attname) for attname in attnames) for record in records]
        wanted = {value for value in values if None not in value}
        taken = set()
        if wanted:
            first = attnames[0]
            found = model._base_manager.filter(**{f"{first}__in": {value[0] for value in wanted}}).values_list(
                *attnames
            )
            taken = {tuple(row) for row in found} & wanted
        repeated = Counter(values)
        seen = set()
        for index, (record, value) in enumerate(zip(records, values, strict=True)):
            if None in value:
                continue
            if value in taken or (repeated[value] > 1 and value in seen):
                key = fields[0] if len(fields) == 1 else NON_FIELD_ERRORS
                _add(errors, index, ValidationError({key: [record.unique_error_message(model, fields)]}))
            seen.add(value)


# --- The per-record hooks, batched ----------------------------------------------------------------------


class _Batched:
    """The batched form of a model's per-record hooks: ``before`` on the records before validation (may refuse
    some in ``errors``), ``after`` on the records written."""

    stands_for: tuple = ()

    def before(self, records, *, by, errors) -> None:
        pass

    def after(self, created) -> None:
        pass


class _People(_Batched):
    stands_for = (services._new_person,)

    def before(self, records, *, by, errors):
        for person in records:
            if person.created_by_id is None and by is not None and by.pk:
                person.created_by = by
        # Random codenames collide now and then in a large register: draw again for those, as _new_person does.
        while True:
            codenames = Counter(person.codename for person in records)
            taken = set(Person._base_manager.filter(codename__in=list(codenames)).values_list("codename", flat=True))
            clashing = [p for p in records if p.codename in taken or codenames[p.codename] > 1]
            if not clashing:
                break
            for person in clashing:
                codenames[person.codename] -= 1
                person.codename = new_codename()

    def after(self, created):
        visibility.refresh([person.pk for person in created])


class _IdentityRecords(_Batched):
    stands_for = (services._not_erased, services._refresh_keys)

    def before(self, records, *, by, errors):
        erased = keystore.erased_people()
        message = _("This person's identity was erased; record them as a new person if need be.")
        for index, record in enumerate(records):
            if str(record.person_id) in erased:
                _add(errors, index, ValidationError(message))

    def after(self, created):
        refresh_name_keys({record.person_id for record in created})


class _Memberships(_Batched):
    stands_for = (services._refresh_membership_status,)

    def after(self, created):
        people = {membership.person_id for membership in created}
        _refresh_statuses(people)
        # After the history rows: the first membership's row ends the recorder's sight of a person.
        visibility.refresh(list(people))


class _StatusChanges(_Batched):
    stands_for = (services._check_person_in_case, services._refresh_status)

    def before(self, records, *, by, errors):
        cases = {change.case_id for change in records}
        in_case = set(CaseMembership.objects.filter(case_id__in=cases).values_list("case_id", "person_id"))
        for index, change in enumerate(records):
            if change.person_id and change.case_id and (change.case_id, change.person_id) not in in_case:
                _add(
                    errors,
                    index,
                    ValidationError({"person": _("This person is not part of this case; add them to the case first.")}),
                )

    def after(self, created):
        _refresh_statuses({change.person_id for change in created})


_BATCHED = {
    Person: _People(),
    PersonIdentity: _IdentityRecords(),
    NameVariant: _IdentityRecords(),
    CaseMembership: _Memberships(),
    StatusChange: _StatusChanges(),
}


def _refresh_statuses(people: set) -> None:
    deferred = services._deferred_status.get()
    if deferred is not None:
        deferred.update(people)
    else:
        services.refresh_current_statuses(sorted(people, key=str))


def refresh_name_keys(person_ids) -> None:
    """cases.services.refresh_name_keys for many people: their identities and names read in two queries."""
    person_ids = list(person_ids)
    names = defaultdict(list)
    for identity in PersonIdentity.objects.filter(person_id__in=person_ids).only(
        "person_id", "legal_name", "name_original_script"
    ):
        names[identity.person_id] += [identity.legal_name, identity.name_original_script]
    for person_id, name in NameVariant.objects.filter(person_id__in=person_ids).values_list("person_id", "name"):
        names[person_id].append(name)
    NameKey.objects.filter(person_id__in=person_ids).delete()
    NameKey.objects.bulk_create(
        (
            NameKey(person_id=person_id, digest=digest)
            for person_id in person_ids
            for digest in sorted(name_digests(*names[person_id]))
        ),
        batch_size=INSERT_ROWS,
    )
