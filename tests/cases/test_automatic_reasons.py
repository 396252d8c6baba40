"""Reasons the application writes itself are stored in English and read in the reader's language."""

import re
from datetime import date

from django.utils import translation

from appeals.enums import ResponseType, StepType
from appeals.models import Deadline
from appeals.services import add_appeal_step, record_official_response
from cases.reasons import readable
from tests.factories import AppealFactory


def _rule39_answered_late(alice, case):
    appeal = AppealFactory(case=case, title="Rule 39 request", reference="")
    # As a Russian-speaking editor's request would run it.
    with translation.override("ru"):
        add_appeal_step(
            by=alice,
            reason="Суд указал меры",
            appeal=appeal,
            step_type=StepType.INTERIM_GRANTED,
            when="21 Mar 2017",
            response_due_on=date(2017, 3, 31),
        )
        record_official_response(
            by=alice,
            reason="Ответ властей",
            case=case,
            appeal=appeal,
            response_type=ResponseType.DENIAL,
            when="5 Apr 2017",
            state="RU",
        )
    return Deadline.objects.get(appeal=appeal)


def test_an_automatic_reason_is_stored_in_english_whoever_caused_it(alice, case):
    deadline = _rule39_answered_late(alice, case)

    reasons = list(deadline.history.order_by("history_date").values_list("history_change_reason", flat=True))

    assert reasons == ["Proposed automatically from a step", "Settled automatically by the answer of 5 Apr 2017"]


def test_the_history_page_reads_automatic_reasons_in_the_readers_language(alice_client, alice, case):
    deadline = _rule39_answered_late(alice, case)
    url = f"/admin/appeals/deadline/{deadline.pk}/history/"

    russian = alice_client.get(url, headers={"accept-language": "ru"}).content.decode()
    english = alice_client.get(url, headers={"accept-language": "en"}).content.decode()

    assert "Предложен автоматически по этапу" in russian
    assert "Закрыт автоматически ответом от 5 апреля 2017" in russian
    assert "Settled automatically" not in russian
    assert "Settled automatically by the answer of 5 Apr 2017" in english


def test_a_reason_typed_by_a_person_is_shown_as_typed():
    with translation.override("ru"):
        assert readable("Settled automatically, by hand") == "Settled automatically, by hand"
        assert readable("Settled automatically by the answer of the ministry") == (
            "Settled automatically by the answer of the ministry"
        )
        assert readable("Proposed automatically from a step") == "Предложен автоматически по этапу"


def test_a_proposed_deadlines_words_read_in_the_readers_language_in_the_case_history(alice_client, alice, case):
    _rule39_answered_late(alice, case)  # proposed while a Russian-speaking editor's request ran

    page = alice_client.get(f"/admin/cases/case/{case.pk}/history/", headers={"accept-language": "en"}).content.decode()

    assert "What is due : — → Government&#x27;s reply to the interim measures" in " ".join(
        re.sub(r"<[^>]+>", " ", page).split()
    )
    assert "Ответ властей на обеспечительные меры" not in page
