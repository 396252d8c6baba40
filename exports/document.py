"""The content of a case summary for one audience, built once and rendered in every format.

Only what the level's allowlist (exports/levels.py) names goes in; the renderers never look at
the records themselves, so no format can show more than another.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals.enums import Forum, InterimMeasures, StepType
from appeals.timeline import build_timeline
from cases.chronology import current_report
from cases.enums import WHEREABOUTS_STATUSES, Consent, Sensitivity, Verification
from cases.fuzzydate import format_day, format_moment
from cases.models import may_see_identities, person_label
from exports.levels import (
    CASE_FIELDS,
    EVENT_FIELDS,
    EVENT_VERIFICATIONS,
    NEEDS_PUBLICITY_CONSENT,
    NEEDS_SHARING_CONSENT,
    PERSON_FIELDS,
    SOURCE_TYPES,
    Level,
)

# Characters (pasted from word processors) that PDF and Word files cannot hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(value):
    # A space, not nothing: the words on either side stay apart.
    return _CONTROL.sub(" ", value) if isinstance(value, str) else value


class ExportRefused(Exception):
    """The audience asked for is one the people in the case did not consent to."""

    def __init__(self, message, *, people=()):
        super().__init__(message)
        # Whose consent is missing, so that a page can lead to where it is recorded.
        self.people = list(people)


@dataclass
class Document:
    export_id: str
    level: str
    level_label: str
    generated_at: datetime
    organisation: str
    case: dict
    people: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    appeals: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    @property
    def footer(self) -> str:
        moment = f"{format_moment(self.generated_at)} {timezone.get_current_timezone_name()}"
        return _("Export %(id)s · %(level)s · %(date)s · %(organisation)s") % {
            "id": self.export_id,
            "level": self.level_label,
            "date": moment,
            "organisation": self.organisation,
        }


def _people_of(timeline) -> list:
    """Everyone in the case once, by codename, from the memberships the timeline read."""
    people = {m.person_id: m.person for m in sorted(timeline.memberships, key=lambda m: m.person.codename)}
    return list(people.values())


def _consent_refusal(people, level: str) -> ExportRefused | None:
    """Why these people's consent does not allow this level, or None when it does."""
    if level in NEEDS_SHARING_CONSENT:
        missing = [person for person in people if not _consented_to_sharing(person)]
        if missing:
            return ExportRefused(
                _(
                    "Not everyone in this case consented to sharing outside the team: %(codenames)s. Record their "
                    "consent first, or export for the internal team only."
                )
                % {"codenames": _codenames(missing)},
                people=missing,
            )
    return None


def _withheld(people, level) -> dict:
    """Who this level may say nothing specific about, by id: True for those it leaves out altogether
    (restricted people), False for those it shows only as "one more person (details withheld)"."""
    if level not in NEEDS_PUBLICITY_CONSENT:
        return {}
    return {
        person.pk: person.sensitivity == Sensitivity.RESTRICTED
        for person in people
        if person.consent_publicity != Consent.GIVEN
    }


def _concerns_only(event, withheld) -> bool:
    """Whether an event is about people of whom nothing may be said, and no one else."""
    return bool(event.person_ids) and set(event.person_ids) <= set(withheld)


def _codenames(people) -> str:
    return ", ".join(person.codename for person in people)


def _consented_to_sharing(person) -> bool:
    return Consent.GIVEN in {person.consent_partner_sharing, person.consent_publicity}


def _is_stated(report, level) -> bool:
    """Whether this level states a report of this verification (a status change, an event)."""
    verifications = EVENT_VERIFICATIONS[level]
    return verifications is None or report.verification in verifications


