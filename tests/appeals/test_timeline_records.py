"""The timeline makes its records from their rows without ``Model.__init__`` (appeals.timeline._instances): they must
be the records the ORM reads, field for field, live and as known on a day, and made the usual way where something
listens to the init signals."""

from collections import Counter

from django.db.models.signals import post_init
from django.utils import timezone

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from appeals.timeline import _AsKnownOn, _Live, build_timeline
from cases.enums import SourceType, Status, Verification
from cases.models import StatusChange
from cases.services import add_source, record_status_change
from tests.factories import PersonFactory


def _a_case_with_every_kind_of_record(alice, case):
    person = PersonFactory()
    case.memberships.create(person=person)
    source = add_source(
        by=alice, reason="Found", case=case, source_type=SourceType.NGO_REPORT, title="Memorial, 3 May 2019"
    )
    detained = record_status_change(
        by=alice,
        reason="Reported",
        person=person,
        case=case,
        status=Status.DETAINED,
        when="May 2019",
        place="Grozny, <b>ROVD</b>",
        description="Taken from home & held",
        verification=Verification.CONFIRMED,
        sources=[source],
        internal_notes="Relative's number kept apart",
    )
    record_status_change(
        by=alice,
        reason="Another account",
        person=person,
        case=case,
        status=Status.DISAPPEARED,
        when="2019",
        differs_from=detained,
    )
    record_status_change(
        by=alice,
        reason="Evacuated",
        person=person,
        case=case,
        status=Status.IN_HIDING,
        when="2020",
        whereabouts="Safe flat, Yerevan",
    )
    appeal = file_appeal(
        by=alice, reason="Filed", case=case, forum=Forum.UN_SPECIAL_PROCEDURES, kind=AppealKind.URGENT_APPEAL
    )
    step = add_appeal_step(
        by=alice,
        reason="Sent",
        appeal=appeal,
        step_type=StepType.COMMUNICATION_SENT,
        when="10 June 2019",
        sources=[source],
    )
    record_official_response(
        by=alice,
        reason="Answered",
        case=case,
        appeal=appeal,
        answers_step=step,
        response_type=ResponseType.DENIAL,
        when="1 Sep 2019",
        state="Russian Federation",
        quote='"No such person was detained"',
        sources=[source],
    )


def _fields(record, kept_in_history=False) -> dict:
    """A record's stored values; as known on a day, those the history keeps (derived ones take their defaults)."""
    model = type(record)
    kept = {field.attname for field in model.history.model._meta.concrete_fields} if kept_in_history else None
    return {
        field.attname: getattr(record, field.attname)
        for field in model._meta.concrete_fields
        if kept is None or field.attname in kept
    }


def _as_read_by_the_orm(records, kept_in_history=False) -> list[dict]:
    return [_fields(type(record).objects.get(pk=record.pk), kept_in_history) for record in records]


def _read_by(reader) -> list:
    return [
        *reader.status_changes(),
        *reader.appeals(),
        *reader.steps(),
        *reader.deadlines(),
        *reader.responses(),
        *reader.sources(),
    ]


def test_the_timelines_records_are_those_the_orm_reads_field_for_field(alice, case):
    _a_case_with_every_kind_of_record(alice, case)

    for reader, from_history in ((_Live(case), False), (_AsKnownOn(case, timezone.localdate()), True)):
        records = _read_by(reader)

        kinds = Counter(type(record).__name__ for record in records)
        assert kinds == {
            "StatusChange": 3,
            "Appeal": 1,
            "AppealStep": 1,
            "Deadline": 1,
            "OfficialResponse": 1,
            "Source": 1,
        }
        assert [_fields(r, from_history) for r in records] == _as_read_by_the_orm(records, from_history)
        assert all(not record._state.adding and record._state.db == "default" for record in records)


def test_the_timeline_shows_what_those_records_say(alice, case):
    _a_case_with_every_kind_of_record(alice, case)

    events = build_timeline(case, reveal_whereabouts=True).events

    detained = next(event for event in events if event.status == Status.DETAINED)
    assert (detained.place, detained.detail, detained.internal_notes, detained.source_numbers) == (
        "Grozny, <b>ROVD</b>",
        "Taken from home & held",
        "Relative's number kept apart",
        [1],
    )
    assert [account.status for account in detained.other_accounts] == [Status.DISAPPEARED]
    hiding = next(event for event in events if event.status == Status.IN_HIDING)
    assert hiding.place == "Safe flat, Yerevan"
    answer = next(event for event in events if event.kind == "response")
    assert (answer.quote, answer.source_numbers) == ('"No such person was detained"', [1])


def test_where_something_listens_to_the_init_signal_the_records_are_made_the_usual_way(alice, case):
    _a_case_with_every_kind_of_record(alice, case)
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=StatusChange)
    try:
        records = _read_by(_Live(case))
    finally:
        post_init.disconnect(listener, sender=StatusChange)

    reports = [record for record in records if isinstance(record, StatusChange)]
    assert len(reports) == 3
    assert all(any(report is instance for instance in seen) for report in reports)
    assert [_fields(record) for record in records] == _as_read_by_the_orm(records)
