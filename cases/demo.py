"""Demo data: three public cases from shared/domain.md and one clearly fictional confidential case.

Public facts come with the sources that reported them. Where sources disagree
(Lapunov's detention dates), both accounts are recorded and linked. Loading is
idempotent: a case whose demo reference exists is left alone.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from appeals.enums import AppealKind, Forum, ResponseType, StepType
from appeals.services import add_appeal_step, file_appeal, record_official_response
from cases.enums import (
    Consent,
    NameScheme,
    Reliability,
    Role,
    Script,
    Sensitivity,
    SourceType,
    Status,
    Verification,
)
from cases.models import ADMINISTRATORS, ADVOCATES, STAFF_EDITORS, Case
from cases.services import add_person, add_source, add_to_case, open_case, record_status_change

REASON = "Demo data"
PUBLIC_CONSENT = {
    "sensitivity": Sensitivity.PUBLIC,
    "consent_publicity": Consent.GIVEN,
    "consent_partner_sharing": Consent.GIVEN,
    "consent_un_submission": Consent.GIVEN,
}
# (username, password, role, staff?, cases on their team by demo reference)
DEMO_USERS = [
    ("admin", "demo-admin-password", ADMINISTRATORS, True, []),
    ("editor", "demo-editor-password", STAFF_EDITORS, True, ["C-DEMO01", "C-DEMO02", "C-DEMO03", "C-DEMO04"]),
    ("advocate", "demo-advocate-password", ADVOCATES, False, ["C-DEMO01", "C-DEMO02", "C-DEMO03"]),
]


def load(stdout=None) -> list[str]:
    """Load what is missing; return the demo references created this time."""
    with transaction.atomic():
        users = _users()
        admin = users["admin"]
        created = []
        for reference, builder in [
            ("C-DEMO01", _lapunov),
            ("C-DEMO02", _magamadov_isaev),
            ("C-DEMO03", _arsamikov),
            ("C-DEMO04", _fictional),
        ]:
            if not Case.objects.filter(reference=reference).exists():
                builder(admin, reference)
                created.append(reference)
        for username, _password, _role, _staff, references in DEMO_USERS:
            for case in Case.objects.filter(reference__in=references).exclude(team=users[username]):
                case.team.add(users[username])
    return created


def _users():
    User = get_user_model()
    users = {}
    for username, password, role, is_staff, _refs in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=is_staff, is_superuser=role == ADMINISTRATORS)
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo authenticator"})
        users[username] = user
    return users


def authenticator(username: str) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username, confirmed=True)


def current_code(username: str) -> str:
    device = authenticator(username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _lapunov(by, reference):
    case = open_case(
        by=by, reason=REASON, reference=reference, title="Lapunov v. Russia",
        summary="Detained in Grozny in March 2017 and tortured; first victim of the purge to speak publicly.",
        region="Chechnya", opened_on=date(2017, 9, 1), confidentiality=Sensitivity.PUBLIC,
        internal_notes="INTERNAL: follow up with the lawyer on execution of the judgment.",
    )  # fmt: skip
    person = add_person(
        by=by, reason=REASON, **PUBLIC_CONSENT,
        identity={"legal_name": "Maxim Lapunov", "name_original_script": "Максим Лапунов"},
        names=[
            ("Максим Лапунов", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Maksim Lapunov", Script.LATIN, NameScheme.AS_IN_SOURCE),
            ("Maxim Lapunov", Script.LATIN, NameScheme.AS_IN_SOURCE),
        ],
    )  # fmt: skip
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.APPLICANT)
    judgment = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.COURT_DOCUMENT,
        title="Lapunov v. Russia, no. 28834/19, judgment", publisher="European Court of Human Rights",
        published=date(2023, 9, 12), url="https://hudoc.echr.coe.int/", language="en",
        reliability=Reliability.HIGH,
    )  # fmt: skip
    press = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.MEDIA,
        title="Maxim Lapunov speaks publicly about his detention in Grozny (press conference reports)",
        publisher="Novaya Gazeta and other media", published=date(2017, 10, 16), language="ru",
        reliability=Reliability.MEDIUM,
    )  # fmt: skip
    court_account = record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DETAINED_INCOMMUNICADO,
        when="16–28 Mar 2017", place="Grozny", verification=Verification.CONFIRMED, sources=[judgment],
        description="Held about 12 days in a police building in Grozny, beaten and tortured (as established by the Court).",
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DETAINED_INCOMMUNICADO,
        when="15–28 Mar 2017", place="Grozny", verification=Verification.CREDIBLE, sources=[press],
        description="Other reports date the detention from 15 March 2017.", differs_from=court_account,
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.RELEASED, when="28 Mar 2017",
        place="Grozny", verification=Verification.CONFIRMED, sources=[judgment],
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.RELOCATED_ABROAD, when="Oct 2017",
        verification=Verification.CONFIRMED, sources=[press], description="Left Russia.",
    )  # fmt: skip
    domestic = file_appeal(
        by=by, reason=REASON, case=case, people=[person], forum=Forum.DOMESTIC_INVESTIGATIVE,
        kind=AppealKind.CRIME_REPORT, mandates="Investigative Committee of the Russian Federation",
        title="Complaint about detention and torture", filed=date(2017, 9, 1), filed_by="Russian LGBT Network",
    )  # fmt: skip
    add_appeal_step(by=by, reason=REASON, appeal=domestic, step_type=StepType.SUBMITTED, when="Sep 2017")
    add_appeal_step(
        by=by, reason=REASON, appeal=domestic, step_type=StepType.PRE_INVESTIGATION_CHECK, when="late 2017",
        description="The pre-investigation inquiry stayed inconclusive; no criminal case was opened.",
    )  # fmt: skip
    ecthr = file_appeal(
        by=by, reason=REASON, case=case, people=[person], forum=Forum.ECTHR, kind=AppealKind.APPLICATION,
        reference="28834/19", title="Lapunov v. Russia", filed=date(2019, 5, 24),
    )  # fmt: skip
    add_appeal_step(by=by, reason=REASON, appeal=ecthr, step_type=StepType.LODGED, when="24 May 2019")
    add_appeal_step(
        by=by, reason=REASON, appeal=ecthr, step_type=StepType.CHAMBER_JUDGMENT, when="12 Sep 2023",
        sources=[judgment],
        description="Violations of Art. 3 (substantive and procedural), Art. 14 taken with Art. 3, and Art. 5 § 1.",
    )  # fmt: skip
    add_appeal_step(
        by=by, reason=REASON, appeal=ecthr, step_type=StepType.JUDGMENT_FINAL, when="12 Dec 2023",
        description="Final under Art. 44 § 2 (b): three months after the judgment, without a referral request.",
    )  # fmt: skip
    record_official_response(
        by=by, reason=REASON, case=case, response_type=ResponseType.DENIAL, when="Apr 2017",
        state="Russian Federation", body="Office of the Head of the Chechen Republic",
        official="Spokesman for the head of Chechnya",
        summary="Denied that gay men were persecuted, claiming such people do not exist in the republic.",
        quote="such people don't exist in the republic",
    )  # fmt: skip
    record_official_response(
        by=by, reason=REASON, case=case, response_type=ResponseType.DENIAL, when="2017",
        state="Russian Federation", body="Ministry of Justice",
        summary="Said that preliminary checks had found no evidence of the arrests.",
    )  # fmt: skip


def _magamadov_isaev(by, reference):
    case = open_case(
        by=by, reason=REASON, reference=reference, title="Magamadov and Isaev",
        summary="Two young men seized at a safe house in Nizhny Novgorod and taken to Chechnya; later convicted.",
        region="Chechnya", opened_on=date(2020, 7, 1), confidentiality=Sensitivity.PUBLIC,
    )  # fmt: skip
    magamadov = add_person(
        by=by, reason=REASON, **PUBLIC_CONSENT,
        identity={"legal_name": "Salekh Magamadov", "name_original_script": "Салех Магамадов"},
        names=[
            ("Салех Магамадов", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Салех Магомадов", Script.CYRILLIC, NameScheme.AS_IN_SOURCE),
            ("Salekh Magamadov", Script.LATIN, NameScheme.BGN_PCGN),
        ],
    )  # fmt: skip
    isaev = add_person(
        by=by, reason=REASON, **PUBLIC_CONSENT,
        identity={"legal_name": "Ismail Isaev", "name_original_script": "Исмаил Исаев"},
        names=[
            ("Исмаил Исаев", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Ismail Isaev", Script.LATIN, NameScheme.ICAO),
            ("Ismail Isayev", Script.LATIN, NameScheme.BGN_PCGN),
        ],
    )  # fmt: skip
    for person in (magamadov, isaev):
        add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    reports = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.NGO_REPORT,
        title="Statements on the abduction of Salekh Magamadov and Ismail Isaev",
        publisher="North Caucasus SOS Crisis Group / Russian LGBT Network", published=date(2021, 2, 5),
        language="ru", reliability=Reliability.HIGH,
    )  # fmt: skip
    media = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.MEDIA,
        title="Chechen police confirm detention of two young men taken from Nizhny Novgorod",
        publisher="Media reports", published=date(2021, 2, 6), language="ru", reliability=Reliability.MEDIUM,
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=isaev, case=case, status=Status.DETAINED, when="2019",
        place="Chechnya", verification=Verification.CREDIBLE, description="Arrested at the age of 16.",
    )  # fmt: skip
    for person in (magamadov, isaev):
        record_status_change(
            by=by, reason=REASON, person=person, case=case, status=Status.DETAINED, when="2020",
            place="Chechnya", verification=Verification.CREDIBLE,
            description="Arrested over an opposition chat channel; released after agreeing to inform.",
        )  # fmt: skip
        record_status_change(
            by=by, reason=REASON, person=person, case=case, status=Status.IN_HIDING, when="Jul 2020",
            place="Nizhny Novgorod", verification=Verification.CONFIRMED, sources=[reports],
            description="Evacuated to a safe house.",
        )  # fmt: skip
        record_status_change(
            by=by, reason=REASON, person=person, case=case, status=Status.DETAINED_INCOMMUNICADO,
            when="4 Feb 2021", place="Nizhny Novgorod → Gudermes", verification=Verification.CONFIRMED,
            sources=[reports], description="Seized at the safe house and taken to Gudermes, Chechnya.",
        )  # fmt: skip
        record_status_change(
            by=by, reason=REASON, person=person, case=case, status=Status.DETAINED, when="6 Feb 2021",
            place="Gudermes", verification=Verification.CONFIRMED, sources=[media],
            description="Police admitted the arrest.",
        )  # fmt: skip
    for person, years in ((magamadov, 8), (isaev, 6)):
        record_status_change(
            by=by, reason=REASON, person=person, case=case, status=Status.CONVICTED, when="22 Feb 2022",
            place="Chechnya", verification=Verification.CONFIRMED,
            description=f"Sentenced to {years} years; cassation upheld the sentence on 25 Oct 2022.",
        )  # fmt: skip
    rule39 = file_appeal(
        by=by, reason=REASON, case=case, people=[magamadov, isaev], forum=Forum.ECTHR,
        kind=AppealKind.INTERIM_MEASURES_REQUEST, title="Rule 39 request: Magamadov and Isaev",
        filed=date(2021, 2, 5), filed_by="Russian LGBT Network",
    )  # fmt: skip
    add_appeal_step(by=by, reason=REASON, appeal=rule39, step_type=StepType.INTERIM_REQUESTED, when="4–8 Feb 2021")
    add_appeal_step(
        by=by, reason=REASON, appeal=rule39, step_type=StepType.INTERIM_GRANTED, when="8 Feb 2021",
        response_due_on=date(2021, 2, 12),
        description="The Court asked Russia to explain their detention and to give them access to lawyers.",
    )  # fmt: skip
    courts = file_appeal(
        by=by, reason=REASON, case=case, people=[magamadov, isaev], forum=Forum.DOMESTIC_COURT,
        kind=AppealKind.CASSATION, title="Criminal case: aiding an illegal armed group",
    )  # fmt: skip
    add_appeal_step(
        by=by, reason=REASON, appeal=courts, step_type=StepType.COURT_DECISION, when="22 Feb 2022",
        description="Convicted: 8 years (Magamadov) and 6 years (Isaev).",
    )  # fmt: skip
    add_appeal_step(
        by=by, reason=REASON, appeal=courts, step_type=StepType.CASSATION_DECISION, when="25 Oct 2022",
        description="Cassation upheld the sentences.",
    )  # fmt: skip
    record_official_response(
        by=by, reason=REASON, case=case, response_type=ResponseType.PARTIAL_INFORMATION, when="6 Feb 2021",
        state="Russian Federation", body="Police of the Chechen Republic", sources=[media],
        summary="Police admitted that the two men had been arrested.",
    )  # fmt: skip
    record_official_response(
        by=by, reason=REASON, case=case, response_type=ResponseType.DENIAL, when="7 Feb 2021",
        state="Russian Federation", body="Chechen authorities", verification=Verification.DISPUTED,
        summary="An official claimed the men had “confessed” to aiding an illegal armed group.",
    )  # fmt: skip


def _arsamikov(by, reference):
    case = open_case(
        by=by, reason=REASON, reference=reference, title="Arsamikov",
        summary="Detained at Domodedovo airport in 2023 and handed to Chechen officers; whereabouts unknown.",
        region="Chechnya", opened_on=date(2023, 2, 16), confidentiality=Sensitivity.PUBLIC,
    )  # fmt: skip
    person = add_person(
        by=by, reason=REASON, **PUBLIC_CONSENT,
        identity={"legal_name": "Idris Arsamikov", "name_original_script": "Идрис Арсамиков"},
        names=[("Идрис Арсамиков", Script.CYRILLIC, NameScheme.ORIGINAL),
               ("Idris Arsamikov", Script.LATIN, NameScheme.ICAO)],
    )  # fmt: skip
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    reports = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.NGO_REPORT,
        title="Statements on the detention of Idris Arsamikov", publisher="North Caucasus SOS Crisis Group",
        published=date(2023, 2, 17), language="ru", reliability=Reliability.HIGH,
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DETAINED_INCOMMUNICADO, when="2018",
        place="near Grozny", verification=Verification.CREDIBLE, description="Tortured.",
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.RELOCATED_ABROAD, when="c. 2018",
        place="Netherlands", verification=Verification.CREDIBLE,
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.AT_LIBERTY, when="2022",
        place="Chechnya", verification=Verification.CREDIBLE,
        description="Returned for his father's funeral (sources disagree on the month); documents confiscated.",
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DETAINED, when="15 Feb 2023",
        place="Moscow, Domodedovo airport", verification=Verification.CONFIRMED, sources=[reports],
        description="Detained, charged with fraud and handed to Chechen officers.",
    )  # fmt: skip
    disappeared = record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DISAPPEARED, when="c. Mar 2023",
        verification=Verification.CREDIBLE, sources=[reports],
        description="Appeared in a video renouncing help, believed coerced. Whereabouts unknown.",
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.AT_LIBERTY, when="2023",
        verification=Verification.UNVERIFIED, differs_from=disappeared,
        description="An anonymous message claims he escaped.",
    )  # fmt: skip
    for kind, forum, mandates in (
        (AppealKind.SUBMISSION, Forum.UN_SPECIAL_PROCEDURES, "Special Rapporteur on torture"),
        (AppealKind.URGENT_ACTION, Forum.WGEID, "Working Group on Enforced or Involuntary Disappearances"),
    ):
        appeal = file_appeal(
            by=by, reason=REASON, case=case, people=[person], forum=forum, kind=kind, mandates=mandates,
            filed_by="North Caucasus SOS Crisis Group", title=f"Appeal to the {mandates}",
        )  # fmt: skip
        add_appeal_step(by=by, reason=REASON, appeal=appeal, step_type=StepType.SUBMITTED, when="2023")
    for state, body in (
        ("Netherlands", "Minister of Foreign Affairs"),
        ("France", "Special representative for LGBT rights"),
    ):
        record_official_response(
            by=by, reason=REASON, case=case, response_type=ResponseType.PUBLIC_STATEMENT, when="2023",
            state=state, body=body, summary="Public statement of concern about his detention.",
        )  # fmt: skip


def _fictional(by, reference):
    """An invented person: the kind of record that must never leave the team."""
    case = open_case(
        by=by, reason=REASON, reference=reference, title="FICTIONAL: detention reported by a relative",
        summary="Fictional demo case. A young man reported detained; family pressure suspected.",
        region="North Caucasus", opened_on=date(2024, 3, 1), confidentiality=Sensitivity.RESTRICTED,
        internal_notes="FICTIONAL INTERNAL NOTE: the relative asked never to be named.",
    )  # fmt: skip
    person = add_person(
        by=by, reason=REASON, sensitivity=Sensitivity.RESTRICTED,
        consent_partner_sharing=Consent.GIVEN, consent_recorded=date(2024, 3, 2),
        identity={
            "legal_name": "Timur Vymyshlenny", "name_original_script": "Тимур Вымышленный", "birth_year": 2001,
            "contacts": "+7 900 000-00-00 (fictional)", "current_whereabouts": "Safe house B (fictional)",
        },
        names=[("Тимур Вымышленный", Script.CYRILLIC, NameScheme.ORIGINAL)],
    )  # fmt: skip
    relative = add_person(
        by=by, reason=REASON, sensitivity=Sensitivity.RESTRICTED, consent_partner_sharing=Consent.GIVEN,
        identity={"legal_name": "Aminat Vymyshlennaya", "name_original_script": "Аминат Вымышленная"},
    )  # fmt: skip
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    add_to_case(by=by, reason=REASON, case=case, person=relative, role=Role.RELATIVE)
    note = add_source(
        by=by, reason=REASON, case=case, source_type=SourceType.INTERNAL_NOTE,
        title="Call with a relative (fictional)", published=date(2024, 3, 1), reliability=Reliability.MEDIUM,
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.DETAINED_INCOMMUNICADO, when="early 2024",
        place="North Caucasus", verification=Verification.UNVERIFIED, sources=[note],
        description="A relative reports he was taken by men in uniform.",
        internal_notes="FICTIONAL: relative's phone may be monitored.",
    )  # fmt: skip
    record_status_change(
        by=by, reason=REASON, person=person, case=case, status=Status.IN_HIDING, when="Apr 2024",
        verification=Verification.CONFIRMED, sources=[note], description="Released and moved to a safe house.",
    )  # fmt: skip
