"""Demo data: five public matters and two clearly fictional confidential cases.

The public ones are widely reported: Lapunov, Magamadov and Isaev, Arsamikov, the threats against
Igor Kochetkov, and the OSCE Moscow Mechanism on Chechnya. Public facts come with the sources that
reported them; where sources disagree (Lapunov's detention dates, where Kochetkov's complaint went),
both accounts are recorded. What our sources do not date is dated no more precisely than they do
("after Jan 2019"). The fictional cases carry what must never leave a team, and a recurring
obligation dated from the day the demo is loaded. Loading is idempotent: a case whose demo
reference exists is left alone.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import AuthenticatorApp, LanguagePreference
from accounts.roles import ADMINISTRATORS, ADVOCATES, STAFF_EDITORS
from appeals.enums import AppealKind, Finding, Forum, Limb, RepeatUnit, ResponseType, StepType
from appeals.models import ArticleFinding
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
from cases.fuzzydate import format_day
from cases.models import Case
from cases.services import add_person, add_source, add_to_case, open_case, record_status_change, save_record

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
    (
        "editor",
        "demo-editor-password",
        STAFF_EDITORS,
        True,
        ["C-DEMO01", "C-DEMO02", "C-DEMO03", "C-DEMO04", "C-DEMO05", "C-DEMO06", "C-DEMO07"],
    ),
    (
        "advocate",
        "demo-advocate-password",
        ADVOCATES,
        False,
        ["C-DEMO01", "C-DEMO02", "C-DEMO03", "C-DEMO05", "C-DEMO06"],
    ),
    (
        "redaktor",
        "demo-redaktor-password",
        STAFF_EDITORS,
        True,
        ["C-DEMO01", "C-DEMO02", "C-DEMO03", "C-DEMO04", "C-DEMO05", "C-DEMO06", "C-DEMO07"],
    ),
]
# Accounts that chose their interface language: the Russian-speaking editor gets Russian pages from their
# sign-in on, whatever the browser asks for.
DEMO_LANGUAGES = {"redaktor": "ru"}


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
            ("C-DEMO05", _kochetkov),
            ("C-DEMO06", _moscow_mechanism),
            ("C-DEMO07", _fictional_interim_measures),
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
        AuthenticatorApp.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo authenticator"})
        if username in DEMO_LANGUAGES:
            LanguagePreference.objects.get_or_create(user=user, defaults={"language": DEMO_LANGUAGES[username]})
        users[username] = user
    return users


def authenticator(username: str) -> AuthenticatorApp:
    return AuthenticatorApp.objects.get(user__username=username, confirmed=True)


def current_code(username: str) -> str:
    return authenticator(username).current_code()


def _lapunov(by, reference):
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="Lapunov v. Russia",
        summary="Detained in Grozny in March 2017 and tortured; first victim of the purge to speak publicly.",
        region="Chechnya",
        opened_on=date(2017, 9, 1),
        confidentiality=Sensitivity.PUBLIC,
        internal_notes="INTERNAL: follow up with the lawyer on execution of the judgment.",
    )
    person = add_person(
        by=by,
        reason=REASON,
        **PUBLIC_CONSENT,
        identity={"legal_name": "Maxim Lapunov", "name_original_script": "Максим Лапунов"},
        names=[
            ("Максим Лапунов", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Maksim Lapunov", Script.LATIN, NameScheme.AS_IN_SOURCE),
            ("Maxim Lapunov", Script.LATIN, NameScheme.AS_IN_SOURCE),
        ],
    )
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.APPLICANT)
    judgment = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.COURT_DOCUMENT,
        title="Lapunov v. Russia, no. 28834/19, judgment",
        publisher="European Court of Human Rights",
        published=date(2023, 9, 12),
        url="https://hudoc.echr.coe.int/",
        language="en",
        reliability=Reliability.HIGH,
    )
    press = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.MEDIA,
        title="Maxim Lapunov speaks publicly about his detention in Grozny (press conference reports)",
        publisher="Novaya Gazeta and other media",
        published=date(2017, 10, 16),
        language="ru",
        reliability=Reliability.MEDIUM,
    )
    court_account = record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED_INCOMMUNICADO,
        when="16–28 Mar 2017",
        place="Grozny",
        verification=Verification.CONFIRMED,
        sources=[judgment],
        description="Held about 12 days in a police building in Grozny, beaten and tortured (as established by the Court).",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED_INCOMMUNICADO,
        when="15–28 Mar 2017",
        place="Grozny",
        verification=Verification.CREDIBLE,
        sources=[press],
        description="Other reports date the detention from 15 March 2017.",
        differs_from=court_account,
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.RELEASED,
        when="28 Mar 2017",
        place="Grozny",
        verification=Verification.CONFIRMED,
        sources=[judgment],
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.RELOCATED_ABROAD,
        when="Oct 2017",
        verification=Verification.CONFIRMED,
        sources=[press],
        description="Left Russia.",
    )
    domestic = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.DOMESTIC_INVESTIGATIVE,
        kind=AppealKind.CRIME_REPORT,
        mandates="Investigative Committee of the Russian Federation",
        title="Complaint about detention and torture",
        filed=date(2017, 9, 1),
        filed_by="Russian LGBT Network",
    )
    add_appeal_step(by=by, reason=REASON, appeal=domestic, step_type=StepType.SUBMITTED, when="Sep 2017")
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=domestic,
        step_type=StepType.PRE_INVESTIGATION_CHECK,
        when="late 2017",
        description="The pre-investigation inquiry stayed inconclusive; no criminal case was opened.",
    )
    ecthr = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.ECTHR,
        kind=AppealKind.APPLICATION,
        reference="28834/19",
        title="Lapunov v. Russia",
        filed=date(2019, 5, 24),
        respondent_state="RU",
        facts="Mar 2017 – Oct 2017",
    )
    add_appeal_step(by=by, reason=REASON, appeal=ecthr, step_type=StepType.LODGED, when="24 May 2019")
    chamber = add_appeal_step(
        by=by,
        reason=REASON,
        appeal=ecthr,
        step_type=StepType.CHAMBER_JUDGMENT,
        when="12 Sep 2023",
        sources=[judgment],
        description="Unanimous judgment of a Chamber of the Third Section.",
    )
    for article, paragraph, limb, taken_with in (
        ("3", "", Limb.SUBSTANTIVE, ""),
        ("3", "", Limb.PROCEDURAL, ""),
        ("14", "", "", "3"),
        ("5", "1", "", ""),
    ):
        save_record(
            ArticleFinding(
                step=chamber,
                article=article,
                paragraph=paragraph,
                limb=limb,
                taken_with_article=taken_with,
                finding=Finding.VIOLATION,
            ),
            by=by,
            reason=REASON,
        )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=ecthr,
        step_type=StepType.JUDGMENT_FINAL,
        when="12 Dec 2023",
        description="Final under Art. 44 § 2 (b): three months after the judgment, without a referral request.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        response_type=ResponseType.DENIAL,
        when="Apr 2017",
        state="Russian Federation",
        body="Office of the Head of the Chechen Republic",
        official="Spokesman for the head of Chechnya",
        summary="Denied that gay men were persecuted, claiming such people do not exist in the republic.",
        quote="such people don't exist in the republic",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        response_type=ResponseType.DENIAL,
        when="2017",
        state="Russian Federation",
        body="Ministry of Justice",
        summary="Said that preliminary checks had found no evidence of the arrests.",
    )


def _magamadov_isaev(by, reference):
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="Magamadov and Isaev",
        summary="Two young men seized at a safe house in Nizhny Novgorod and taken to Chechnya; later convicted.",
        region="Chechnya",
        opened_on=date(2020, 7, 1),
        confidentiality=Sensitivity.PUBLIC,
    )
    magamadov = add_person(
        by=by,
        reason=REASON,
        **PUBLIC_CONSENT,
        identity={"legal_name": "Salekh Magamadov", "name_original_script": "Салех Магамадов"},
        names=[
            ("Салех Магамадов", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Салех Магомадов", Script.CYRILLIC, NameScheme.AS_IN_SOURCE),
            ("Salekh Magamadov", Script.LATIN, NameScheme.BGN_PCGN),
        ],
    )
    isaev = add_person(
        by=by,
        reason=REASON,
        **PUBLIC_CONSENT,
        identity={"legal_name": "Ismail Isaev", "name_original_script": "Исмаил Исаев"},
        names=[
            ("Исмаил Исаев", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Ismail Isaev", Script.LATIN, NameScheme.ICAO),
            ("Ismail Isayev", Script.LATIN, NameScheme.BGN_PCGN),
        ],
    )
    for person in (magamadov, isaev):
        add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    reports = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.NGO_REPORT,
        title="Statements on the abduction of Salekh Magamadov and Ismail Isaev",
        publisher="North Caucasus SOS Crisis Group / Russian LGBT Network",
        published=date(2021, 2, 5),
        language="ru",
        reliability=Reliability.HIGH,
    )
    media = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.MEDIA,
        title="Chechen police confirm detention of two young men taken from Nizhny Novgorod",
        publisher="Media reports",
        published=date(2021, 2, 6),
        language="ru",
        reliability=Reliability.MEDIUM,
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=isaev,
        case=case,
        status=Status.DETAINED,
        when="2019",
        place="Chechnya",
        verification=Verification.CREDIBLE,
        description="Arrested at the age of 16.",
    )
    for person in (magamadov, isaev):
        record_status_change(
            by=by,
            reason=REASON,
            person=person,
            case=case,
            status=Status.DETAINED,
            when="2020",
            place="Chechnya",
            verification=Verification.CREDIBLE,
            description="Arrested over an opposition chat channel; released after agreeing to inform.",
        )
        record_status_change(
            by=by,
            reason=REASON,
            person=person,
            case=case,
            status=Status.IN_HIDING,
            when="Jul 2020",
            whereabouts="Nizhny Novgorod",
            verification=Verification.CONFIRMED,
            sources=[reports],
            description="Evacuated to a safe house.",
        )
        record_status_change(
            by=by,
            reason=REASON,
            person=person,
            case=case,
            status=Status.DETAINED_INCOMMUNICADO,
            when="4 Feb 2021",
            place="Nizhny Novgorod → Gudermes",
            verification=Verification.CONFIRMED,
            sources=[reports],
            description="Seized at the safe house and taken to Gudermes, Chechnya.",
        )
        record_status_change(
            by=by,
            reason=REASON,
            person=person,
            case=case,
            status=Status.DETAINED,
            when="6 Feb 2021",
            place="Gudermes",
            verification=Verification.CONFIRMED,
            sources=[media],
            description="Police admitted the arrest.",
        )
    for person, years in ((magamadov, 8), (isaev, 6)):
        record_status_change(
            by=by,
            reason=REASON,
            person=person,
            case=case,
            status=Status.CONVICTED,
            when="22 Feb 2022",
            place="Chechnya",
            verification=Verification.CONFIRMED,
            description=f"Sentenced to {years} years; cassation upheld the sentence on 25 Oct 2022.",
        )
    rule39 = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[magamadov, isaev],
        forum=Forum.ECTHR,
        kind=AppealKind.INTERIM_MEASURES_REQUEST,
        title="Rule 39 request: Magamadov and Isaev",
        filed=date(2021, 2, 5),
        filed_by="Russian LGBT Network",
        respondent_state="RU",
    )
    add_appeal_step(by=by, reason=REASON, appeal=rule39, step_type=StepType.INTERIM_REQUESTED, when="4–8 Feb 2021")
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=rule39,
        step_type=StepType.INTERIM_GRANTED,
        when="8 Feb 2021",
        response_due_on=date(2021, 2, 12),
        description="The Court asked Russia to explain their detention and to give them access to lawyers.",
    )
    courts = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[magamadov, isaev],
        forum=Forum.DOMESTIC_COURT,
        kind=AppealKind.CASSATION,
        title="Criminal case: aiding an illegal armed group",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=courts,
        step_type=StepType.COURT_DECISION,
        when="22 Feb 2022",
        description="Convicted: 8 years (Magamadov) and 6 years (Isaev).",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=courts,
        step_type=StepType.CASSATION_DECISION,
        when="25 Oct 2022",
        description="Cassation upheld the sentences.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        response_type=ResponseType.PARTIAL_INFORMATION,
        when="6 Feb 2021",
        state="Russian Federation",
        body="Police of the Chechen Republic",
        sources=[media],
        summary="Police admitted that the two men had been arrested.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        response_type=ResponseType.DENIAL,
        when="7 Feb 2021",
        state="Russian Federation",
        body="Chechen authorities",
        verification=Verification.DISPUTED,
        summary="An official claimed the men had “confessed” to aiding an illegal armed group.",
    )


def _arsamikov(by, reference):
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="Arsamikov",
        summary="Detained at Domodedovo airport in 2023 and handed to Chechen officers; whereabouts unknown.",
        region="Chechnya",
        opened_on=date(2023, 2, 16),
        confidentiality=Sensitivity.PUBLIC,
    )
    person = add_person(
        by=by,
        reason=REASON,
        **PUBLIC_CONSENT,
        identity={"legal_name": "Idris Arsamikov", "name_original_script": "Идрис Арсамиков"},
        names=[
            ("Идрис Арсамиков", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Idris Arsamikov", Script.LATIN, NameScheme.ICAO),
        ],
    )
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    reports = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.NGO_REPORT,
        title="Statements on the detention of Idris Arsamikov",
        publisher="North Caucasus SOS Crisis Group",
        published=date(2023, 2, 17),
        language="ru",
        reliability=Reliability.HIGH,
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED_INCOMMUNICADO,
        when="2018",
        place="near Grozny",
        verification=Verification.CREDIBLE,
        description="Tortured.",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.RELOCATED_ABROAD,
        when="c. 2018",
        whereabouts="Netherlands",
        verification=Verification.CREDIBLE,
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.AT_LIBERTY,
        when="2022",
        place="Chechnya",
        verification=Verification.CREDIBLE,
        description="Returned for his father's funeral (sources disagree on the month); documents confiscated.",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED,
        when="15 Feb 2023",
        place="Moscow, Domodedovo airport",
        verification=Verification.CONFIRMED,
        sources=[reports],
        description="Detained, charged with fraud and handed to Chechen officers.",
    )
    disappeared = record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DISAPPEARED,
        when="c. Mar 2023",
        verification=Verification.CREDIBLE,
        sources=[reports],
        description="Appeared in a video renouncing help, believed coerced. Whereabouts unknown.",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.AT_LIBERTY,
        when="2023",
        verification=Verification.UNVERIFIED,
        differs_from=disappeared,
        description="An anonymous message claims he escaped.",
    )
    for kind, forum, mandates in (
        (AppealKind.SUBMISSION, Forum.UN_SPECIAL_PROCEDURES, "Special Rapporteur on torture"),
        (AppealKind.URGENT_ACTION, Forum.WGEID, "Working Group on Enforced or Involuntary Disappearances"),
    ):
        appeal = file_appeal(
            by=by,
            reason=REASON,
            case=case,
            people=[person],
            forum=forum,
            kind=kind,
            mandates=mandates,
            filed_by="North Caucasus SOS Crisis Group",
            title=f"Appeal to the {mandates}",
        )
        add_appeal_step(by=by, reason=REASON, appeal=appeal, step_type=StepType.SUBMITTED, when="2023")
    for state, body in (
        ("Netherlands", "Minister of Foreign Affairs"),
        ("France", "Special representative for LGBT rights"),
    ):
        record_official_response(
            by=by,
            reason=REASON,
            case=case,
            response_type=ResponseType.PUBLIC_STATEMENT,
            when="2023",
            state=state,
            body=body,
            summary="Public statement of concern about his detention.",
        )


def _fictional(by, reference):
    """An invented person: the kind of record that must never leave the team."""
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="FICTIONAL: detention reported by a relative",
        summary="Fictional demo case. A young man reported detained; family pressure suspected.",
        region="North Caucasus",
        opened_on=date(2024, 3, 1),
        confidentiality=Sensitivity.RESTRICTED,
        internal_notes="FICTIONAL INTERNAL NOTE: the relative asked never to be named.",
    )
    person = add_person(
        by=by,
        reason=REASON,
        sensitivity=Sensitivity.RESTRICTED,
        consent_partner_sharing=Consent.GIVEN,
        consent_recorded=date(2024, 3, 2),
        identity={
            "legal_name": "Timur Vymyshlenny",
            "name_original_script": "Тимур Вымышленный",
            "birth_year": 2001,
            "contacts": "+7 900 000-00-00 (fictional)",
            "current_whereabouts": "Safe house B (fictional)",
        },
        names=[("Тимур Вымышленный", Script.CYRILLIC, NameScheme.ORIGINAL)],
    )
    relative = add_person(
        by=by,
        reason=REASON,
        sensitivity=Sensitivity.RESTRICTED,
        consent_partner_sharing=Consent.GIVEN,
        identity={"legal_name": "Aminat Vymyshlennaya", "name_original_script": "Аминат Вымышленная"},
    )
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.VICTIM)
    add_to_case(by=by, reason=REASON, case=case, person=relative, role=Role.RELATIVE)
    note = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.INTERNAL_NOTE,
        title="Call with a relative (fictional)",
        published=date(2024, 3, 1),
        reliability=Reliability.MEDIUM,
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED_INCOMMUNICADO,
        when="early 2024",
        place="North Caucasus",
        verification=Verification.UNVERIFIED,
        sources=[note],
        description="A relative reports he was taken by men in uniform.",
        internal_notes="FICTIONAL: relative's phone may be monitored.",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.IN_HIDING,
        when="Apr 2024",
        verification=Verification.CONFIRMED,
        sources=[note],
        description="Released and moved to a safe house.",
    )


def _kochetkov(by, reference):
    """An activist under threat: his complaint about detentions in Chechnya, the threats, and the courts."""
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="Kochetkov: threats after a complaint about Chechnya",
        summary="An LGBT rights defender threatened after he reported detentions and torture in Chechnya.",
        region="St Petersburg",
        opened_on=date(2019, 1, 29),
        confidentiality=Sensitivity.PUBLIC,
    )
    person = add_person(
        by=by,
        reason=REASON,
        **PUBLIC_CONSENT,
        identity={"legal_name": "Igor Kochetkov", "name_original_script": "Игорь Кочетков"},
        names=[
            ("Игорь Кочетков", Script.CYRILLIC, NameScheme.ORIGINAL),
            ("Igor Kochetkov", Script.LATIN, NameScheme.ICAO),
        ],
    )
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.ACTIVIST)
    hrw = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.NGO_REPORT,
        title="Russia: New Wave of Anti-LGBT Persecution",
        publisher="Human Rights Watch",
        published=date(2019, 2, 15),
        url="https://www.hrw.org/news/2019/02/15/russia-new-wave-anti-lgbt-persecution",
        language="en",
        reliability=Reliability.HIGH,
    )
    front_line = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.NGO_REPORT,
        title="Death threats sent to LGBT rights defender Igor Kochetkov",
        publisher="Front Line Defenders",
        url="https://frontlinedefenders.org/en/case/death-threats-sent-lgbt-rights-defender-igor-kochetkov",
        language="en",
        reliability=Reliability.HIGH,
    )
    network = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.NGO_REPORT,
        title="Saint Petersburg courts uphold the human rights defender's complaints about police inaction",
        publisher="Russian LGBT Network",
        language="en",
        reliability=Reliability.MEDIUM,
        url="https://lgbtnet.org/en/newseng/saint-petersburg-court-uphold-human-rights-activists-who-complaints-about-police-inaction",
    )
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.AT_LIBERTY,
        when="29 Jan 2019",
        place="St Petersburg",
        verification=Verification.CONFIRMED,
        sources=[hrw, front_line],
        description="A video with explicit threats against him began circulating on the day he filed his complaint; "
        "the speaker belonged to a pro-Kadyrov group.",
    )
    complaint = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.DOMESTIC_INVESTIGATIVE,
        kind=AppealKind.CRIME_REPORT,
        mandates="Investigative Committee of the Russian Federation",
        title="Complaint about the detention and torture of at least 14 people in Grozny",
        filed="29 Jan 2019",
        filed_by="Igor Kochetkov, Russian LGBT Network",
        respondent_state="RU",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=complaint,
        step_type=StepType.SUBMITTED,
        when="29 Jan 2019",
        sources=[hrw, front_line],
        description="The unlawful detention of at least 14 people, torture, and the killing of one of them, in "
        "Chechnya between 1 and 20 January 2019. Accounts differ on where it went: Human Rights Watch and "
        "Front Line Defenders name the Investigative Committee; another account names the Investigative "
        "Department of the Ministry of Internal Affairs.",
    )
    police = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.DOMESTIC_POLICE,
        kind=AppealKind.CRIME_REPORT,
        mandates="Prosecutor's office and Ministry of Internal Affairs",
        title="Complaint about the threats",
        filed="30 Jan 2019",
        filed_by="Igor Kochetkov",
        respondent_state="RU",
    )
    submitted = add_appeal_step(
        by=by,
        reason=REASON,
        appeal=police,
        step_type=StepType.SUBMITTED,
        when="30 Jan 2019",
        sources=[hrw, network],
        description="The report was redirected several times; no investigation was opened.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        appeal=police,
        answers_step=submitted,
        when="2019",
        response_type=ResponseType.REFUSAL_TO_COOPERATE,
        state="Russian Federation",
        body="Ministry of Internal Affairs",
        sources=[network],
        summary="Suggested that he call the police emergency numbers, 02 or 112.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        appeal=police,
        when="2019",
        response_type=ResponseType.DENIAL,
        state="Russian Federation",
        body="Centre for Countering Extremism of the Chechen Republic",
        sources=[network],
        summary="Said that the man in the video did not exist.",
    )
    court = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.DOMESTIC_COURT,
        kind=AppealKind.COURT_APPEAL,
        title="Complaint about police inaction (CCP art. 125)",
        filed_by="Igor Kochetkov",
        respondent_state="RU",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=court,
        step_type=StepType.COURT_DECISION,
        when="after Jan 2019",
        sources=[network],
        description="The Smolninsky District Court found the police inaction unlawful.",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=court,
        step_type=StepType.APPEAL_DECISION,
        when="after Jan 2019",
        sources=[network],
        description="At the end of June (our sources do not give the year), the St Petersburg City Court upheld it "
        "and ordered the head of the regional police directorate to remedy the violations.",
    )


def _moscow_mechanism(by, reference):
    """A mechanism about a whole region rather than one person: no one is named in it."""
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="OSCE Moscow Mechanism on Chechnya (2018)",
        summary="Sixteen OSCE participating States asked for an independent fact-finding mission on Chechnya.",
        region="Chechnya",
        opened_on=date(2018, 11, 1),
        confidentiality=Sensitivity.PUBLIC,
    )
    invocation = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.OFFICIAL_STATEMENT,
        title="Statement on behalf of 16 participating States invoking the Moscow Mechanism on Chechnya",
        publisher="Delegations of 16 OSCE participating States",
        published=date(2018, 11, 1),
        language="en",
        reliability=Reliability.HIGH,
    )
    report = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.INTERGOVERNMENTAL_DOCUMENT,
        title="Report under the Moscow Mechanism on alleged human rights violations and impunity in the Chechen "
        "Republic of the Russian Federation (ODIHR.GAL/76/18)",
        publisher="OSCE ODIHR; rapporteur Prof. Wolfgang Benedek",
        published=date(2018, 12, 13),
        language="en",
        reliability=Reliability.HIGH,
    )
    new_wave = add_source(
        by=by,
        reason=REASON,
        case=case,
        source_type=SourceType.MEDIA,
        title="Russian LGBT Network: about 40 people detained in Chechnya since the end of December, two killed",
        publisher="Caucasian Knot",
        published=date(2019, 1, 15),
        url="https://caucasianknot.info/articles/45817",
        language="ru",
        reliability=Reliability.MEDIUM,
    )
    mechanism = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        forum=Forum.OSCE,
        kind=AppealKind.MOSCOW_MECHANISM,
        title="Moscow Mechanism invoked by 16 participating States",
        filed="1 Nov 2018",
        respondent_state="RU",
        filed_by="Belgium, Canada, Denmark, Estonia, Finland, France, Germany, Iceland, Ireland, Latvia, Lithuania, "
        "the Netherlands, Norway, Sweden, the United Kingdom, the United States",
    )
    invoked = add_appeal_step(
        by=by,
        reason=REASON,
        appeal=mechanism,
        step_type=StepType.MECHANISM_INVOKED,
        when="1 Nov 2018",
        sources=[invocation],
        description="Invoked under paragraph 12 of the 1991 Moscow Document.",
    )
    record_official_response(
        by=by,
        reason=REASON,
        case=case,
        appeal=mechanism,
        answers_step=invoked,
        when="Nov 2018",
        response_type=ResponseType.REFUSAL_TO_COOPERATE,
        state="Russian Federation",
        body="Permanent Mission of the Russian Federation to the OSCE",
        sources=[report],
        summary="Did not appoint a second expert and refused the rapporteur's request to visit; a letter annexed to "
        "the report called the concerns groundless.",
        quote="biased and groundless",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=mechanism,
        step_type=StepType.REPORT_PUBLISHED,
        when="13 Dec 2018",
        sources=[report],
        description="The allegations of very serious human rights violations were found confirmed: harassment and "
        "persecution, arbitrary arrests and detentions, torture, enforced disappearances and extrajudicial "
        "executions, including against LGBTI people, in a climate of impunity. Recommended a special "
        "investigative committee. Presented to the Permanent Council on 20 Dec 2018, public on 21 Dec 2018.",
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=mechanism,
        step_type=StepType.FOLLOW_UP,
        when="Dec 2018 – Jan 2019",
        sources=[new_wave],
        description="The recommendations went unheeded: a new wave of detentions began at the end of December 2018; "
        "by 14 Jan 2019 about 40 people had been detained and two killed.",
    )


def _fictional_interim_measures(by, reference):
    """An invented evacuee detained abroad pending extradition to Russia, under Rule 39: the Court asks the
    respondent Government not to extradite him and to report on his health every two weeks.

    Dated from the day the demo is loaded, so that some reports are missed and the next one is ahead. No
    State is named: the facts are invented.
    """
    today = timezone.localdate()
    case = open_case(
        by=by,
        reason=REASON,
        reference=reference,
        title="FICTIONAL: detainee under interim measures",
        summary="Fictional demo case. An evacuee detained abroad pending extradition to Russia; the Government must "
        "report on his health every two weeks.",
        region="Abroad (fictional)",
        opened_on=today - timedelta(days=60),
        confidentiality=Sensitivity.RESTRICTED,
    )
    person = add_person(
        by=by,
        reason=REASON,
        sensitivity=Sensitivity.RESTRICTED,
        consent_partner_sharing=Consent.GIVEN,
        identity={"legal_name": "Ruslan Primerov", "name_original_script": "Руслан Примеров"},
        names=[("Руслан Примеров", Script.CYRILLIC, NameScheme.ORIGINAL)],
    )
    add_to_case(by=by, reason=REASON, case=case, person=person, role=Role.APPLICANT)
    record_status_change(
        by=by,
        reason=REASON,
        person=person,
        case=case,
        status=Status.DETAINED,
        when=format_day(today - timedelta(days=50)),
        place="Abroad (fictional)",
        verification=Verification.CONFIRMED,
        description="FICTIONAL: detained on an extradition request from Russia; he needs medical care.",
    )
    rule39 = file_appeal(
        by=by,
        reason=REASON,
        case=case,
        people=[person],
        forum=Forum.ECTHR,
        kind=AppealKind.INTERIM_MEASURES_REQUEST,
        title="Rule 39 request (fictional)",
        filed=today - timedelta(days=46),
    )
    add_appeal_step(
        by=by,
        reason=REASON,
        appeal=rule39,
        step_type=StepType.INTERIM_REQUESTED,
        when=format_day(today - timedelta(days=46)),
    )
    granted = add_appeal_step(
        by=by,
        reason=REASON,
        appeal=rule39,
        step_type=StepType.INTERIM_GRANTED,
        when=format_day(today - timedelta(days=45)),
        response_due_on=today - timedelta(days=41),
        reports_every=2,
        reports_unit=RepeatUnit.WEEKS,
        description="FICTIONAL: the Court asked the Government not to extradite him, to ensure medical care and to "
        "report on his health every two weeks until further notice.",
    )
    for days_ago, summary in (
        (42, "FICTIONAL: first reply; says he is receiving care."),
        (30, "FICTIONAL: report on his health, one day late."),
    ):
        record_official_response(
            by=by,
            reason=REASON,
            case=case,
            appeal=rule39,
            answers_step=granted,
            when=format_day(today - timedelta(days=days_ago)),
            response_type=ResponseType.SUBSTANTIVE_REPLY,
            body="Office of the Government Agent (fictional)",
            summary=summary,
        )
