"""Who may see whom: the rule, and the table that answers it fast (``VisiblePerson``).

The rule: a user who is not an administrator sees a person who is in a case on one of their teams, or whom
they recorded themselves while that person has never been in any case. From the person's first case on
only the case teams see them, so a user taken off the team loses them for good, even if the case is
deleted. (Administrators see everyone; an inactive account no one: ``PersonQuerySet.visible_to`` decides
those before reading the table.)

Asked on every list, search and page, the rule as one query is an ``EXISTS … OR (… AND NOT EXISTS …)`` that
no index serves: it is evaluated for every person of the register, and a staff editor's person list cost ten
times an administrator's. The table holds its answer instead, one row per (user, person), refreshed here for
the people a change concerns, in the transaction of the change: a person recorded, someone added to,
moved between or taken out of a case, a case deleted, a user put on or taken off a team. Signals rather than
``cases.services`` hooks, because team changes are many-to-many changes (the admin's form, ``case.team.add``)
and a deleted case takes its people's memberships with it without a service call for each.
"""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from cases.models import Case, CaseMembership, Person, VisiblePerson

# Any fixed number: the key of the PostgreSQL lock that takes refreshes one at a time (see _serialised).
_LOCK_KEY = 7_130_013


def pairs_by_rule(people):
    """(user id, person id) for everyone the rule lets see each of ``people`` (ids, or a queryset of ids)."""
    on_a_team = Case.team.through.objects.filter(case__memberships__person__in=people).values_list(
        "user_id", "case__memberships__person_id"
    )
    recorded_by = (
        Person._base_manager.filter(pk__in=people, created_by__isnull=False)
        .exclude(Exists(CaseMembership.history.filter(person_id=OuterRef("pk"))))
        .values_list("created_by_id", "pk")
        .order_by()
    )
    return on_a_team.union(recorded_by)


def refresh(people) -> None:
    """Bring who may see ``people`` (ids, or a queryset of ids) in step with the rule."""
    with transaction.atomic(savepoint=False):
        _serialised()
        VisiblePerson.objects.filter(person__in=people).delete()
        _insert(pairs_by_rule(people))


def rebuild() -> None:
    """The whole table again from the rule: after data written in bulk, without the signals of each save."""
    with transaction.atomic(savepoint=False):
        _serialised()
        VisiblePerson.objects.all().delete()
        _insert(pairs_by_rule(Person._base_manager.values("pk")))


def _serialised() -> None:
    # PostgreSQL runs writers side by side: a refresh that read the teams before another transaction changed
    # them could write back a pair that other transaction had just removed. One refresh at a time, each after
    # the previous one committed, reads what every earlier change left. (SQLite has one writer at a time.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _insert(pairs) -> None:
    select, params = pairs.query.get_compiler(connection=connection).as_sql()
    table = connection.ops.quote_name(VisiblePerson._meta.db_table)
    with connection.cursor() as cursor:
        # Wrapped in a SELECT with a WHERE: SQLite would otherwise read ON CONFLICT as part of the query.
        cursor.execute(
            f"INSERT INTO {table} (user_id, person_id) SELECT * FROM ({select}) AS pairs WHERE 1 = 1 "  # noqa: S608
            "ON CONFLICT DO NOTHING",  # nosec B608 - our own compiled query; values travel as parameters
            params,
        )


def _people_of_cases(case_ids):
    return CaseMembership._base_manager.filter(case__in=case_ids).values("person_id")


def _person_recorded(sender, instance, created, **_kwargs):
    if created:
        refresh([instance.pk])


def _membership_about_to_change(sender, instance, **_kwargs):
    # An edit may move the membership to another person: whoever it was about before needs a refresh too.
    if not instance._state.adding:
        instance._person_before = (
            CaseMembership._base_manager.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        )


def _membership_changed(sender, instance, **_kwargs):
    # Run after django-simple-history's own receivers (connected when the model was defined), so that the
    # first membership's history row, which ends the recorder's sight of a person, is already written.
    people = {instance.person_id, getattr(instance, "_person_before", None)} - {None}
    refresh(list(people))


def _team_changed(sender, instance, action, reverse, pk_set, **_kwargs):
    # Teams change from the case's side only (``case.team``, the admin's form): django-simple-history, which
    # keeps the team's history on the case, cannot record a change made from the user's side and refuses it.
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        refresh(_people_of_cases([instance.pk]))


def connect() -> None:
    """Keep the table in step from now on; called once, from CasesConfig.ready()."""
    post_save.connect(_person_recorded, sender=Person, dispatch_uid="visibility_person_recorded")
    pre_save.connect(_membership_about_to_change, sender=CaseMembership, dispatch_uid="visibility_membership_pre")
    post_save.connect(_membership_changed, sender=CaseMembership, dispatch_uid="visibility_membership_saved")
    post_delete.connect(_membership_changed, sender=CaseMembership, dispatch_uid="visibility_membership_deleted")
    m2m_changed.connect(_team_changed, sender=Case.team.through, dispatch_uid="visibility_team_changed")