def build_document(case, *, user, level: str, export_id: str) -> Document:
    """The document for one audience, from one read of the case (its timeline); refused, naming codenames
    only, for a level someone in the case did not consent to."""
    level = Level(level)
    timeline = build_timeline(case, reveal_whereabouts=may_see_identities(user, level))
    refusal = _consent_refusal(_people_of(timeline), level)
    if refusal is not None:
        raise refusal
    document = Document(
        export_id=export_id,
        level=level.value,
        level_label=str(level.label),
        generated_at=timezone.now(),
        organisation=settings.ORGANISATION_NAME,
        case={name: clean(getattr(case, name)) for name in CASE_FIELDS[level]},
    )
    withheld = _withheld(_people_of(timeline), level)
    document.people = _people(timeline, level, user, withheld)
    labels = {row.pop("person_id"): row["label"] for row in document.people if row.get("person_id")}
    appeals = [
        a
        for a in timeline.appeals
        if not set(timeline.appeal_people.get(a.pk, ())) or not set(timeline.appeal_people[a.pk]) <= set(withheld)
    ]
    # An appeal left out is named by no event either (a fact about the State mentions the appeals it bears on).
    shown_appeals = {a.pk for a in appeals}
    events = [e.mentioning_only(shown_appeals) for e in timeline.events if not _concerns_only(e, withheld)]
    sources, renumbered = _sources(timeline.sources, level, _cited(events, level))
    document.sources = sources
    document.events = _events(events, level, renumbered, labels)
    document.appeals = _appeals(appeals)
    return document


def _people(timeline, level, user, withheld) -> list[dict]:
    allowed = PERSON_FIELDS[level]
    may_see_identity = may_see_identities(user, level)
    rows, shown = [], set()
    for membership in sorted(timeline.memberships, key=lambda m: (m.person.codename, m.role)):
        person = membership.person
        if person.pk in withheld:
            if not withheld[person.pk] and person.pk not in shown:
                rows.append(
                    {"person_id": None, "label": _("One more person (details withheld)"), "role": "", "status": ""}
                )
            shown.add(person.pk)
            continue
        identity = person.identity_or_none
        # The person's status as this case records it (not another case's), from what this level may
        # state, by the one rule of the app (cases.chronology).
        stated = [r for r in timeline.reports_by_person.get(person.pk, []) if _is_stated(r, level)]
        change = current_report(stated)
        values = {
            "person_id": person.pk,
            "label": person_label(person, level, user),
            "role": membership.get_role_display(),
            "status": f"{change.get_status_display()} ({change.when})" if change else "—",
        }
        if identity is not None and may_see_identity:
            birth = format_day(identity.birth_date) if identity.birth_date else identity.birth_year
            values.update(
                name=identity.legal_name,
                name_original_script=identity.name_original_script,
                birth=str(birth or ""),
                contacts=identity.contacts,
                whereabouts=identity.current_whereabouts,
            )
        rows.append({key: clean(value) for key, value in values.items() if key in allowed | {"person_id"}})
    return rows


def _stated(events, level) -> list:
    kept = [e for e in events if _is_stated(e, level)]
    return kept + [a for e in kept for a in e.other_accounts if _is_stated(a, level)]


def _cited(events, level) -> set | None:
    """The numbers of the sources that the events this level states cite, if it lists only those."""
    if EVENT_VERIFICATIONS[level] is None:
        return None
    # A source cited only by a report this level leaves out would carry the report in its title.
    return {n for event in _stated(events, level) for n in event.source_numbers}


def _source_left_out(source, number, level, cited) -> str:
    """Why this level lists no source numbered ``number`` ("type" or "uncited"), or "" when it does."""
    allowed_types = SOURCE_TYPES[level]
    if allowed_types is not None and source.source_type not in allowed_types:
        return "type"
    if cited is not None and number not in cited:
        return "uncited"
    return ""


def _hides_place(event, level) -> bool:
    # Where someone hides or was resettled is where they are now.
    return level != Level.INTERNAL and event.status in WHEREABOUTS_STATUSES


def _sources(sources, level, cited=None) -> tuple[list[dict], dict]:
    kept, renumbered = [], {}
    for number, source in enumerate(sources, start=1):
        if _source_left_out(source, number, level, cited):
            continue
        renumbered[number] = len(kept) + 1
        kept.append(
            {
                "number": len(kept) + 1,
                "title": clean(source.title),
                "publisher": clean(source.publisher),
                "date": str(source.published or ""),
                "url": clean(source.url),
                "type": source.get_source_type_display(),
            }
        )
    return kept, renumbered


