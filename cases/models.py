import secrets
import uuid
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLES, is_administrator
from cases import search
from cases.chronology import ESTABLISHED
from cases.crypto import EncryptedDateField, EncryptedIntegerField, EncryptedTextField, read_decrypted
from cases.datefields import FuzzyDateProperty, certain_year_and_month, fuzzy_date_columns, fuzzy_date_properties
from cases.enums import (
    WHEREABOUTS_STATUSES,
    AccessAction,
    Consent,
    Level,
    NameScheme,
    Reliability,
    Role,
    Script,
    Sensitivity,
    SourceType,
    Status,
    Verification,
)
from cases.fuzzydate import FuzzyDate, format_day, format_moment
from cases.history import AuditedHistory

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODEWORDS = [
    "ALDER",
    "ASPEN",
    "BIRCH",
    "CEDAR",
    "CYPRESS",
    "ELM",
    "HAZEL",
    "HOLLY",
    "JUNIPER",
    "LARCH",
    "LINDEN",
    "MAPLE",
    "OAK",
    "OLIVE",
    "PINE",
    "POPLAR",
    "ROWAN",
    "SPRUCE",
    "WILLOW",
    "YEW",
    "FALCON",
    "HERON",
    "KESTREL",
    "LARK",
    "MERLIN",
    "ORIOLE",
    "OSPREY",
    "PLOVER",
    "RAVEN",
    "ROBIN",
    "SWIFT",
    "WREN",
]


