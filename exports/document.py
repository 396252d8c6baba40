"""The content of a case summary for one audience, built once and rendered in every format.

Only what the level's allowlist (exports/levels.py) names goes in; the renderers never look at
the records themselves, so no format can show more than another.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.enums import Forum, InterimMeasures, StepType
from appeals.models import Appeal
from cases.chronology import current_report
from cases.enums import Consent, Sensitivity, Status
from cases.fuzzydate import format_day, format_moment
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


def check_consent(case, level: str) -> None:
    """Refuse, naming codenames only, a level someone in the case did not consent to."""
    memberships = CaseMembership.objects.filter(case=case).select_related("person")
    if level in NEEDS_SHARING_CONSENT:
        missing = sorted({m.person.codename for m in memberships if not _consented_to_sharing(m.person)})
        if missing:
            raise ExportRefused(
                _("Not everyone in this case consented to sharing outside the team: %(codenames)s. Record their "
                  "consent first, or export for the internal team only.") % {"codenames": ", ".join(missing)}
            )  # fmt: skip
    if level == Level.PUBLIC:
        refused = sorted({m.person.codename for m in memberships if m.person.consent_publicity in REFUSED_PUBLICITY})
        if refused:
            raise ExportRefused(
                _("%(codenames)s refused or withdrew consent to publicity: this case cannot be exported for the "
                  "public.") % {"codenames": ", ".join(refused)}
            )  # fmt: skip


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
    # Each person's status as this case records it (not another case's), from what this level may state,
    # by the one rule of the app (cases.chronology).
    stated = defaultdict(list)
    for change in StatusChange.objects.filter(case=case).order_by("sequence"):
        if verifications is None or change.verification in verifications:
            stated[change.person_id].append(change)
    latest = {person_id: current_report(reports) for person_id, reports in stated.items()}
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
            birth = format_day(identity.birth_date) if identity.birth_date else identity.birth_year
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
            "date": str(source.published or ""), "url": clean(source.url),
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
        "when": str(event.when), "date": event.when.anchor.isoformat(), "kind": event.kind_label, "title": event.title,
        "people": ", ".join(people), "place": place, "detail": event.detail, "quote": event.quote,
        "verification": event.verification_label, "appeal": event.appeal, "state": event.state_label,
        "sources": [renumbered[n] for n in event.source_numbers if n in renumbered],
        "internal_notes": event.internal_notes,
        "findings": [clean(finding) for finding in event.findings],
        "awards": [clean(award) for award in event.awards],
        "compliance": "; ".join(f"{format_day(o.due)}: {o.label}" for o in event.occurrences),
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
    for appeal in Appeal.objects.filter(case=case).order_by(F("filed_start").asc(nulls_last=True), "created_at"):
        rows.append({
            "forum": str(Forum(appeal.forum).label), "kind": appeal.get_kind_display(),
            "reference": clean(appeal.reference), "title": clean(appeal.title),
            "filed": str(appeal.filed or ""),
            "stage": str(StepType(appeal.current_stage).label) if appeal.current_stage else "",
            "interim_measures": str(InterimMeasures(appeal.interim_measures).label) if appeal.interim_measures else "",
        })  # fmt: skip
    return rows
