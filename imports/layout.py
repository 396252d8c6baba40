"""The column layout of each kind of record, for imports, their templates and exports alike.

One sheet per kind of record, one row per record, the columns named as below (in any order; columns named
otherwise are mapped to these on the mapping page). Each kind has an id column: an id of the sheet's own
("P-017"), kept so that importing a corrected sheet again updates the records instead of doubling them.
Records refer to one another by these ids (a status change names its ``case_id`` and ``person_id``). A case
that already exists in the tracker is named by its reference (``C-7KQ2MX``) in the cases sheet. docs/import.md
describes every column for staff.
"""

import functools
from dataclasses import dataclass, field

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from cases.enums import Consent, Reliability, Role, Sensitivity, SourceType, Status, Verification

TEXT, CHOICE, DATE, DAY, YEAR, REF, REFS = "text", "choice", "date", "day", "year", "ref", "refs"
# Several ids or names in one cell are separated by semicolons: commas occur inside names and titles.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    kind: str = TEXT
    required: bool = False
    choices: type[models.TextChoices] | None = None
    ref: str = ""  # the record type an id refers to


@dataclass(frozen=True)
class RecordType:
    key: str
    sheet: str
    label: str
    id_column: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id(name, what, example):
    return Column(
        name,
        _("The id of %(what)s in your records, e.g. %(example)s; kept for the next import.")
        % {"what": what, "example": example},
        required=True,
    )


def _ref(name, ref, what, required=True):
    return Column(name, _("The id of %(what)s, as in its own sheet.") % {"what": what}, REF, required, ref=ref)


CASES = RecordType(
    "cases",
    "Cases",
    _("Cases"),
    "case_id",
    (
        _id("case_id", _("the case"), "K-017"),
        Column("reference", _("To add to a case already in the tracker: its reference, e.g. C-7KQ2MX.")),
        Column("title", _("Required for a new case. Codenames, never names of confidential people.")),
        Column("summary", _("What the case is about.")),
        Column("region", _("Region or town, never an address.")),
        Column("opened_on", _("A day, e.g. 8 Feb 2021; today if empty."), DAY),
        Column("confidentiality", _("Public, confidential or restricted."), CHOICE, choices=Sensitivity),
        Column("internal_notes", _("Never exported outside the team.")),
    ),
    aliases=("case", "дела", "дело"),
)
PEOPLE = RecordType(
    "people",
    "People",
    _("People"),
    "person_id",
    (
        _id("person_id", _("the person"), "P-017"),
        Column("legal_name", _("Name in Latin script (protected).")),
        Column("name_original_script", _("Name as written in its own script, e.g. Cyrillic (protected).")),
        Column("other_names", _("Other spellings, separated by semicolons (protected).")),
        Column("birth_date", _("Date of birth, a day (protected)."), DAY),
        Column("birth_year", _("Year of birth when only the year is known (protected)."), YEAR),
        Column("contacts", _("Contacts (protected).")),
        Column("current_whereabouts", _("Where they are now (protected, never exported outside the team).")),
        Column(
            "sensitivity", _("Public, confidential or restricted; confidential if empty."), CHOICE, choices=Sensitivity
        ),  # fmt: skip
        Column("consent_publicity", _("Not asked, given, refused or withdrawn."), CHOICE, choices=Consent),
        Column("consent_partner_sharing", _("Not asked, given, refused or withdrawn."), CHOICE, choices=Consent),
        Column("consent_un_submission", _("Not asked, given, refused or withdrawn."), CHOICE, choices=Consent),
        Column("consent_recorded", _("When consent was recorded, as precisely as known."), DATE),
        Column("consent_notes", _("Who gave or withdrew consent, and how.")),
    ),
    aliases=("persons", "person", "люди", "лица"),
)
CASE_PEOPLE = RecordType(
    "case_people",
    "Case people",
    _("People in cases"),
    "",
    (
        _ref("case_id", "cases", _("the case")),
        _ref("person_id", "people", _("the person")),
        Column("role", _("Victim, applicant, relative, witness…"), CHOICE, True, choices=Role),
        Column("note", _("A short note on their part in the case.")),
    ),
    aliases=("memberships", "people in cases"),
)
SOURCES = RecordType(
    "sources",
    "Sources",
    _("Sources"),
    "source_id",
    (
        _id("source_id", _("the source"), "S-017"),
        _ref("case_id", "cases", _("the case")),
        Column("source_type", _("Media article, NGO report, court document…"), CHOICE, True, choices=SourceType),
        Column("title", _("Its title."), required=True),
        Column("publisher", _("Who published it.")),
        Column("published", _("When, as precisely as known."), DATE),
        Column("url", _("Its address on the web.")),
        Column("language", _("e.g. en, ru")),
        Column("reliability", _("High, medium, low or not assessed."), CHOICE, choices=Reliability),
    ),
    aliases=("источники",),
)
STATUS_CHANGES = RecordType(
    "status_changes",
    "Status changes",
    _("Status changes"),
    "event_id",
    (
        _id("event_id", _("the report"), "E-017"),
        _ref("case_id", "cases", _("the case")),
        _ref("person_id", "people", _("the person")),
        Column("status", _("Detained, in hiding, released…"), CHOICE, True, choices=Status),
        Column("when", _("As precisely as known: 8 Feb 2021, Feb 2023, c. 2017, февраль 2019…"), DATE, True),
        Column("place", _("Region or town, never an address; not for hiding or relocation.")),
        Column("whereabouts", _("For hiding, relocation or asylum: where they are (protected).")),
        Column("description", _("What was reported.")),
        Column(
            "verification",
            _("Confirmed, credible, unverified or disputed; unverified if empty."),
            CHOICE,
            choices=Verification,
        ),  # fmt: skip
        Column("sources", _("Ids of its sources, separated by semicolons."), REFS, ref="sources"),
        Column("internal_notes", _("Never exported outside the team.")),
    ),
    aliases=("events", "statuses", "status", "события", "статусы"),
)
APPEALS = RecordType(
    "appeals",
    "Appeals",
    _("Appeals"),
    "appeal_id",
    (
        _id("appeal_id", _("the appeal"), "A-017"),
        _ref("case_id", "cases", _("the case")),
        Column("forum", _("ECtHR, UN Special Procedures, WGEID…"), CHOICE, True, choices=Forum),
        Column("kind", _("Application, urgent appeal, complaint…"), CHOICE, True, choices=AppealKind),
        Column("reference", _("The forum's number, e.g. 28834/19.")),
        Column("title", _("e.g. Lapunov v. Russia; codenames for confidential people.")),
        Column("filed", _("When it was filed, as precisely as known."), DATE),
        Column("respondent_state", _("Two-letter code of the State, e.g. RU.")),
        Column("facts", _("When the facts complained of happened."), DATE),
        Column("filed_by", _("Who filed it.")),
        Column("people", _("Ids of the people it covers, separated by semicolons."), REFS, ref="people"),
        Column("notes", _("Internal notes.")),
    ),
    aliases=("жалобы", "обращения"),
)
APPEAL_STEPS = RecordType(
    "appeal_steps",
    "Appeal steps",
    _("Appeal steps"),
    "step_id",
    (
        _id("step_id", _("the step"), "ST-017"),
        _ref("appeal_id", "appeals", _("the appeal")),
        Column("step", _("Lodged, communicated, judgment…"), CHOICE, True, choices=StepType),
        Column("when", _("As precisely as known."), DATE, True),
        Column("description", _("What happened.")),
        Column("reply_due_on", _("When this step asks for an answer by a day."), DAY),
        Column("sources", _("Ids of its sources, separated by semicolons."), REFS, ref="sources"),
    ),
    aliases=("steps",),
)
RESPONSES = RecordType(
    "responses",
    "Official responses",
    _("Official responses"),
    "response_id",
    (
        _id("response_id", _("the response"), "R-017"),
        _ref("case_id", "cases", _("the case")),
        _ref("appeal_id", "appeals", _("the appeal it answers, if any"), required=False),
        Column("response_type", _("Denial, acknowledgement, substantive reply…"), CHOICE, True, choices=ResponseType),
        Column("when", _("As precisely as known."), DATE, True),
        Column("state", _("e.g. Russian Federation")),
        Column("body", _("e.g. Ministry of Justice")),
        Column("official", _("A named official.")),
        Column("summary", _("What they said or did.")),
        Column("quote", _("Their words.")),
        Column("verification", _("Confirmed if empty."), CHOICE, choices=Verification),
        Column("sources", _("Ids of its sources, separated by semicolons."), REFS, ref="sources"),
    ),
    aliases=("responses", "answers", "ответы"),
)