def _code(length: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def new_codename() -> str:
    # About a billion combinations; cases.services still re-draws on the rare collision.
    return f"{secrets.choice(_CODEWORDS)}-{_code(5)}"


def new_case_reference() -> str:
    return f"C-{_code(6)}"


@lru_cache(maxsize=512)
def _choice_labels(field, language) -> dict:
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


class Record(models.Model):
    """Common ground of every domain record: an unguessable id and timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: a save must name the version it was based on (cases.services.save_record).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        # What get_FOO_display() answers, from each field's labels translated once per language: Django's own
        # translates and hashes every label of the field on each call, a third of the deadlines page's time.
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field, get_language()).get(make_hashable(value), value), strings_only=True)

    def clean(self):
        super().clean()
        errors = {}
        for name, reported in fuzzy_date_properties(type(self)).items():
            errors.update(reported.check(self, name))
        if errors:
            raise ValidationError(errors)


class FuzzyDated(models.Model):
    """A reported event: its date as honest as the report (see cases/fuzzydate.py)."""

    date_start, date_end, date_precision = fuzzy_date_columns(_("when"), db_index=True)
    date_year, date_month = certain_year_and_month("date", _("when"))
    when = FuzzyDateProperty("date", _("when"))

    class Meta:
        abstract = True


# The columns a period is checked against (exports/figures.py counts what certainly happened within it).
PERIOD = ["date_start", "date_end"]
# Lists of dated records: by the earliest possible day, an open start first on every database.
EARLIEST_FIRST = [F("date_start").asc(nulls_first=True), "date_end", "created_at"]


class ScopedQuerySet(models.QuerySet):
    """Records seen through what they belong to: ``scope_path`` leads to a case or a person."""

    scope_path = "case"

    def visible_to(self, user):
        if is_administrator(user):
            return self
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        owner = OuterRef(self.scope_path)
        return self.filter(
            person_visible_to(user, owner) if self.scope_path.endswith("person") else case_visible_to(user, owner)
        )


def in_cases_visible_to(user, path: str = "case_id") -> Q:
    """A filter for rows of any table, history tables too, whose ``path`` names a case ``user`` may see."""
    if is_administrator(user):
        # Every row, said as a condition: an empty Q() would vanish from "this | that" and leave only "that".
        return Q(pk__isnull=False)
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    return Q(case_visible_to(user, OuterRef(path)))


def case_visible_to(user, case):
    """That the case ``case`` (an OuterRef to its id) is on one of ``user``'s teams, for a non-administrator.

    A correlated EXISTS answered by the team table's (case, user) index, rather than "case IN (the team's
    cases)": SQLite then walks a list in its own order and stops at the page's last row, where the IN list
    made it fetch every case of a 20,000-case team and sort them before the first page (bench/scale.py).
    PostgreSQL plans both as the same semi-join.
    """
    return Exists(Case.team.through.objects.filter(case_id=case, user=user))


def visible_case_count(user) -> int:
    """``Case.objects.visible_to(user).count()``, the same number read from the team table alone for a
    non-administrator: ``case_visible_to`` is a row there per case and member, and each row names a case that
    exists. Counting the rows of a 20,000-case team takes 1.4 ms on PostgreSQL, where joining every case to
    them takes 9, and SQLite checks each of the register's cases against the team (bench/scale.py).
    """
    if is_administrator(user) or not (user and user.is_authenticated and user.is_active):
        return Case.objects.visible_to(user).count()
    return Case.team.through.objects.filter(user=user).count()


def visible_person_count(user) -> int:
    """``Person.objects.visible_to(user).count()`` read from ``VisiblePerson`` alone, as ``visible_case_count``
    reads the team table: ``person_visible_to`` is a row there per person and user, each naming a person."""
    if is_administrator(user) or not (user and user.is_authenticated and user.is_active):
        return Person.objects.visible_to(user).count()
    return VisiblePerson.objects.filter(user=user).count()


def person_visible_to(user, person):
    """That ``user``, not an administrator, may see the person ``person`` (an OuterRef to its id).

    Read from ``VisiblePerson``, which cases.visibility keeps in step with the rule on every change; a correlated
    EXISTS for the reason ``case_visible_to`` gives.
    """
    return Exists(VisiblePerson.objects.filter(user=user, person_id=person))


def scoped_manager(path: str):
    return type(
        f"ScopedBy{path.title().replace('__', '')}QuerySet", (ScopedQuerySet,), {"scope_path": path}
    ).as_manager()


# --- People -------------------------------------------------------------------------


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People this user may see: those in a case they may see, or that they created and who are in no
        case yet (the rule: cases.visibility.pairs_by_rule)."""
        if is_administrator(user):
            return self
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(person_visible_to(user, OuterRef("pk")))

    def with_status_seen_by(self, user, cases=None):
        """Each person's current status and since when, from the cases this user may see only.

        Adds ``seen_status``, the date of the report it comes from (see ``Person.seen_since``) and its
        ``seen_verification``: another team's case must not show through a shared person. Administrators see
        every case, so they read the stored status. ``cases``, some of the cases the user may see (the
        figures' filters), narrows it to the status as those cases record it, for administrators too.
        """
        if is_administrator(user) and cases is None:
            # Subqueries, not joins: a count of the list leaves them out, where a join would stay in it.
            latest = StatusChange.objects.filter(pk=OuterRef("latest_status_change"))
            return self.annotate(
                seen_status=F("current_status"),
                seen_since_start=Subquery(latest.values("date_start")[:1]),
                seen_since_end=Subquery(latest.values("date_end")[:1]),
                seen_since_precision=Subquery(latest.values("date_precision")[:1]),
                seen_verification=Subquery(latest.values("verification")[:1]),
            )
        # Each visible case keeps the person's status as it records it (cases.services); of those, the
        # best-established and then the latest in the person's one order of reports (cases.chronology).
        latest = "latest_status_change__"
        cases = Case.objects.visible_to(user) if cases is None else cases
        per_case = (
            # The person's own memberships first, each checked against the cases: "case IN (the cases)" would
            # have SQLite probe every visible case for each person, which grows with people × cases.
            CaseMembership.objects.filter(person=OuterRef("pk"), latest_status_change__isnull=False)
            .filter(Exists(cases.filter(pk=OuterRef("case_id"))))
            .order_by(*_deciding_first(latest))
        )
        return self.annotate(
            seen_status=Coalesce(Subquery(per_case.values("current_status")[:1]), Value("")),
            seen_since_start=Subquery(per_case.values(f"{latest}date_start")[:1]),
            seen_since_end=Subquery(per_case.values(f"{latest}date_end")[:1]),
            seen_since_precision=Subquery(per_case.values(f"{latest}date_precision")[:1]),
            seen_verification=Subquery(per_case.values(f"{latest}verification")[:1]),
        )

    def with_status_decided_in(self, cases):
        """The people with a status in ``cases`` (some of the cases a user may see), each once, with the same
        ``seen_*`` as ``with_status_seen_by(user, cases)``: for counting them all at once.

        ``with_status_seen_by`` asks for each person which of their memberships decides, which suits a page of
        people; here every membership in the cases is ranked once (a window), and each person joined to the
        one that comes first.
        """
        latest = "latest_status_change__"
        deciding = (
            CaseMembership.objects.filter(case__in=cases, latest_status_change__isnull=False)
            .annotate(rank=Window(RowNumber(), partition_by=F("person_id"), order_by=_deciding_first(latest)))
            .filter(rank=1)
            .values("pk")
        )
        decided = f"memberships__{latest}"
        # The annotations read the membership the filter joined: one row per person, the one that decides.
        return self.filter(memberships__in=deciding).annotate(
            seen_status=F("memberships__current_status"),
            seen_since_start=F(f"{decided}date_start"),
            seen_since_end=F(f"{decided}date_end"),
            seen_since_precision=F(f"{decided}date_precision"),
            seen_verification=F(f"{decided}verification"),
        )

    def matching(self, query: str, user):
        """People with a name in any script or spelling matching every word typed, or the codename."""
        query = query.strip()
        if not query:
            return self
        return self.filter(pk__in=matching_person_ids(query, user))


