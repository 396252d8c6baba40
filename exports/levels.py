"""Who an export is for, and what each audience may read: an allowlist per level, never a denylist."""

from cases.enums import Level, SourceType, Verification

# What each level may show. Anything not listed here is left out of the document.
PERSON_FIELDS = {
    Level.INTERNAL: {"label", "role", "status", "name", "name_original_script", "birth", "contacts", "whereabouts"},
    Level.PARTNER: {"label", "role", "status"},
    Level.PUBLIC: {"label", "role", "status"},
}
# In the order a document lists them (a set would list them in an order that changes with the server process).
CASE_FIELDS = {
    Level.INTERNAL: ("reference", "title", "summary", "region", "internal_notes"),
    Level.PARTNER: ("reference", "title", "summary", "region"),
    Level.PUBLIC: ("reference", "title", "summary", "region"),
}
# Outcomes (findings per Article, awards) and a recurring obligation's compliance are public facts of the
# proceedings: every level states them.
EVENT_FIELDS = {
    Level.INTERNAL: {"when", "kind", "title", "people", "place", "detail", "quote", "verification", "appeal", "state",
                     "sources", "internal_notes", "findings", "awards", "compliance"},
    Level.PARTNER: {"when", "kind", "title", "people", "place", "detail", "quote", "verification", "appeal", "state",
                    "sources", "findings", "awards", "compliance"},
    Level.PUBLIC: {"when", "kind", "title", "people", "place", "detail", "quote", "verification", "appeal", "state",
                   "sources", "findings", "awards", "compliance"},
}  # fmt: skip
# Public documents state only what is established; unverified and disputed reports stay inside.
EVENT_VERIFICATIONS = {
    Level.INTERNAL: None,
    Level.PARTNER: None,
    Level.PUBLIC: {Verification.CONFIRMED, Verification.CREDIBLE, ""},
}
SOURCE_TYPES = {
    Level.INTERNAL: None,
    Level.PARTNER: set(SourceType.values) - {SourceType.INTERNAL_NOTE},
    Level.PUBLIC: set(SourceType.values) - {SourceType.INTERNAL_NOTE, SourceType.WITNESS_STATEMENT},
}
# A partner document leaves the team only with everyone's consent to sharing with partners, or to
# publicity (which covers it). The team's own use needs none.
NEEDS_SHARING_CONSENT = {Level.PARTNER}
# A public document states what concerns a person only with their consent to publicity: anyone else
# appears at most as "one more person (details withheld)", and restricted people not at all.
NEEDS_PUBLICITY_CONSENT = {Level.PUBLIC}
