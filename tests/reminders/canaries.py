"""What must never reach a mail server or a calendar: every name, place, quote, note and free text of the records.

(Not the institutions: a publisher, a mandate or a ministry names no one, and shares words with the forums.)
Collected from the database itself (the demo's real names and places, and whatever a test plants), so a new
field of the demo cannot slip past a hand-written list.
"""

import re

from appeals.models import Appeal, AppealStep, Deadline, OfficialResponse
from cases.models import Case, CaseMembership, NameVariant, PersonIdentity, Source, StatusChange

# Free text a test writes into the demo's Rule 39 deadline (tests/reminders/conftest.py, `demo`).
PLANTED = {
    "description": "Canary deadline description Zaurbekov",
    "note": "Canary deadline note in Gudermes",
}
# Field values shorter than this are too common to be told apart from ordinary words.
SHORTEST = 4
FREE_TEXT = {
    Case: ("title", "summary", "region", "internal_notes"),
    CaseMembership: ("note",),
    StatusChange: ("place", "whereabouts", "description"),
    Source: ("title",),
    # An appeal's reference too: the Court's and the UN's registers name the applicant behind it.
    Appeal: ("title", "filed_by", "notes", "reference"),
    AppealStep: ("description",),
    Deadline: ("description", "note"),
    OfficialResponse: ("official", "summary", "quote"),
    PersonIdentity: ("legal_name", "name_original_script", "contacts", "current_whereabouts"),
    NameVariant: ("name",),
}
# Of names, each word is a canary on its own: a surname alone identifies.
NAMES = {PersonIdentity: ("legal_name", "name_original_script"), NameVariant: ("name",)}


def canaries() -> set[str]:
    found = set()
    for model, fields in FREE_TEXT.items():
        for values in model._base_manager.values_list(*fields):
            found |= {value.strip() for value in values if value and len(value.strip()) >= SHORTEST}
    for model, fields in NAMES.items():
        for values in model._base_manager.values_list(*fields):
            for value in filter(None, values):
                found |= {word for word in re.findall(r"\w+", value) if len(word) >= SHORTEST}
    return found


def leaked(text: str, secrets: set[str]) -> list[str]:
    folded = text.casefold()
    return sorted(secret for secret in secrets if secret.casefold() in folded)