def _event(event, level, renumbered, labels) -> dict:
    # People as this level names them; those it withholds are not named, even by codename.
    people = sorted(labels[p] for p in event.person_ids if p in labels) if event.person_ids else event.people
    place = "" if _hides_place(event, level) else event.place
    values = {
        "when": str(event.when),
        "date": event.when.anchor.isoformat(),
        "kind": event.kind_label,
        "title": event.title,
        "people": ", ".join(people),
        "place": place,
        "detail": event.detail,
        "quote": event.quote,
        "verification": event.verification_label,
        "appeal": event.appeal,
        "state": event.state_label,
        "sources": [renumbered[n] for n in event.source_numbers if n in renumbered],
        "internal_notes": event.internal_notes,
        "findings": [clean(finding) for finding in event.findings],
        "awards": [clean(award) for award in event.awards],
        "compliance": "; ".join(f"{format_day(o.due)}: {o.label}" for o in event.occurrences),
    }
    allowed = EVENT_FIELDS[level] | {"date"}
    row = {key: clean(value) for key, value in values.items() if key in allowed}
    accounts = [a for a in event.other_accounts if _is_stated(a, level)]
    row["other_accounts"] = [_event(account, level, renumbered, labels) for account in accounts]
    return row


def _events(events, level, renumbered, labels) -> list[dict]:
    return [_event(e, level, renumbered, labels) for e in events if _is_stated(e, level)]


def _appeals(appeals) -> list[dict]:
    rows = []
    for appeal in sorted(appeals, key=lambda a: (a.filed_start is None, a.filed_start, a.created_at)):
        rows.append(
            {
                "forum": str(Forum(appeal.forum).label),
                "kind": appeal.get_kind_display(),
                "reference": clean(appeal.reference),
                "title": clean(appeal.title),
                "filed": str(appeal.filed or ""),
                "stage": str(StepType(appeal.current_stage).label) if appeal.current_stage else "",
                "interim_measures": str(InterimMeasures(appeal.interim_measures).label)
                if appeal.interim_measures
                else "",
            }
        )
    return rows


# --- What each level leaves out, told on the export form before anyone exports ------------------


@dataclass
class LeftOut:
    level: str
    label: str
    sentences: list[str]
    # Whether this level's document is refused altogether (someone's consent does not allow it).
    refused: bool = False


def left_out(case, *, user, timeline=None) -> list[LeftOut]:
    """For each level, what its document of this case would leave out and why, from the rules above.

    ``timeline`` is the case's whole timeline as it is now, when the caller has built it already.
    """
    timeline = timeline or build_timeline(case)
    people = _people_of(timeline)
    found = []
    for level in Level:
        refusal = _consent_refusal(people, level)
        if refusal is not None:
            found.append(LeftOut(level.value, str(level.label), [str(refusal)], refused=True))
        else:
            found.append(LeftOut(level.value, str(level.label), _left_out_at(level, case, timeline, people, user)))
    return found


def _left_out_at(level, case, timeline, people, user) -> list[str]:
    withheld = _withheld(people, level)
    sentences = [
        _withheld_left_out(withheld),
        _reports_left_out(timeline.events, level),
        *_sources_left_out(timeline, level),
        _notes_left_out(case, timeline.events, level),
        _names_left_out([p for p in people if p.pk not in withheld], level, user),
        _identity_left_out(people, level, user),
        _places_left_out(timeline.events, level),
    ]
    return [sentence for sentence in sentences if sentence]


