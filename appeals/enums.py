"""Forums, their kinds of appeal and the steps of their life cycles, outcomes and deadline rules."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Forum(models.TextChoices):
    ECTHR = "ecthr", _("European Court of Human Rights")
    UN_SPECIAL_PROCEDURES = "un_sp", _("UN Special Procedures")
    WGEID = "wgeid", _("UN Working Group on Enforced or Involuntary Disappearances")
    UN_HRC = "un_hrc", _("UN Human Rights Committee")
    UN_CAT = "un_cat", _("UN Committee against Torture")
    OSCE = "osce", _("OSCE")
    DOMESTIC_INVESTIGATIVE = "dom_investigative", _("Investigative Committee")
    DOMESTIC_PROSECUTOR = "dom_prosecutor", _("Prosecutor's office")
    DOMESTIC_POLICE = "dom_police", _("Police / Ministry of Internal Affairs")
    DOMESTIC_COURT = "dom_court", _("Domestic court")
    EXECUTIVE = "executive", _("Head of a region or another executive authority")
    PRESIDENTIAL_COUNCIL = "presidential_council", _("Presidential Council for Civil Society and Human Rights")
    OMBUDSPERSON = "ombudsperson", _("High Commissioner for Human Rights in the Russian Federation (ombudsperson)")
    REGIONAL_OMBUDSPERSON = "regional_ombudsperson", _("Regional commissioner for human rights (ombudsperson)")
    ICC = "icc", _("International Criminal Court")
    UNIVERSAL_JURISDICTION = "universal_jurisdiction", _("Universal-jurisdiction complaint")
    FOREIGN_GOVERNMENT = "foreign_government", _("Foreign government")
    EMBASSY = "embassy", _("Embassy")


class AppealKind(models.TextChoices):
    APPLICATION = "application", _("Individual application (Art. 34)")
    INTERIM_MEASURES_REQUEST = "interim_request", _("Request for interim measures only")
    URGENT_APPEAL = "urgent_appeal", _("Urgent appeal (UA)")
    ALLEGATION_LETTER = "allegation_letter", _("Allegation letter (AL)")
    OTHER_LETTER = "other_letter", _("Other letter (OL)")
    SUBMISSION = "submission", _("Submission of information")
    URGENT_ACTION = "urgent_action", _("Urgent action (disappearance within 3 months)")
    STANDARD_CASE = "standard_case", _("Standard case")
    INDIVIDUAL_COMPLAINT = "individual_complaint", _("Individual complaint")
    MOSCOW_MECHANISM = "moscow_mechanism", _("Moscow Mechanism")
    CRIME_REPORT = "crime_report", _("Crime report / complaint")
    COURT_APPEAL = "court_appeal", _("Court appeal")
    CASSATION = "cassation", _("Cassation appeal")
    COMMUNICATION = "communication", _("Communication")
    PETITION = "petition", _("Petition / letter")
    CITIZEN_APPEAL = "citizen_appeal", _("Written appeal (Federal Law No. 59-FZ)")
    PUBLIC_APPEAL = "public_appeal", _("Public appeal (open letter, video address)")


class InterimMeasures(models.TextChoices):
    NONE = "", _("None")
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted (indicated to the Government)")
    REFUSED = "refused", _("Refused")
    LIFTED = "lifted", _("Lifted")
    NOT_COMPLIED = "not_complied", _("Not complied with")


class StepType(models.TextChoices):
    # Shared
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    GOVERNMENT_REPLY = "government_reply", _("Government replied")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    # Interim measures (ECtHR Rule 39, treaty bodies)
    INTERIM_REQUESTED = "interim_requested", _("Interim measures requested")
    INTERIM_GRANTED = "interim_granted", _("Interim measures indicated to the Government")
    INTERIM_REFUSED = "interim_refused", _("Interim measures refused")
    INTERIM_LIFTED = "interim_lifted", _("Interim measures lifted")
    INTERIM_NOT_COMPLIED = "interim_not_complied", _("Interim measures not complied with")
    # ECtHR
    FINAL_DOMESTIC_DECISION = "final_domestic_decision", _("Final domestic decision (starts the time limit)")
    LODGED = "lodged", _("Application lodged (complete Rule 47 form)")
    REGISTERED = "registered", _("Registered")
    ALLOCATED_SINGLE_JUDGE = "allocated_single_judge", _("Allocated to a single judge")
    ALLOCATED_COMMITTEE = "allocated_committee", _("Allocated to a committee")
    ALLOCATED_CHAMBER = "allocated_chamber", _("Allocated to a chamber")
    PRIORITY_GRANTED = "priority_granted", _("Rule 41 priority granted")
    COMMUNICATED = "communicated", _("Communicated to the Government")
    FRIENDLY_SETTLEMENT_PHASE = "friendly_settlement_phase", _("Friendly-settlement phase")
    OBSERVATIONS = "observations", _("Observations and just-satisfaction claims exchanged")
    COMMITTEE_JUDGMENT = "committee_judgment", _("Committee judgment (final at once)")
    CHAMBER_JUDGMENT = "chamber_judgment", _("Chamber judgment")
    REFERRAL_REQUESTED = "referral_requested", _("Referral to the Grand Chamber requested")
    REFERRAL_REFUSED = "referral_refused", _("Grand Chamber panel refused referral")
    GRAND_CHAMBER_JUDGMENT = "grand_chamber_judgment", _("Grand Chamber judgment")
    JUDGMENT_FINAL = "judgment_final", _("Judgment final")
    EXECUTION_SUPERVISION = "execution_supervision", _("Execution supervised by the Committee of Ministers")
    EXECUTION_CLOSED = "execution_closed", _("Supervision of execution closed")
    INADMISSIBLE = "inadmissible", _("Declared inadmissible")
    STRUCK_OUT = "struck_out", _("Struck out")
    FRIENDLY_SETTLEMENT = "friendly_settlement", _("Friendly settlement")
    UNILATERAL_DECLARATION = "unilateral_declaration", _("Unilateral declaration")
    # UN Special Procedures and WGEID
    COMMUNICATION_SENT = "communication_sent", _("Communication sent to the Government")
    COMMUNICATION_PUBLISHED = "communication_published", _("Communication published in report")
    CASE_TRANSMITTED = "case_transmitted", _("Case transmitted to the Government")
    CLARIFIED = "clarified", _("Case clarified")
    DISCONTINUED = "discontinued", _("Case discontinued")
    # UN treaty bodies
    TRANSMITTED_TO_STATE = "transmitted_to_state", _("Transmitted to the State")
    STATE_OBSERVATIONS = "state_observations", _("State observations received")
    AUTHOR_COMMENTS = "author_comments", _("Author's comments submitted")
    ADMISSIBILITY_DECISION = "admissibility_decision", _("Admissibility decision")
    VIEWS_ADOPTED = "views_adopted", _("Views adopted")
    # OSCE
    MECHANISM_INVOKED = "mechanism_invoked", _("Mechanism invoked")
    REPORT_PUBLISHED = "report_published", _("Report published")
    # Domestic
    PRE_INVESTIGATION_CHECK = "pre_investigation_check", _("Pre-investigation check")
    REFUSAL_TO_OPEN_CASE = "refusal_to_open_case", _("Refusal to open a criminal case")
    INVESTIGATION_OPENED = "investigation_opened", _("Criminal investigation opened")
    COURT_HEARING = "court_hearing", _("Court hearing")
    COURT_DECISION = "court_decision", _("Court decision")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    APPEAL_DECISION = "appeal_decision", _("Appeal decision")
    CASSATION_FILED = "cassation_filed", _("Cassation filed")
    CASSATION_DECISION = "cassation_decision", _("Cassation decision")
    DECISION = "decision", _("Decision")
    # Appeals to authorities (Federal Law No. 59-FZ) and crime reports (Code of Criminal Procedure)
    FORWARDED = "forwarded", _("Forwarded to another authority")
    TIME_EXTENDED = "time_extended", _("Time for the answer extended")
    CHECK_EXTENDED = "check_extended", _("Check of the crime report extended")
    COMPLAINT_TO_COURT = "complaint_to_court", _("Complaint to a court about inaction (CCP art. 125)")


S = StepType
_INTERIM = [S.INTERIM_REQUESTED, S.INTERIM_GRANTED, S.INTERIM_REFUSED, S.INTERIM_LIFTED, S.INTERIM_NOT_COMPLIED]
_DOMESTIC = [
    S.SUBMITTED, S.ACKNOWLEDGED, S.REGISTERED, S.PRE_INVESTIGATION_CHECK, S.CHECK_EXTENDED, S.REFUSAL_TO_OPEN_CASE,
    S.INVESTIGATION_OPENED, S.COMPLAINT_TO_COURT, S.COURT_HEARING, S.COURT_DECISION, S.APPEAL_FILED,
    S.APPEAL_DECISION, S.CASSATION_FILED, S.CASSATION_DECISION, S.FINAL_DOMESTIC_DECISION, S.CLOSED,
]  # fmt: skip
_GENERIC = [S.SUBMITTED, S.ACKNOWLEDGED, S.GOVERNMENT_REPLY, S.DECISION, S.FOLLOW_UP, S.CLOSED]
# A written appeal to an authority: registered, perhaps forwarded or given more time, then answered.
_AUTHORITY = [
    S.SUBMITTED, S.REGISTERED, S.FORWARDED, S.TIME_EXTENDED, S.GOVERNMENT_REPLY, S.DECISION, S.FOLLOW_UP, S.CLOSED,
]  # fmt: skip
_TREATY_BODY = [
    S.SUBMITTED, S.REGISTERED, *_INTERIM, S.TRANSMITTED_TO_STATE, S.STATE_OBSERVATIONS, S.AUTHOR_COMMENTS,
    S.ADMISSIBILITY_DECISION, S.INADMISSIBLE, S.VIEWS_ADOPTED, S.FOLLOW_UP, S.DISCONTINUED, S.CLOSED,
]  # fmt: skip

# The life cycle of each forum, in procedural order; the order breaks ties between
# steps recorded on the same day when deriving the current stage.
FORUM_STEPS: dict[str, list[str]] = {
    Forum.ECTHR: [
        S.FINAL_DOMESTIC_DECISION, *_INTERIM, S.LODGED, S.REGISTERED, S.ALLOCATED_SINGLE_JUDGE,
        S.ALLOCATED_COMMITTEE, S.ALLOCATED_CHAMBER, S.PRIORITY_GRANTED, S.COMMUNICATED,
        S.FRIENDLY_SETTLEMENT_PHASE, S.GOVERNMENT_REPLY, S.OBSERVATIONS, S.COMMITTEE_JUDGMENT,
        S.CHAMBER_JUDGMENT, S.REFERRAL_REQUESTED, S.REFERRAL_REFUSED, S.GRAND_CHAMBER_JUDGMENT,
        S.JUDGMENT_FINAL, S.EXECUTION_SUPERVISION, S.EXECUTION_CLOSED, S.INADMISSIBLE, S.STRUCK_OUT,
        S.FRIENDLY_SETTLEMENT, S.UNILATERAL_DECLARATION,
    ],
    Forum.UN_SPECIAL_PROCEDURES: [
        S.SUBMITTED, S.COMMUNICATION_SENT, S.GOVERNMENT_REPLY, S.COMMUNICATION_PUBLISHED, S.FOLLOW_UP, S.CLOSED,
    ],
    Forum.WGEID: [
        S.SUBMITTED, S.CASE_TRANSMITTED, S.GOVERNMENT_REPLY, S.FOLLOW_UP, S.CLARIFIED, S.DISCONTINUED,
    ],
    Forum.UN_HRC: _TREATY_BODY,
    Forum.UN_CAT: _TREATY_BODY,
    Forum.OSCE: [S.SUBMITTED, S.MECHANISM_INVOKED, S.GOVERNMENT_REPLY, S.REPORT_PUBLISHED, S.FOLLOW_UP, S.CLOSED],
    Forum.DOMESTIC_INVESTIGATIVE: _DOMESTIC,
    Forum.DOMESTIC_PROSECUTOR: _DOMESTIC,
    Forum.DOMESTIC_POLICE: [*_DOMESTIC[:-1], S.FORWARDED, S.TIME_EXTENDED, S.GOVERNMENT_REPLY, S.CLOSED],
    Forum.DOMESTIC_COURT: _DOMESTIC,
    Forum.EXECUTIVE: _AUTHORITY,
    Forum.PRESIDENTIAL_COUNCIL: _AUTHORITY,
    Forum.OMBUDSPERSON: _AUTHORITY,
    Forum.REGIONAL_OMBUDSPERSON: _AUTHORITY,
    Forum.ICC: _GENERIC,
    Forum.UNIVERSAL_JURISDICTION: [*_GENERIC[:3], S.INVESTIGATION_OPENED, *_GENERIC[3:]],
    Forum.FOREIGN_GOVERNMENT: _GENERIC,
    Forum.EMBASSY: _GENERIC,
}  # fmt: skip

K = AppealKind
FORUM_KINDS: dict[str, list[str]] = {
    Forum.ECTHR: [K.APPLICATION, K.INTERIM_MEASURES_REQUEST],
    Forum.UN_SPECIAL_PROCEDURES: [K.SUBMISSION, K.URGENT_APPEAL, K.ALLEGATION_LETTER, K.OTHER_LETTER],
    Forum.WGEID: [K.URGENT_ACTION, K.STANDARD_CASE],
    Forum.UN_HRC: [K.INDIVIDUAL_COMPLAINT],
    Forum.UN_CAT: [K.INDIVIDUAL_COMPLAINT],
    Forum.OSCE: [K.MOSCOW_MECHANISM, K.SUBMISSION],
    Forum.DOMESTIC_INVESTIGATIVE: [K.CRIME_REPORT, K.CITIZEN_APPEAL],
    Forum.DOMESTIC_PROSECUTOR: [K.CRIME_REPORT, K.CITIZEN_APPEAL],
    Forum.DOMESTIC_POLICE: [K.CRIME_REPORT, K.CITIZEN_APPEAL],
    Forum.DOMESTIC_COURT: [K.COURT_APPEAL, K.CASSATION],
    Forum.EXECUTIVE: [K.CITIZEN_APPEAL, K.PUBLIC_APPEAL, K.PETITION],
    Forum.PRESIDENTIAL_COUNCIL: [K.CITIZEN_APPEAL, K.PUBLIC_APPEAL, K.PETITION],
    Forum.OMBUDSPERSON: [K.CITIZEN_APPEAL, K.PETITION],
    Forum.REGIONAL_OMBUDSPERSON: [K.CITIZEN_APPEAL, K.PETITION],
    Forum.ICC: [K.COMMUNICATION],
    Forum.UNIVERSAL_JURISDICTION: [K.CRIME_REPORT],
    Forum.FOREIGN_GOVERNMENT: [K.PETITION, K.PUBLIC_APPEAL],
    Forum.EMBASSY: [K.PETITION],
}

# Reference formats per forum: (pattern, example shown in the error message).
REFERENCE_FORMATS: dict[str, tuple[re.Pattern, str]] = {
    Forum.ECTHR: (re.compile(r"\d{1,6}/\d{2}"), "28834/19"),
    Forum.UN_SPECIAL_PROCEDURES: (re.compile(r"(UA|AL|OL|JUA|JAL|JOL) [A-Z]{3} \d{1,3}/\d{4}"), "UA RUS 4/2019"),
    Forum.UN_HRC: (re.compile(r"\d{1,5}/\d{4}"), "3456/2019"),
    Forum.UN_CAT: (re.compile(r"\d{1,5}/\d{4}"), "987/2020"),
}

# Steps after which nothing more is expected from the forum.
CLOSING_STEPS = {
    S.EXECUTION_CLOSED, S.INADMISSIBLE, S.STRUCK_OUT, S.FRIENDLY_SETTLEMENT, S.UNILATERAL_DECLARATION,
    S.CLARIFIED, S.DISCONTINUED, S.CLOSED,
}  # fmt: skip

# Steps whose outcome is recorded Article by Article (violations found or not) and with any award.
OUTCOME_STEPS = {
    S.COMMITTEE_JUDGMENT, S.CHAMBER_JUDGMENT, S.GRAND_CHAMBER_JUDGMENT, S.VIEWS_ADOPTED, S.FRIENDLY_SETTLEMENT,
    S.UNILATERAL_DECLARATION,
}  # fmt: skip

# Steps at which the forum has decided: the appeal waits for no official answer any more.
DECIDED_STEPS = CLOSING_STEPS | {
    S.COMMITTEE_JUDGMENT, S.CHAMBER_JUDGMENT, S.GRAND_CHAMBER_JUDGMENT, S.JUDGMENT_FINAL, S.EXECUTION_SUPERVISION,
    S.VIEWS_ADOPTED, S.ADMISSIBILITY_DECISION, S.COURT_DECISION, S.APPEAL_DECISION, S.CASSATION_DECISION, S.DECISION,
    S.REPORT_PUBLISHED,
}  # fmt: skip

# Steps that bring a matter before the forum: every later step of the appeal comes after the first of
# them, whatever the precision of its date. What happened before the filing (the final domestic
# decision that starts the ECtHR time limit) is not held to it.
FILING_STEPS = {S.SUBMITTED, S.LODGED, S.INTERIM_REQUESTED, S.MECHANISM_INVOKED}
BEFORE_FILING_STEPS = {S.FINAL_DOMESTIC_DECISION}

INTERIM_STEP_STATE = {
    S.INTERIM_REQUESTED: InterimMeasures.REQUESTED,
    S.INTERIM_GRANTED: InterimMeasures.GRANTED,
    S.INTERIM_REFUSED: InterimMeasures.REFUSED,
    S.INTERIM_LIFTED: InterimMeasures.LIFTED,
    S.INTERIM_NOT_COMPLIED: InterimMeasures.NOT_COMPLIED,
}


class Party(models.TextChoices):
    GOVERNMENT = "government", _("The Government / State")
    US = "us", _("Us (applicant's side)")
    FORUM = "forum", _("The court or body")
    OTHER = "other", _("Someone else")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    # A recurring obligation with nothing outstanding after a step lifted or ended it.
    ENDED = "ended", _("Ended")


class OccurrenceStatus(models.TextChoices):
    MET = "met", _("Received on time")
    MISSED = "missed", _("Late or never received")


class RepeatUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


class ResponseType(models.TextChoices):
    NO_RESPONSE = "no_response", _("No response (overdue)")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement only")
    SUBSTANTIVE_REPLY = "substantive_reply", _("Substantive reply")
    DENIAL = "denial", _("Denial of facts")
    PARTIAL_INFORMATION = "partial_information", _("Partial information")
    REFUSAL_TO_COOPERATE = "refusal_to_cooperate", _("Refusal to cooperate")
    REFUSAL_TO_OPEN_CASE = "refusal_to_open_case", _("Refusal to open a criminal case")
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")
    PUBLIC_STATEMENT = "public_statement", _("Public statement (concern or condemnation)")
    SANCTIONS = "sanctions", _("Sanctions")
    VISA_OR_ASYLUM_DECISION = "visa_asylum_decision", _("Visa or asylum decision")


# Responses that answer what was asked, and so settle a pending deadline for a reply.
ANSWERING_RESPONSES = {
    ResponseType.ACKNOWLEDGEMENT, ResponseType.SUBSTANTIVE_REPLY, ResponseType.DENIAL,
    ResponseType.PARTIAL_INFORMATION, ResponseType.REFUSAL_TO_COOPERATE, ResponseType.REFUSAL_TO_OPEN_CASE,
    ResponseType.INVESTIGATION_OPENED,
}  # fmt: skip


class Finding(models.TextChoices):
    VIOLATION = "violation", _("violation")
    NO_VIOLATION = "no_violation", _("no violation")
    NOT_EXAMINED = "not_examined", _("no separate examination")


class Limb(models.TextChoices):
    NONE = "", _("—")
    SUBSTANTIVE = "substantive", _("substantive")
    PROCEDURAL = "procedural", _("procedural")


class AwardHead(models.TextChoices):
    NON_PECUNIARY = "non_pecuniary", _("non-pecuniary damage")
    PECUNIARY = "pecuniary", _("pecuniary damage")
    COSTS = "costs", _("costs and expenses")


class Supervision(models.TextChoices):
    NONE = "", _("—")
    STANDARD = "standard", _("standard supervision")
    ENHANCED = "enhanced", _("enhanced supervision")


# What each forum's findings are measured against, for "Art. 3 of the Convention".
INSTRUMENTS = {
    Forum.ECTHR: _("the Convention"),
    Forum.UN_HRC: _("the International Covenant on Civil and Political Rights"),
    Forum.UN_CAT: _("the Convention against Torture"),
}


class StateFactKind(models.TextChoices):
    CEASED_TO_BE_PARTY = "ceased_to_be_party", _("ceased to be a party")
    OTHER = "other", _("other")


class DeadlineRule(models.TextChoices):
    """Deadlines proposed from a step; appeals/rules.py says where each comes from in law or practice."""

    INTERIM_REPLY = "interim_reply", _("Reply to interim measures")
    INTERIM_REPORTS = "interim_reports", _("Periodic reports under interim measures")
    UN_REPLY = "un_reply", _("Reply to a UN communication")
    STATE_OBSERVATIONS = "state_observations", _("State's observations on a complaint")
    ECTHR_TIME_LIMIT = "ecthr_time_limit", _("ECtHR time limit")
    REFERRAL_WINDOW = "referral_window", _("Request for referral to the Grand Chamber")
    REPLY_DUE = "reply_due", _("Reply due (date set on the step)")
    CITIZEN_APPEAL_ANSWER = "answer_59fz", _("Answer to a written appeal (59-FZ)")
    CRIME_REPORT_DECISION = "crime_report_check", _("Decision on a crime report (CCP art. 144)")
    OMBUDSPERSON_DECISION = "ombudsperson_decision", _("Ombudsperson's decision on a complaint")
    ACTION_PLAN = "action_plan", _("Action plan or report to the Committee of Ministers")
    VIEWS_FOLLOW_UP = "views_follow_up", _("Follow-up information on Views")


class EventKind(models.TextChoices):
    """What a timeline event is; the labels name the filters, ``one`` a single event."""

    STATE = "state", _("Facts about States")
    STATUS = "status", _("Status")
    APPEAL = "appeal", _("Appeal steps")
    INTERIM = "interim", _("Interim measures")
    DEADLINE = "deadline", _("Deadlines")
    RESPONSE = "response", _("Official responses")

    @property
    def one(self):
        return _SINGLE_EVENT[self]


_SINGLE_EVENT = {
    EventKind.STATE: _("Fact about a State"),
    EventKind.STATUS: _("Status"),
    EventKind.APPEAL: _("Appeal step"),
    EventKind.INTERIM: _("Interim measures"),
    EventKind.DEADLINE: _("Deadline"),
    EventKind.RESPONSE: _("Official response"),
}