def _deciding_first(path: str) -> list:
    """The order in which a person's memberships decide their status (``path`` leads to each one's latest
    report), as cases.chronology.current_report decides among reports: the best-established, then the latest
    in the person's one order of reports."""
    weight = models.Case(
        models.When(**{f"{path}verification__in": ESTABLISHED}, then=2),
        models.When(**{f"{path}verification": Verification.DISPUTED}, then=0),
        default=1,
    )
    return [weight.desc(), F(f"{path}sequence").desc()]


def matching_person_ids(query: str, user):
    """A subquery of the ids of people matching ``query``, each branch answerable from an index.

    A union rather than an OR: the codename (trigram index on PostgreSQL) and each typed word's
    name hashes (an index on the digest) are looked up apart, not probed row by row. A name finds
    only people ``user`` may name — everyone for staff allowed identities, otherwise those who
    consented to publicity, whose names the pages show anyway — so a search cannot confirm who a
    codename is.
    """
    by_codename = Person._base_manager.filter(codename__icontains=query).values("pk")
    per_token = search.query_digests(query)
    if not per_token:
        return by_codename
    by_name = NameKey.objects.filter(digest__in=per_token[0]).values("person_id")
    for digests in per_token[1:]:
        by_name = by_name.filter(person_id__in=NameKey.objects.filter(digest__in=digests).values("person_id"))
    if not may_see_identities(user):
        by_name = by_name.filter(person__sensitivity=Sensitivity.PUBLIC, person__consent_publicity=Consent.GIVEN)
    return by_codename.union(by_name)


# A search's matches are read once and handed to the list as their ids when there are no more than this: a list
# asks for its page and for its total, and on SQLite, which has no trigram index, each would scan the case
# titles, the people's codenames and the appeals' references again (23 ms each at 100,000 people).
MATCHES_READ_ONCE = 500


def matched_once(queryset, matches):
    """``matches`` (``queryset`` narrowed by its ``matching``) as ``queryset`` filtered by their ids, when few."""
    ids = list(matches.order_by().values_list("pk", flat=True)[: MATCHES_READ_ONCE + 1])
    return queryset.filter(pk__in=ids) if len(ids) <= MATCHES_READ_ONCE else matches


def searches_by_name(query: str) -> bool:
    """Whether a typed query holds words that are looked up as names (and so is logged as such)."""
    return bool(search.query_digests(query.strip()))