def _withheld_left_out(withheld: dict) -> str:
    shown, left = sum(not out for out in withheld.values()), sum(withheld.values())
    sentences = []
    if shown:
        sentences.append(
            ngettext(
                "%(count)d person did not consent to publicity: shown only as “one more person (details withheld)”, "
                "with nothing that concerns only them.",
                "%(count)d people did not consent to publicity: shown only as “one more person (details withheld)”, "
                "with nothing that concerns only them.",
                shown,
            )
            % {"count": shown}
        )
    if left:
        sentences.append(
            ngettext(
                "%(count)d restricted person without consent to publicity is left out altogether.",
                "%(count)d restricted people without consent to publicity are left out altogether.",
                left,
            )
            % {"count": left}
        )
    return " ".join(sentences)


def _with_other_accounts(events) -> list:
    return [*events, *(account for event in events for account in event.other_accounts)]


def _reports_left_out(events, level) -> str:
    stated = {id(event) for event in _stated(events, level)}
    left = [event for event in _with_other_accounts(events) if id(event) not in stated]
    if not left:
        return ""
    # An account that is established itself goes with the report it disagrees with.
    kinds = Counter(
        event.verification_label.lower() if not _is_stated(event, level) else _("other account of a report left out")
        for event in left
    )
    stated_kinds = get_text_list([v.label.lower() for v in Verification if v in EVENT_VERIFICATIONS[level]], _("or"))
    return ngettext(
        "%(count)d report is left out (%(kinds)s): only %(stated)s reports are stated at this level.",
        "%(count)d reports are left out (%(kinds)s): only %(stated)s reports are stated at this level.",
        len(left),
    ) % {"count": len(left), "kinds": _counted(kinds), "stated": stated_kinds}


def _sources_left_out(timeline, level) -> list[str]:
    cited = _cited(timeline.events, level)
    reasons = [(_source_left_out(s, n, level, cited), s) for n, s in enumerate(timeline.sources, start=1)]
    types = Counter(source.get_source_type_display().lower() for reason, source in reasons if reason == "type")
    uncited = sum(reason == "uncited" for reason, _source in reasons)
    sentences = []
    if types:
        count = types.total()
        sentences.append(
            ngettext(
                "%(count)d source is left out for its type (%(types)s): this level does not list that type.",
                "%(count)d sources are left out for their type (%(types)s): this level does not list those types.",
                count,
            )
            % {"count": count, "types": _counted(types)}
        )
    if uncited:
        sentences.append(
            ngettext(
                "%(count)d source is not cited by any event that may be published and will be left out.",
                "%(count)d sources are not cited by any event that may be published and will be left out.",
                uncited,
            )
            % {"count": uncited}
        )
    return sentences


def _counted(counter: Counter) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in counter.most_common())


def _notes_left_out(case, events, level) -> str:
    in_case = case.internal_notes and "internal_notes" not in CASE_FIELDS[level]
    noted = any(event.internal_notes for event in _with_other_accounts(events))
    in_events = noted and "internal_notes" not in EVENT_FIELDS[level]
    return _("Internal notes are left out.") if in_case or in_events else ""


def _names_left_out(people, level, user) -> str:
    unnamed = sum(not (person.is_public or may_see_identities(user, level)) for person in people)
    if not unnamed:
        return ""
    if level == Level.INTERNAL:
        why = _("your account may not see identities")
    else:
        why = _("only people marked public who consented to publicity are named")
    return ngettext(
        "%(count)d person is shown by codename only: %(why)s.",
        "%(count)d people are shown by codename only: %(why)s.",
        unnamed,
    ) % {"count": unnamed, "why": why}


def _identity_left_out(people, level, user) -> str:
    details = {"contacts", "whereabouts", "birth"}
    if people and not (may_see_identities(user, level) and details <= PERSON_FIELDS[level]):
        return _("Contacts, whereabouts and other identity details are left out.")
    return ""


def _places_left_out(events, level) -> str:
    hidden = sum(bool(event.place) and _hides_place(event, level) for event in _stated(events, level))
    if not hidden:
        return ""
    return ngettext(
        "The place of %(count)d report of hiding or relocation is left out: it says where someone is now.",
        "The places of %(count)d reports of hiding or relocation are left out: they say where someone is now.",
        hidden,
    ) % {"count": hidden}