# In the order they are imported: what a record refers to comes before it.
RECORD_TYPES = (CASES, PEOPLE, CASE_PEOPLE, SOURCES, STATUS_CHANGES, APPEALS, APPEAL_STEPS, RESPONSES)
BY_KEY = {t.key: t for t in RECORD_TYPES}


def _normal(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").casefold().split())


def record_type_for(sheet_name: str, headers: list[str]) -> RecordType | None:
    """The kind of records a sheet holds, by its name, or else by its columns."""
    name = _normal(sheet_name)
    for record_type in RECORD_TYPES:
        if name in {_normal(record_type.key), _normal(record_type.sheet), *map(_normal, record_type.aliases)}:
            return record_type
    normal_headers = {_normal(h) for h in headers}
    fitting = [t for t in RECORD_TYPES if {_normal(c.name) for c in t.columns if c.required} <= normal_headers]
    return max(fitting, key=lambda t: len(normal_headers & {_normal(c) for c in t.names}), default=None)


def default_columns(record_type: RecordType, headers: list[str]) -> dict[str, str]:
    """Which of our columns each header names, where it names one exactly (spacing and case aside)."""
    ours = {_normal(c.name): c.name for c in record_type.columns}
    return {header: ours[_normal(header)] for header in headers if _normal(header) in ours}


@functools.cache
def _spellings(choices: type[models.TextChoices]) -> dict[str, str]:
    found = {}
    for language in ("ru", "en"):
        with translation.override(language):
            found.update({_normal(str(label)): value for value, label in choices.choices})
    found.update({_normal(value): value for value in choices.values})
    return found


def choice_value(column: Column, text: str) -> str | None:
    """The stored value a cell names: the value itself or its label, in English or Russian, any case."""
    return _spellings(column.choices).get(_normal(text))
