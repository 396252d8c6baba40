"""Synthetic data at the scale of a national register, written in bulk with its history rows.

Everything is invented: names are built from syllables, dates and statuses drawn at random
(seeded, so a run is repeatable). Derived data (current status, appeal stage, name search
keys) is computed in bulk the same way the services compute it one record at a time.
"""

import random
import time
from datetime import date, timedelta

import iuliia
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from appeals.enums import FORUM_KINDS, DeadlineRule, Forum, StepType
from appeals.models import Appeal, AppealStep, Deadline
from cases import keystore, visibility
from cases.chronology import ESTABLISHED
from cases.enums import Role, Script, Status, Verification
from cases.models import (
    Case,
    CaseMembership,
    NameKey,
    NameVariant,
    Person,
    PersonIdentity,
    StatusChange,
    new_case_reference,
    new_codename,
)
from cases.search import name_digests

REASON = "Synthetic scale data"
# cases.chronology.order_reports for reports without an explicit order, all at once (PostgreSQL and SQLite).
ORDER_REPORTS_SQL = (
    "UPDATE cases_statuschange SET sequence = ranked.position FROM (SELECT id, ROW_NUMBER() OVER ("
    "PARTITION BY person_id ORDER BY date_start, date_end, created_at) AS position FROM cases_statuschange) "
    "AS ranked WHERE ranked.id = cases_statuschange.id"
)
BATCH = 2000
_SYLLABLES = ["ма", "го", "са", "ли", "ха", "ру", "за", "ми", "ра", "ту", "би", "ке", "да", "ло", "не"]
_GIVEN = ["Ислам", "Магомед", "Ахмед", "Руслан", "Зелимхан", "Адам", "Саид", "Тимур", "Хасан", "Иса"]
_STATUSES = list(Status.values)
_VERIFICATIONS = [Verification.CONFIRMED, Verification.CREDIBLE, Verification.UNVERIFIED]


