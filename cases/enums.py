"""Vocabularies of the case records. Labels are what staff read; values are stored."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public (consented to publicity)")
    CONFIDENTIAL = "confidential", _("Confidential")
    RESTRICTED = "restricted", _("Restricted (life at risk if disclosed)")


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
