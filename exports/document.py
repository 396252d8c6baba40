"""The content of a case summary for one audience, built once and rendered in every format.

Only what the level's allowlist (exports/levels.py) names goes in; the renderers never look at
the records themselves, so no format can show more than another.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.enums import Forum, InterimMeasures, StepType
from appeals.models import Appeal
from cases.enums import Consent, Sensitivity, Status, Verification
from cases.fuzzydate import FuzzyDate
from cases.models import CaseMembership, StatusChange
from cases.timeline import build_timeline
from exports.levels import (
    CASE_FIELDS,
    EVENT_FIELDS,
    EVENT_VERIFICATIONS,
    NEEDS_SHARING_CONSENT,
    PERSON_FIELDS,
    REFUSED_PUBLICITY,
    SOURCE_TYPES,
    Level,
)

# Statuses whose place says where a person is now.
WHEREABOUTS_STATUSES = {Status.IN_HIDING, Status.RELOCATED_IN_COUNTRY, Status.RELOCATED_ABROAD, Status.ASYLUM_GRANTED}
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
        return _("Export %(id)s · %(level)s · %(date)s · %(organisation)s") % {
            "id": self.export_id, "level": self.level_label, "date": f"{self.generated_at:%d %b %Y %H:%M} UTC",
            "organisation": self.organisation,
        }  # fmt: skip


def check_consent(case, level: str) -> None:
    """Refuse, naming codenames only, a level someone in the case did not consent to."""
    refusal = _consent_refusal(_people_of(case), level)
    if refusal is not None:
        raise refusal


def _people_of(case) -> list:
    memberships = CaseMembership.objects.filter(case=case).select_related("person").order_by("person__codename")
    return list({m.person_id: m.person for m in memberships}.values())


def _consent_refusal(people, level: str) -> ExportRefused | None:
    """Why these people's consent does not allow this level, or None when it does."""
    if level in NEEDS_SHARING_CONSENT:
        missing = [person for person in people if not _consented_to_sharing(person)]
        if missing:
            return ExportRefused(
                _("Not everyone in this case consented to sharing outside the team: %(codenames)s. Record their "
                  "consent first, or export for the internal team only.") % {"codenames": _codenames(missing)},
                people=missing,
            )  # fmt: skip
    if level == Level.PUBLIC:
        refused = [person for person in people if person.consent_publicity in REFUSED_PUBLICITY]
        if refused:
            return ExportRefused(
                _("%(codenames)s refused or withdrew consent to publicity: this case cannot be exported for the "
                  "public.") % {"codenames": _codenames(refused)},
                people=refused,
            )  # fmt: skip
    return None


def _codenames(people) -> str:
    return ", ".join(person.codename for person in people)


def _consented_to_sharing(person) -> bool:
    return Consent.GIVEN in {person.consent_partner_sharing, person.consent_publicity}


def _may_name(person, level, user) -> bool:
    if person.sensitivity == Sensitivity.PUBLIC and person.consent_publicity == Consent.GIVEN:
        return True
    return level == Level.INTERNAL and user.has_perm("cases.view_personidentity")


def build_document(case, *, user, level: str, export_id: str) -> Document:
    check_consent(case, level)
    level = Level(level)
    timeline = build_timeline(case)
    document = Document(
        export_id=export_id,
        level=level.value,
        level_label=str(level.label),
        generated_at=timezone.now(),
        organisation=settings.ORGANISATION_NAME,
        case={name: clean(getattr(case, name)) for name in CASE_FIELDS[level]},
    )
    document.people = _people(case, level, user)
    labels = {row.pop("person_id"): row["label"] for row in document.people}
    cited = None
    if EVENT_VERIFICATIONS[level] is not None:
        # A source cited only by a report this level leaves out would carry the report in its title.
        stated = _stated(timeline.events, level)
        cited = {n for event in stated for n in event.source_numbers}
    sources, renumbered = _sources(timeline.sources, level, cited)
    document.sources = sources
    document.events = _events(timeline.events, level, renumbered, labels)
    document.appeals = _appeals(case)
    return document