class Person(Record):
    codename = models.CharField(
        _("codename"),
        max_length=40,
        unique=True,
        default=new_codename,
        help_text=_("Used everywhere instead of the name unless the person consented to publicity."),
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=16, choices=Sensitivity.choices, default=Sensitivity.CONFIDENTIAL
    )
    consent_publicity = models.CharField(
        _("consent to publicity"), max_length=12, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    consent_partner_sharing = models.CharField(
        _("consent to sharing with partners"), max_length=12, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    consent_un_submission = models.CharField(
        _("consent to UN submission"), max_length=12, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    consent_recorded_start, consent_recorded_end, consent_recorded_precision = fuzzy_date_columns(
        _("consent recorded on")
    )
    consent_recorded = FuzzyDateProperty("consent_recorded", _("consent recorded on"), blank=True)
    consent_notes = models.TextField(
        _("consent notes"), blank=True, help_text=_("Who gave or withdrew consent, and how.")
    )
    current_status = models.CharField(
        _("current status"), max_length=32, choices=Status.choices, blank=True, editable=False, db_index=True
    )
    latest_status_change = models.ForeignKey(
        "StatusChange",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("latest status change"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = AuditedHistory(excluded_fields=["current_status", "latest_status_change"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["codename"]

    def __str__(self):
        return self.codename

    @property
    def seen_since(self) -> FuzzyDate | None:
        """The date of the status shown, on a person from ``with_status_seen_by``."""
        if not getattr(self, "seen_since_precision", None):
            return None
        return FuzzyDate(self.seen_since_start, self.seen_since_end, self.seen_since_precision)

    def get_seen_status_display(self) -> str:
        return Status(self.seen_status).label if self.seen_status else ""

    @property
    def is_public(self) -> bool:
        """Consented to publicity and marked public: named on every page and in every document."""
        return self.sensitivity == Sensitivity.PUBLIC and self.consent_publicity == Consent.GIVEN

    @property
    def identity_or_none(self):
        try:
            return self.identity
        except PersonIdentity.DoesNotExist:
            return None

    def clean(self):
        super().clean()
        if self.sensitivity == Sensitivity.PUBLIC and self.consent_publicity != Consent.GIVEN:
            raise ValidationError(
                {"sensitivity": _("A person can be marked public only after consenting to publicity.")}
            )


class VisiblePerson(models.Model):
    """That ``user`` may see ``person``: one row per pair, so "whom may this user see" is one index range.

    Derived from the rule (cases.visibility.pairs_by_rule) and kept in step with it by cases.visibility on
    every change to teams, people in cases and new people, in the same transaction; never edited.
    """

    pk = models.CompositePrimaryKey("user", "person")
    # The primary key's index starts with the user: no index of its own.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return _("person %(person)s seen by user %(user)s") % {"person": self.person_id, "user": self.user_id}


# Code that acts for no user — commands, the benchmarks, checks of the data itself — and may read names.
SYSTEM = object()


def may_see_identities(user, level: str = Level.INTERNAL) -> bool:
    """Whether ``user`` may read who people are (identity, names) in something made for ``level``.

    Only staff allowed identities, and only for the team itself: never in a document that leaves it.
    """
    if user is SYSTEM:
        return level == Level.INTERNAL
    return level == Level.INTERNAL and user is not None and user.has_perm("cases.view_personidentity")


def person_label(person: "Person", level: str | None = None, user=None) -> str:
    """How a person is written: "Name (CODENAME)" where they may be named, their codename everywhere else.

    The one rule: anyone who consented to publicity is named; others only in a team's internal document
    made by someone allowed identities. Pages (``level`` None) name only the public. Reads
    ``person.identity``: select it with the person.
    """
    identity = person.identity_or_none
    named = person.is_public or (level is not None and may_see_identities(user, level))
    if named and identity is not None and identity.legal_name:
        return f"{identity.legal_name} ({person.codename})"
    return person.codename


class PersonIdentity(models.Model):
    """Who the person is. Kept apart from case facts so it can be protected and erased on its own."""

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="identity", verbose_name=_("person")
    )
    legal_name = EncryptedTextField(_("legal name (Latin script)"), max_length=200, blank=True, single_line=True)
    name_original_script = EncryptedTextField(
        _("name in original script"), max_length=200, blank=True, single_line=True
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_year = EncryptedIntegerField(
        _("year of birth"), null=True, blank=True, help_text=_("When only the year is known.")
    )
    contacts = EncryptedTextField(_("contacts"), blank=True)
    current_whereabouts = EncryptedTextField(
        _("current whereabouts"), blank=True, help_text=_("Never copied into shared fields or exports.")
    )
    # Two staff editing one identity at once: the second save is refused, as for every other record.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = AuditedHistory()
    objects = scoped_manager("person")

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self):
        return _("Identity of %(codename)s") % {"codename": self.person.codename}

    def clean(self):
        super().clean()
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError({"birth_year": _("The year of birth does not match the date of birth.")})
        if self.birth_date and self.birth_date > date.today():
            raise ValidationError({"birth_date": _("The date of birth is in the future.")})


class NameVariant(Record):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_variants", verbose_name=_("person"))
    name = EncryptedTextField(_("name"), max_length=200, single_line=True)
    script = models.CharField(_("script"), max_length=12, choices=Script.choices)
    scheme = models.CharField(
        _("spelling / transliteration"), max_length=16, choices=NameScheme.choices, default=NameScheme.ORIGINAL
    )
    source_note = models.CharField(
        _("where this spelling is used"), max_length=200, blank=True, help_text=_("e.g. ECtHR judgment, media")
    )

    history = AuditedHistory()
    objects = scoped_manager("person")

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        # Names are encrypted, so neither the database orders them nor keeps them unique: clean() does.
        ordering = ["script", "created_at"]

    def __str__(self):
        return _("Name variant of %(codename)s") % {"codename": self.person.codename}

    def clean(self):
        super().clean()
        has_cyrillic = search.has_cyrillic(self.name)
        if self.script == Script.LATIN and has_cyrillic:
            raise ValidationError({"script": _("This name contains Cyrillic letters; choose Cyrillic.")})
        if self.script == Script.CYRILLIC and self.name and not has_cyrillic:
            raise ValidationError({"script": _("This name has no Cyrillic letters.")})
        if self.person_id and self.name:
            others = NameVariant.objects.filter(person_id=self.person_id).exclude(pk=self.pk)
            if any(other.name.casefold() == self.name.casefold() for other in others):
                raise ValidationError({"name": _("This person already has this name variant.")})


class NameKey(models.Model):
    """Keyed digest of one name token of a person (see cases/search.py). Derived: rebuilt, never edited."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    digest = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "digest"], name="unique_name_key")]

    def __str__(self):
        return f"name key of {self.person_id}"


# --- Cases --------------------------------------------------------------------------


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one answer to "which cases may this user see?": administrators all, others their teams'."""
        if is_administrator(user):
            return self
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(case_visible_to(user, OuterRef("pk")))

    def matching(self, query: str, user):
        """Cases whose reference, title, people's names (those ``user`` may name) or codenames, or a registered
        finder match."""
        query = query.strip()
        if not query:
            return self
        by_case = Case._base_manager.filter(Q(reference__iexact=query) | Q(title__icontains=query)).values("pk")
        by_person = CaseMembership._base_manager.filter(person__in=matching_person_ids(query, user)).values("case_id")
        others = [find(query) for find in CASE_FINDERS]
        return self.filter(pk__in=by_case.union(by_person, *others))


# Other ways to find a case, registered by the apps above this one (appeals: by an appeal's reference):
# each takes the query and answers a queryset of case ids.
CASE_FINDERS: list = []


class Case(Record):
    reference = models.CharField(_("case reference"), max_length=12, unique=True, default=new_case_reference)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "Printed on every export of the case, the public one included: use codenames, never the names of "
            "confidential people."
        ),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Printed on every export of the case, the public one included.")
    )
    region = models.CharField(_("region"), max_length=100, blank=True, help_text=_("Region or town, never an address."))
    opened_on = models.DateField(_("opened on"), default=date.today)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Sensitivity.choices, default=Sensitivity.CONFIDENTIAL
    )
    internal_notes = models.TextField(_("internal notes"), blank=True, help_text=_("Never exported outside the team."))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="case_teams",
        verbose_name=_("case team"),
        help_text=_("Who may see this case. Administrators see every case."),
    )
    people = models.ManyToManyField(
        Person, through="CaseMembership", related_name="cases", blank=True, verbose_name=_("people")
    )

    history = AuditedHistory(m2m_fields=[team])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "reference"]
        # Every list of cases is in this order: the first page is read from the index and stops at its last
        # row, instead of sorting the whole register (or a 20,000-case team) for each page.
        indexes = [models.Index(fields=["-opened_on", "reference"], name="case_list_order")]

    def __str__(self):
        return self.reference

    def clean(self):
        super().clean()
        if self.opened_on and self.opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("A case cannot be opened in the future.")})


