"""Records created in batches (cases.bulk, the import's way in) cannot be told from records entered one by one.

Each test records the same person twice, once through the per-record services an admin form calls and once
through ``create_records``, and compares what a user would notice: the history rows, who may see the person,
finding them by name, their current status, the order of their reports, and that their identity is stored
encrypted.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.bulk import create_records
from cases.enums import NameScheme, Role, Script, Status, Verification
from cases.fuzzydate import FuzzyDate
from cases.models import (
    CaseMembership,
    NameKey,
    NameVariant,
    Person,
    PersonIdentity,
    StatusChange,
    VisiblePerson,
)
from cases.services import add_person, add_to_case, record_status_change
from tests.factories import CaseFactory, SourceFactory

REASON = "Import of people.xlsx (SHA-256 0123abcd)"
IDENTITY = {"legal_name": "Ismail Isaev", "name_original_script": "Исмаил Исаев", "birth_year": 1990}
NAMES = [("Isayev", Script.LATIN), ("Исаев Исмаил", Script.CYRILLIC)]
REPORTS = [
    (Status.DETAINED, "c. 2017", Verification.CONFIRMED),
    (Status.RELEASED, "Feb 2019", Verification.CREDIBLE),
    (Status.DISAPPEARED, "2020", Verification.UNVERIFIED),
    (Status.IN_HIDING, "early 2019", Verification.CONFIRMED),
]


def record_by_hand(user, case, source):
    person = add_person(
        by=user,
        reason=REASON,
        identity=IDENTITY,
        names=[(name, script, NameScheme.AS_IN_SOURCE) for name, script in NAMES],
    )
    add_to_case(by=user, reason=REASON, case=case, person=person, role=Role.VICTIM)
    for status, when, verification in REPORTS:
        record_status_change(
            by=user,
            reason=REASON,
            person=person,
            case=case,
            status=status,
            when=when,
            verification=verification,
            sources=[source],
        )
    return Person.objects.get(pk=person.pk)


def record_in_batches(user, case, source):
    person = Person()
    assert create_records([person], by=user, reason=REASON) == {}
    assert create_records([PersonIdentity(person=person, **IDENTITY)], by=user, reason=REASON) == {}
    variants = [NameVariant(person=person, name=n, script=s, scheme=NameScheme.AS_IN_SOURCE) for n, s in NAMES]
    assert create_records(variants, by=user, reason=REASON) == {}
    membership = CaseMembership(case=case, person=person, role=Role.VICTIM)
    assert create_records([membership], by=user, reason=REASON) == {}
    changes = []
    for status, when, verification in REPORTS:
        change = StatusChange(person=person, case=case, status=status, verification=verification)
        change.when = FuzzyDate.parse(when)
        changes.append(change)
    assert create_records(changes, by=user, reason=REASON, links=[{"sources": [source]}] * len(changes)) == {}
    return Person.objects.get(pk=person.pk)


def what_shows(person):
    """What a user notices of a person, without the ids and codename that differ between two people."""
    membership = CaseMembership.objects.get(person=person)
    reports = list(StatusChange.objects.filter(person=person).order_by("sequence"))

    def history(model, **of):
        # Who and why, and that the record begins with its creation. (By hand, linking sources after the report
        # is saved adds a second row; a batch writes the report with its sources, in one.)
        rows = list(model.history.filter(**of).order_by("history_id"))
        return rows[0].history_type, sorted({(row.history_user.username, row.history_change_reason) for row in rows})

    return {
        "person history": history(Person, id=person.pk),
        "created by": person.created_by.username,
        "identity history": history(PersonIdentity, person_id=person.pk),
        "identity": (person.identity.legal_name, person.identity.name_original_script, person.identity.birth_year),
        "name history": history(NameVariant, person_id=person.pk),
        "membership history": history(CaseMembership, person_id=person.pk),
        "report history": [history(StatusChange, id=report.pk) for report in reports],
        "sources in the latest history row": [
            sorted(link.source_id for link in StatusChange.history.filter(id=r.pk).latest("history_id").sources.all())
            for r in reports
        ],
        "name keys": sorted(NameKey.objects.filter(person=person).values_list("digest", flat=True)),
        "who sees them": sorted(VisiblePerson.objects.filter(person=person).values_list("user__username", flat=True)),
        "order of reports": [(r.status, str(r.when), r.sequence) for r in reports],
        "current status": (person.current_status, person.latest_status_change.status),
        "status in the case": (membership.current_status, membership.latest_status_change.status),
    }


@pytest.fixture
def recorded(db, alice, bob):
    case = CaseFactory(team=[alice, bob])
    source = SourceFactory(case=case)
    return alice, case, source


def test_a_person_recorded_in_batches_reads_as_one_recorded_by_hand(recorded):
    user, case, source = recorded
    by_hand = record_by_hand(user, case, source)
    in_batches = record_in_batches(user, case, source)

    expected = what_shows(by_hand)
    assert what_shows(in_batches) == expected
    assert expected["who sees them"] == ["alice", "bob"]
    assert expected["current status"] == (Status.RELEASED, Status.RELEASED)
    assert in_batches.codename != by_hand.codename


def test_a_person_recorded_in_batches_is_found_by_either_spelling(recorded):
    user, case, source = recorded
    person = record_in_batches(user, case, source)

    assert list(Person.objects.visible_to(user).matching("Isaev", user).values_list("pk", flat=True)) == [person.pk]
    assert list(Person.objects.visible_to(user).matching("Исаев", user).values_list("pk", flat=True)) == [person.pk]


def test_identity_recorded_in_batches_is_stored_encrypted(recorded):
    user, case, source = recorded
    person = record_in_batches(user, case, source)

    stored = []
    with connection.cursor() as cursor:
        for model, column in [
            (PersonIdentity, "legal_name"),
            (PersonIdentity, "name_original_script"),
            (NameVariant, "name"),
        ]:
            table = model._meta.db_table
            # Names from the schema itself; the value travels as a parameter.
            cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE person_id = %s', [person.pk.hex])  # noqa: S608
            stored += [value for (value,) in cursor.fetchall()]
    assert len(stored) == 4
    assert not any(name in value for value in stored for name in ["Isaev", "Исаев", "Isayev", "Исмаил"])


def test_a_person_recorded_by_someone_on_no_team_is_theirs_alone_until_in_a_case(db, charlie, alice):
    person = Person()
    create_records([person], by=charlie, reason=REASON)

    assert list(VisiblePerson.objects.filter(person=person).values_list("user__username", flat=True)) == ["charlie"]
    create_records(
        [CaseMembership(case=CaseFactory(team=[alice]), person=person, role=Role.VICTIM)], by=alice, reason=REASON
    )
    assert list(VisiblePerson.objects.filter(person=person).values_list("user__username", flat=True)) == ["alice"]


def test_refused_records_are_named_by_position_and_not_written(recorded):
    user, case, source = recorded
    in_case = record_in_batches(user, case, source)
    outsider = Person()
    create_records([outsider], by=user, reason=REASON)
    changes = []
    for person, status in [(in_case, Status.DETAINED), (outsider, Status.DETAINED), (in_case, "")]:
        change = StatusChange(person=person, case=case, status=status)
        change.when = FuzzyDate.parse("2021")
        changes.append(change)
    before = StatusChange.objects.count()

    refused = create_records(changes, by=user, reason=REASON)

    assert sorted(refused) == [1, 2]
    assert refused[1].message_dict == {"person": ["This person is not part of this case; add them to the case first."]}
    assert refused[2].message_dict == {"status": ["This field cannot be blank."]}
    assert StatusChange.objects.count() == before + 1


def test_a_role_taken_already_is_refused_in_and_across_batches(recorded):
    user, case, source = recorded
    person = record_in_batches(user, case, source)
    newcomer = Person()
    create_records([newcomer], by=user, reason=REASON)

    refused = create_records(
        [
            CaseMembership(case=case, person=person, role=Role.VICTIM),
            CaseMembership(case=case, person=newcomer, role=Role.WITNESS),
            CaseMembership(case=case, person=newcomer, role=Role.WITNESS),
        ],
        by=user,
        reason=REASON,
    )

    assert sorted(refused) == [0, 2]
    assert "already exists" in refused[0].messages[0]
    assert CaseMembership.objects.filter(person=newcomer).count() == 1


def test_a_batch_of_a_model_without_batched_hooks_is_refused(recorded):
    user, case, source = recorded
    with pytest.raises(TypeError):
        create_records([type(case)(title="Another")], by=user, reason=REASON)


def test_a_batch_without_a_reason_is_refused(recorded):
    user, case, source = recorded
    with pytest.raises(ValidationError):
        create_records([Person()], by=user, reason=" ")
    assert not Person.objects.filter(created_by=user).exists()