def _people(case, level, user) -> list[dict]:
    allowed = PERSON_FIELDS[level]
    may_see_identity = level == Level.INTERNAL and user.has_perm("cases.view_personidentity")
    verifications = EVENT_VERIFICATIONS[level]
    # Each person's status as this case records it (not another case's), at what this level may state.
    # Established reports first, as cases.services.refresh_current_status does for the app.
    changes = StatusChange.objects.filter(case=case).order_by("-date_end", "-date_start", "-created_at")
    established, reported = {}, {}
    for change in changes:
        if verifications is None or change.verification in verifications:
            reported.setdefault(change.person_id, change)
            if change.verification in (Verification.CONFIRMED, Verification.CREDIBLE):
                established.setdefault(change.person_id, change)
    latest = {**reported, **established}
    rows = []
    memberships = (
        CaseMembership.objects.filter(case=case).select_related("person__identity").order_by("person__codename")
    )
    for membership in memberships:
        person = membership.person
        identity = getattr(person, "identity", None) if hasattr(person, "identity") else None
        named = _may_name(person, level, user) and identity is not None and identity.legal_name
        change = latest.get(person.pk)
        values = {
            "person_id": person.pk,
            "label": f"{identity.legal_name} ({person.codename})" if named else person.codename,
            "role": membership.get_role_display(),
            "status": f"{change.get_status_display()} ({change.when})" if change else "—",
        }
        if identity is not None and may_see_identity:
            birth = identity.birth_date.isoformat() if identity.birth_date else identity.birth_year
            values.update(name=identity.legal_name, name_original_script=identity.name_original_script,
                          birth=str(birth or ""), contacts=identity.contacts,
                          whereabouts=identity.current_whereabouts)  # fmt: skip
        rows.append({key: clean(value) for key, value in values.items() if key in allowed | {"person_id"}})
    return rows


def _stated(events, level) -> list:
    verifications = EVENT_VERIFICATIONS[level]
    kept = [e for e in events if verifications is None or e.verification in verifications]
    return kept + [
        a for e in kept for a in e.other_accounts if verifications is None or a.verification in verifications
    ]


def _sources(sources, level, cited=None) -> tuple[list[dict], dict]:
    allowed_types = SOURCE_TYPES[level]
    kept, renumbered = [], {}
    for number, source in enumerate(sources, start=1):
        if allowed_types is not None and source.source_type not in allowed_types:
            continue
        if cited is not None and number not in cited:
            continue
        renumbered[number] = len(kept) + 1
        kept.append({
            "number": len(kept) + 1, "title": clean(source.title), "publisher": clean(source.publisher),
            "date": source.published_on.isoformat() if source.published_on else "", "url": clean(source.url),
            "type": source.get_source_type_display(),
        })  # fmt: skip
    return kept, renumbered


def _event(event, level, renumbered, labels) -> dict:
    # People as this level names them (the timeline itself names only those who consented to publicity).
    people = sorted(labels[p] for p in event.person_ids if p in labels) or event.people
    place = event.place
    if level != Level.INTERNAL and event.status in WHEREABOUTS_STATUSES:
        place = ""  # where someone hides or was resettled is where they are now
    values = {
        "when": str(event.when), "date": event.when.start.isoformat(), "kind": event.kind_label, "title": event.title,
        "people": ", ".join(people), "place": place, "detail": event.detail, "quote": event.quote,
        "verification": event.verification_label, "appeal": event.appeal, "state": event.state_label,
        "sources": [renumbered[n] for n in event.source_numbers if n in renumbered],
        "internal_notes": event.internal_notes,
    }  # fmt: skip
    allowed = EVENT_FIELDS[level] | {"date"}
    row = {key: clean(value) for key, value in values.items() if key in allowed}
    verifications = EVENT_VERIFICATIONS[level]
    accounts = [a for a in event.other_accounts if verifications is None or a.verification in verifications]
    row["other_accounts"] = [_event(account, level, renumbered, labels) for account in accounts]
    return row


def _events(events, level, renumbered, labels) -> list[dict]:
    verifications = EVENT_VERIFICATIONS[level]
    return [_event(e, level, renumbered, labels) for e in events
            if verifications is None or e.verification in verifications]  # fmt: skip


def _appeals(case) -> list[dict]:
    rows = []
    for appeal in Appeal.objects.filter(case=case).order_by("filed_on", "created_at"):
        rows.append({
            "forum": str(Forum(appeal.forum).label), "kind": appeal.get_kind_display(),
            "reference": clean(appeal.reference), "title": clean(appeal.title),
            "filed_on": str(FuzzyDate.exact(appeal.filed_on)) if appeal.filed_on else "",
            "stage": str(StepType(appeal.current_stage).label) if appeal.current_stage else "",
            "interim_measures": str(InterimMeasures(appeal.interim_measures).label) if appeal.interim_measures else "",
        })  # fmt: skip
    return rows
