"""Vocabularies of the case records. Labels are what staff read; values are stored."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public (consented to publicity)")
    CONFIDENTIAL = "confidential", _("Confidential")
    RESTRICTED = "restricted", _("Restricted (life at risk if disclosed)")


class Level(models.TextChoices):
    """Who a document is for: the case team, a partner organisation or the public. It decides who may be
    named (cases.models.person_label) and, in exports/levels.py, what each audience may read."""

    INTERNAL = "internal", _("Internal (the case team)")
    PARTNER = "partner", _("Partner organisation")
    PUBLIC = "public", _("Public (press, publication)")


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Role(models.TextChoices):
    VICTIM = "victim", _("Victim")
    APPLICANT = "applicant", _("Applicant")
    RELATIVE = "relative", _("Relative")
    REPRESENTATIVE = "representative", _("Lawyer / representative")
    WITNESS = "witness", _("Witness")
    ACTIVIST = "activist", _("Activist")
    JOURNALIST = "journalist", _("Journalist")
    ALLEGED_PERPETRATOR = "alleged_perpetrator", _("Alleged perpetrator")
    OFFICIAL = "official", _("Official")


class Status(models.TextChoices):
    AT_LIBERTY = "at_liberty", _("At liberty in the region")
    IN_HIDING = "in_hiding", _("In hiding / safe house")
    RELOCATED_IN_COUNTRY = "relocated_in_country", _("Relocated within the country")
    RELOCATED_ABROAD = "relocated_abroad", _("Relocated abroad")
    ASYLUM_GRANTED = "asylum_granted", _("Asylum granted")
    DETAINED = "detained", _("Detained (acknowledged)")
    DETAINED_INCOMMUNICADO = "detained_incommunicado", _("Detained incommunicado")
    TRANSFERRED = "transferred", _("Transferred")
    CHARGED = "charged", _("Charged")
    CONVICTED = "convicted", _("Convicted / imprisoned")
    RELEASED = "released", _("Released")
    DISAPPEARED = "disappeared", _("Disappeared / whereabouts unknown")
    PRESUMED_DEAD = "presumed_dead", _("Presumed dead")
    DEAD = "dead", _("Dead (confirmed)")
    UNKNOWN = "unknown", _("Unknown")


class Verification(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CREDIBLE = "credible", _("Credible")
    UNVERIFIED = "unverified", _("Unverified")
    DISPUTED = "disputed", _("Disputed / denied")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    RANGE = "range", _("Range")
    APPROXIMATE = "approximate", _("Approximate")
    # Known at one end only: the other end is stored as no date, never a made-up day.
    BEFORE = "before", _("Before")
    UNTIL = "until", _("Until")
    AFTER = "after", _("After")
    SINCE = "since", _("Since")


class SourceType(models.TextChoices):
    MEDIA = "media", _("Media article")
    NGO_REPORT = "ngo_report", _("NGO report")
    COURT_DOCUMENT = "court_document", _("Court document")
    UN_DOCUMENT = "un_document", _("UN document")
    INTERGOVERNMENTAL_DOCUMENT = "intergovernmental", _("OSCE, Council of Europe or other intergovernmental document")
    WITNESS_STATEMENT = "witness_statement", _("Witness statement")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    INTERNAL_NOTE = "internal_note", _("Internal note")


class Reliability(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Not assessed")


class Script(models.TextChoices):
    CYRILLIC = "cyrillic", _("Cyrillic")
    LATIN = "latin", _("Latin")
    OTHER = "other", _("Other")


class NameScheme(models.TextChoices):
    ORIGINAL = "original", _("Original spelling")
    ICAO = "icao", _("ICAO Doc 9303 (passports)")
    GOST = "gost", _("GOST 7.79")
    BGN_PCGN = "bgn_pcgn", _("BGN/PCGN (used by the ECtHR)")
    SCIENTIFIC = "scientific", _("Scientific")
    AS_IN_SOURCE = "as_in_source", _("As spelled in a source")
    ALIAS = "alias", _("Alias / nickname")


class AccessAction(models.TextChoices):
    VIEW_CASE = "view_case", _("Opened a case")
    VIEW_TIMELINE = "view_timeline", _("Read a case timeline")
    VIEW_PERSON = "view_person", _("Opened a person's page")
    VIEW_IDENTITY = "view_identity", _("Saw a person's identity")
    VIEW_ATTACHMENT = "view_attachment", _("Downloaded an attachment")
    VIEW_ORIGINAL = "view_original", _("Downloaded an original as uploaded")
    EXPORT = "export", _("Exported")
    SEARCH_BY_NAME = "search_by_name", _("Searched by name")
    CALENDAR_FEED = "calendar_feed", _("Fetched their deadlines calendar")


class StatusFamily(models.TextChoices):
    """Broad families of statuses, for the colours of the status bar (front/static/front/app.css)."""

    FREE = "free", _("At liberty")
    SAFE = "safe", _("Safe")
    HIDING = "hiding", _("In hiding")
    DETAINED = "detained", _("Detained")
    MISSING = "missing", _("Missing")
    DEAD = "dead", _("Dead")
    UNKNOWN = "unknown", _("Unknown")


F = StatusFamily
STATUS_FAMILY = {
    Status.AT_LIBERTY: F.FREE, Status.RELEASED: F.FREE, Status.RELOCATED_ABROAD: F.SAFE, Status.ASYLUM_GRANTED: F.SAFE,
    Status.RELOCATED_IN_COUNTRY: F.SAFE, Status.IN_HIDING: F.HIDING, Status.DETAINED: F.DETAINED,
    Status.DETAINED_INCOMMUNICADO: F.DETAINED, Status.TRANSFERRED: F.DETAINED, Status.CHARGED: F.DETAINED,
    Status.CONVICTED: F.DETAINED, Status.DISAPPEARED: F.MISSING, Status.PRESUMED_DEAD: F.DEAD, Status.DEAD: F.DEAD,
    Status.UNKNOWN: F.UNKNOWN,
}  # fmt: skip
# Statuses whose place says where a person is now: identity data, never stated outside the team.
WHEREABOUTS_STATUSES = {Status.IN_HIDING, Status.RELOCATED_IN_COUNTRY, Status.RELOCATED_ABROAD, Status.ASYLUM_GRANTED}