def team_candidates_for(user):
    """Who ``user`` may put on a case team: administrators anyone active; anyone else the people they
    work with, who share an organisation group or a case team with them. A role is not an organisation:
    every editor of the installation shares "Staff editors", and an editor is never shown every account."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if is_administrator(user):
        return users
    if not (user and user.is_authenticated and user.is_active):
        return users.none()
    in_their_groups = (
        users.model.groups.through.objects.filter(group__user=user).exclude(group__name__in=ROLES).values("user_id")
    )
    # Asked per account (there are few) rather than listing everyone on every case of a 20,000-case team.
    team_rows = Case.team.through.objects
    shares_a_case = Exists(
        team_rows.filter(user_id=OuterRef("pk")).filter(
            Exists(team_rows.filter(case_id=OuterRef("case_id"), user_id=user.pk))
        )
    )
    return users.filter(Q(pk=user.pk) | Q(pk__in=in_their_groups) | shares_a_case)


class CaseMembership(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("case"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The person's status as this case records it, kept by cases.services: a case page shows what its
    # own team knows, never what another team's case says about the same person.
    current_status = models.CharField(
        _("current status"), max_length=32, choices=Status.choices, blank=True, editable=False, db_index=True
    )
    latest_status_change = models.ForeignKey(
        "StatusChange",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("latest status change"),
    )

    history = AuditedHistory(excluded_fields=["current_status", "latest_status_change"])
    objects = scoped_manager("case")

    class Meta:
        verbose_name = _("person in case")
        verbose_name_plural = _("people in this case")
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="unique_role_per_person_per_case")
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


# --- Sources ------------------------------------------------------------------------


def _source_upload_path(instance, filename):
    # The uploaded file name may itself identify someone; keep only a random name.
    return f"sources/{uuid.uuid4().hex}"


class Source(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources", verbose_name=_("case"))
    source_type = models.CharField(_("type"), max_length=24, choices=SourceType.choices)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_start, published_end, published_precision = fuzzy_date_columns(_("date"))
    published = FuzzyDateProperty("published", _("date"), blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("e.g. en, ru"))
    reliability = models.CharField(
        _("reliability"), max_length=10, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    # The copy served to everyone who may see the case, without the metadata that can name its author.
    file = models.FileField(_("file"), upload_to=_source_upload_path, blank=True)
    # The file byte for byte as uploaded, for custody: its metadata may name people, so it is served only to
    # those allowed identities. Made by the save from the upload, like ``file``; neither is ever replaced.
    original = models.FileField(_("original as uploaded"), upload_to=_source_upload_path, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the file as uploaded"), max_length=64, blank=True, editable=False)
    served_sha256 = models.CharField(_("SHA-256 of the copy served"), max_length=64, blank=True, editable=False)
    media_type = models.CharField(_("type of file"), max_length=100, blank=True, editable=False)

    history = AuditedHistory()
    objects = scoped_manager("case")

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = [F("published_start").asc(nulls_last=True), "title"]

    def __str__(self):
        return f"{self.get_source_type_display()}: {self.title}"[:120]

    def clean(self):
        super().clean()
        moved = (
            not self._state.adding
            and Source._base_manager.filter(pk=self.pk).exclude(case_id=self.case_id).exists()
            and self.is_cited()
        )
        if moved:
            raise ValidationError(
                {
                    "case": _(
                        "Reports, steps or answers of its case cite this source: it stays with that case. Add it to "
                        "the other case as a source of its own."
                    )
                }
            )

    def is_cited(self) -> bool:
        """Whether any record cites it (status changes here, appeal steps and answers in the appeals app)."""
        citing = [relation for relation in self._meta.related_objects if relation.many_to_many]
        return any(
            relation.related_model._base_manager.filter(**{relation.field.name: self}).exists() for relation in citing
        )

    def read_file(self) -> bytes:
        """The copy served, without metadata: it is stored encrypted."""
        return read_decrypted(self.file)

    def read_original(self) -> bytes:
        """The file as uploaded: it is stored encrypted."""
        return read_decrypted(self.original)


# --- Status over time ---------------------------------------------------------------


class StatusChange(Record, FuzzyDated):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("person")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    place = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("Region or town, never an address. Not for hiding, relocation or asylum: see below."),
    )
    # Where someone hides or was resettled is where they are now: identity data, under the person's key.
    whereabouts = EncryptedTextField(
        _("where they are (protected)"),
        blank=True,
        single_line=True,
        help_text=_(
            "For hiding, relocation or asylum: where they are now. Encrypted; shown only to staff allowed "
            "identities; never exported outside the team."
        ),
    )
    description = models.TextField(_("what was reported"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="status_changes", verbose_name=_("sources"))
    differs_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="other_accounts",
        verbose_name=_("another account of the same event"),
        help_text=_("Link reports that disagree, so both are shown side by side."),
    )
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_by",
        verbose_name=_("comes after"),
        help_text=_(
            "Only where the dates cannot tell: the report this one comes after, e.g. “2017” and then "
            "“Jun 2017” when the June news is the later one."
        ),
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    # Place in the person's one order of reports (cases.chronology), kept by cases.services for queries.
    sequence = models.PositiveIntegerField(_("order among the person's reports"), default=0, editable=False)

    history = AuditedHistory(m2m_fields=[sources], excluded_fields=["sequence"])
    objects = scoped_manager("case")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = EARLIEST_FIRST
        indexes = [
            models.Index(fields=["person", "sequence"], name="status_order_of_person"),
            # The figures (exports/figures.py) count reports, other accounts of the same event aside, by month and by
            # status and year, from these alone without reading the table, in the order they group by. They lead
            # with the column the count asks to be empty, so SQLite takes them even without statistics (which
            # it does not keep unless told to); the case is in them for the counts of one team's cases, the
            # earliest and latest possible days for a period's.
            models.Index(
                fields=["differs_from", "date_year", "date_month", "case", "verification", "person", *PERIOD],
                name="status_reports_by_month",
            ),
            models.Index(
                fields=["differs_from", "status", "date_year", "person", "case", "verification", *PERIOD],
                name="status_reports_by_status",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()} ({self.when})"

    def clean(self):
        super().clean()
        if self.differs_from_id:
            if self.differs_from_id == self.id:
                raise ValidationError({"differs_from": _("A report cannot disagree with itself.")})
            # Another account stands aside for the one it disagrees with (cases.chronology): linked to a report
            # about someone else, it would silently drop out of this person's current status.
            self._check_same_person_and_case("differs_from")
            self._check_one_level_of_accounts()
        if self.status in WHEREABOUTS_STATUSES and self.place:
            raise ValidationError(
                {"place": _("Where someone hides or was resettled goes in “where they are (protected)”.")}
            )
        if self.whereabouts and self.status not in WHEREABOUTS_STATUSES:
            raise ValidationError(
                {"whereabouts": _("Only for hiding, relocation or asylum; other places go in “where”.")}
            )
        if self.follows_id:
            self._check_follows()

    def _check_one_level_of_accounts(self):
        # Another account stands beside its report on the timeline: an account of an account, or two accounts of
        # each other, leaves no report to stand beside (cases.chronology.main_reports copes with old records).
        if StatusChange._base_manager.filter(pk=self.differs_from_id, differs_from__isnull=False).exists():
            raise ValidationError(
                {"differs_from": _("That report is itself another account: link to the report it disagrees with.")}
            )
        if self.id and StatusChange._base_manager.filter(differs_from=self.id).exists():
            raise ValidationError(
                {
                    "differs_from": _(
                        "Other reports are accounts of this one, so it cannot be another account itself: link "
                        "them to the report this one disagrees with first."
                    )
                }
            )

    def _check_follows(self):
        if self.follows_id == self.id:
            raise ValidationError({"follows": _("A report cannot come after itself.")})
        self._check_same_person_and_case("follows")
        # Each report follows at most one other, so a circle shows as a chain that comes back here.
        seen, step = {self.follows_id}, self.follows_id
        while step is not None:
            step = StatusChange._base_manager.filter(pk=step).values_list("follows_id", flat=True).first()
            if step == self.id:
                raise ValidationError({"follows": _("That report already comes after this one.")})
            if step in seen:
                break
            seen.add(step)

    def _check_same_person_and_case(self, field: str):
        other = getattr(self, f"{field}_id")
        linked = StatusChange._base_manager.filter(pk=other).values("person_id", "case_id").first()
        if linked is None or (linked["person_id"], linked["case_id"]) != (self.person_id, self.case_id):
            raise ValidationError({field: _("Choose a report about the same person in the same case.")})

    def check_person_in_case(self, people_in_case: set | None = None):
        """A status is recorded for someone in the case. ``people_in_case`` lets a form that adds
        memberships in the same submission pass the people it is about to add."""
        if not (self.person_id and self.case_id):
            return
        if people_in_case is None:
            people_in_case = set(
                CaseMembership.objects.filter(case_id=self.case_id).values_list("person_id", flat=True)
            )
        if self.person_id not in people_in_case:
            raise ValidationError({"person": _("This person is not part of this case; add them to the case first.")})


# --- Accountability -----------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} records are append-only.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} records are append-only.")


class AppendOnly(models.Model):
    """A record written once and never changed: the audit of who saw or erased what."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} records are append-only.")


