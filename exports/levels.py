"""Who an export is for, and what each audience may read: an allowlist per level, never a denylist."""

from cases.enums import Consent, Level, SourceType, Verification

# What each level may show. Anything not listed here is left out of the document.
PERSON_FIELDS = {
    Level.INTERNAL: {"label", "role", "status", "name", "name_original_script", "birth", "contacts", "whereabouts"},
    Level.PARTNER: {"label", "role", "status"},
    Level.PUBLIC: {"label", "role", "status"},
}
CASE_FIELDS = {
    Level.INTERNAL: {"reference", "title", "summary", "region", "internal_notes"},
    Level.PARTNER: {"reference", "title", "summary", "region"},
    Level.PUBLIC: {"reference", "title", "summary", "region"},
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
# Leaving the team needs every person's consent to sharing with partners, or to publicity (which covers
# it); a public document goes further, so it needs at least as much. The team's own use needs none.
NEEDS_SHARING_CONSENT = {Level.PARTNER, Level.PUBLIC}
# At public level nobody who refused or withdrew publicity appears, even by codename.
REFUSED_PUBLICITY = {Consent.REFUSED, Consent.WITHDRAWN}