class Command(BaseCommand):
    help = "Generate synthetic people, cases, status changes and appeals, with history, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1000)
        parser.add_argument("--status-changes", type=int, default=10000)
        parser.add_argument("--appeals", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--on-team",
            action="append",
            default=[],
            metavar="USERNAME=CASES",
            help="also put this existing account on the team of that many of the new cases (repeatable)",
        )

    def handle(self, *args, people, status_changes, appeals, seed, on_team, **options):
        # Seeded for repeatable synthetic data; nothing here is a secret.
        rng = random.Random(seed)  # noqa: S311  # nosec B311
        user, _created = get_user_model().objects.get_or_create(username="scale-data", defaults={"is_active": False})
        started = time.perf_counter()
        with transaction.atomic():
            cases, persons = self._people_and_cases(rng, people, user)
            self._teams(rng, cases, on_team)
            self._status_changes(rng, status_changes, cases, persons, user)
            self._appeals(rng, appeals, cases, user)
            self._derive()
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # What autovacuum does to a register that has settled: without a visibility map every count
            # reads the whole table, and figures measured on this data would be a freshly loaded outlier.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext(
                "Generated with their history in %(seconds).1f s: %(people)d people, %(cases)d cases, "
                "%(status_changes)d status changes, %(appeals)d appeals."
            )
            % {
                "seconds": elapsed,
                "people": people,
                "cases": len(cases),
                "status_changes": status_changes,
                "appeals": appeals,
            }
        )

    def _bulk(self, model, objs, user):
        for start in range(0, len(objs), BATCH):
            bulk_create_with_history(
                objs[start : start + BATCH], model, batch_size=BATCH, default_user=user, default_change_reason=REASON
            )

    def _people_and_cases(self, rng, count, user):
        taken = set(Person.objects.values_list("codename", flat=True))
        codenames = set()
        while len(codenames) < count:
            codename = new_codename()
            if codename not in taken:
                codenames.add(codename)
        persons = [Person(created_by=user, codename=codename) for codename in codenames]
        self._bulk(Person, persons, user)
        identities, variants, keys = [], [], []
        for person in persons:
            surname = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize() + "ев"
            cyrillic = f"{rng.choice(_GIVEN)} {surname}"
            latin = iuliia.BGN_PCGN.translate(cyrillic)
            identities.append(PersonIdentity(person=person, legal_name=latin, name_original_script=cyrillic))
            variants.append(NameVariant(person=person, name=cyrillic, script=Script.CYRILLIC))
            variants.append(NameVariant(person=person, name=latin, script=Script.LATIN, scheme="bgn_pcgn"))
            keys.extend(NameKey(person=person, digest=d) for d in name_digests(cyrillic, latin))
        # Each person's key in one go: one key-store transaction instead of one per person.
        keystore.create_keys(person.pk for person in persons)
        self._bulk(PersonIdentity, identities, user)
        self._bulk(NameVariant, variants, user)
        NameKey.objects.bulk_create(keys, batch_size=BATCH)
        cases, memberships = [], []
        references = set(Case.objects.values_list("reference", flat=True))
        index = 0
        while index < len(persons):
            group = persons[index : index + rng.choice([1, 1, 1, 2, 3])]
            index += len(group)
            reference = new_case_reference()
            while reference in references:
                reference = new_case_reference()
            references.add(reference)
            opened = date(2017, 1, 1) + timedelta(days=rng.randrange(3000))
            region = rng.choice(["Chechnya", "Dagestan", "Moscow"])
            case = Case(title=f"Synthetic case {len(cases) + 1}", region=region, opened_on=opened, reference=reference)
            cases.append(case)
            memberships.extend(CaseMembership(case=case, person=p, role=Role.VICTIM) for p in group)
        self._bulk(Case, cases, user)
        self._bulk(CaseMembership, memberships, user)
        self.case_people = {}
        for membership in memberships:
            self.case_people.setdefault(membership.case_id, []).append(membership.person_id)
        return cases, persons

    def _teams(self, rng, cases, on_team):
        # Every case has a team, as in real use: one of a pool of staff accounts, about 200 cases each. They are
        # inactive, with no usable password: nobody can sign in as them, they only fill the team table.
        User = get_user_model()
        names = [f"scale-staff-{n}" for n in range(max(1, len(cases) // 200))]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        missing = [User(username=name, is_active=False) for name in names if name not in existing]
        for account in missing:
            account.set_unusable_password()
        User.objects.bulk_create(missing, batch_size=BATCH)
        staff = list(User.objects.filter(username__in=names).order_by("username"))
        links = [Case.team.through(case=case, user=rng.choice(staff)) for case in cases]
        for assignment in on_team:
            username, _sep, count = assignment.partition("=")
            account = User.objects.filter(username=username).first()
            if account is None or not count.isdigit() or int(count) > len(cases):
                raise CommandError(
                    gettext("--on-team takes an existing USERNAME=CASES, at most %(count)d cases; not “%(given)s”.")
                    % {"count": len(cases), "given": assignment}
                )
            links.extend(Case.team.through(case=case, user=account) for case in rng.sample(cases, int(count)))
        Case.team.through.objects.bulk_create(links, batch_size=BATCH)

    def _status_changes(self, rng, count, cases, persons, user):
        changes = []
        for _ in range(count):
            case = rng.choice(cases)
            day = date(2015, 1, 1) + timedelta(days=rng.randrange(3600))
            changes.append(
                StatusChange(
                    case=case,
                    person_id=rng.choice(self.case_people[case.pk]),
                    status=rng.choice(_STATUSES),
                    date_start=day,
                    date_end=day,
                    date_precision="day",
                    verification=rng.choice(_VERIFICATIONS),
                    description="Synthetic report.",
                )
            )
            if len(changes) >= BATCH * 5:
                self._bulk(StatusChange, changes, user)
                changes = []
        self._bulk(StatusChange, changes, user)

    def _appeals(self, rng, count, cases, user):
        appeals, steps, deadlines = [], [], []
        for number in range(count):
            forum = rng.choice([Forum.ECTHR, Forum.UN_SPECIAL_PROCEDURES, Forum.DOMESTIC_INVESTIGATIVE])
            filed = date(2016, 1, 1) + timedelta(days=rng.randrange(3300))
            reference = f"{10000 + number}/{filed:%y}" if forum == Forum.ECTHR else ""
            appeal = Appeal(
                case=rng.choice(cases),
                forum=forum,
                kind=FORUM_KINDS[forum][0],
                reference=reference,
                filed_start=filed,
                filed_end=filed,
                filed_precision="day",
            )
            appeals.append(appeal)
            first = StepType.LODGED if forum == Forum.ECTHR else StepType.SUBMITTED
            steps.append(
                AppealStep(appeal=appeal, step_type=first, date_start=filed, date_end=filed, date_precision="day")
            )
            if forum == Forum.UN_SPECIAL_PROCEDURES:
                sent = filed + timedelta(days=30)
                steps.append(
                    AppealStep(
                        appeal=appeal,
                        step_type=StepType.COMMUNICATION_SENT,
                        date_start=sent,
                        date_end=sent,
                        date_precision="day",
                    )
                )
                deadlines.append(
                    Deadline(
                        appeal=appeal,
                        case=appeal.case,
                        description="Government's reply to the UN communication",
                        due_on=sent + timedelta(days=60),
                        next_due_on=sent + timedelta(days=60),
                        rule=DeadlineRule.UN_REPLY,
                    )
                )
        self._bulk(Appeal, appeals, user)
        self._bulk(AppealStep, steps, user)
        self._bulk(Deadline, deadlines, user)

    def _derive_order(self):
        # cases.chronology.order_reports for reports without an explicit order, all at once: by earliest
        # possible day, then latest, then when recorded.
        with connection.cursor() as cursor:
            cursor.execute(ORDER_REPORTS_SQL)

    def _derive_status(self, model, **reports_of):
        # cases.chronology.current_report: the best-established report, then the latest in order.
        weight = models.Case(
            models.When(verification__in=ESTABLISHED, then=2),
            models.When(verification=Verification.DISPUTED, then=0),
            default=1,
        )
        latest = StatusChange.objects.filter(**reports_of).order_by(weight.desc(), "-sequence")
        model.objects.update(latest_status_change=Subquery(latest.values("pk")[:1]))
        status = StatusChange.objects.filter(pk=OuterRef("latest_status_change")).values("status")[:1]
        model.objects.filter(latest_status_change__isnull=False).update(current_status=Subquery(status))

    def _derive(self):
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the just-filled tables for empty ones.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # As cases.services.refresh_current_status, for each person overall and as each of their cases
        # records it.
        self._derive_order()
        self._derive_status(Person, person=OuterRef("pk"))
        self._derive_status(CaseMembership, person=OuterRef("person"), case=OuterRef("case"))
        last_step = AppealStep.objects.filter(appeal=OuterRef("pk")).order_by("-date_start", "-created_at")
        Appeal.objects.update(current_stage=Subquery(last_step.values("step_type")[:1]))
        # Written in bulk, without the signals that keep who may see whom in step one change at a time.
        visibility.rebuild()