class AccessRecord(AppendOnly):
    """Who read what, and when. Identifiers only: never a name, so the log itself leaks nothing."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices, db_index=True)
    case_id = models.UUIDField(_("case id"), null=True, blank=True, db_index=True)
    case_reference = models.CharField(_("case"), max_length=12, blank=True, db_index=True)
    person_id = models.UUIDField(_("person id"), null=True, blank=True)
    person_codename = models.CharField(_("person"), max_length=40, blank=True)
    object_id = models.CharField(_("record id"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.username} {self.action} {self.case_reference or self.person_codename} {format_moment(self.at)}"


class IdentityErasure(AppendOnly):
    """That a person's identity was erased, by whom, when and why; the identity itself is gone."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    person_id = models.UUIDField(_("person id"))
    person_codename = models.CharField(_("person"), max_length=40)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("erased by")
    )
    erased_by_username = models.CharField(_("erased by (username)"), max_length=150)
    reason = models.TextField(_("reason"))
    history_rows_redacted = models.PositiveIntegerField(_("history rows redacted"))

    class Meta:
        verbose_name = _("identity erasure")
        verbose_name_plural = _("identity erasures")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.person_codename} {format_day(self.at.date())}"


class SubmissionKey(models.Model):
    """A create form's one-time key, kept once the record it created is saved (cases.submissions): the same form
    sent again (the answer to the first was lost, or the user pressed Save twice) finds it and creates nothing."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")

    def __str__(self):
        return str(self.key)
