"""Demo data: a fictional trust's well-led self-review with CQC findings, months of history, every role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from wellled.core.choices import OrganisationKind, Role, UnitKind
from wellled.core.models import DeliveryStatus, Membership, Organisation, OrganisationUnit, User
from wellled.core.services import membership_set, organisation_create, organisation_unit_create, person_create
from wellled.frameworks.models import Framework

from .choices import ActionState, FindingSource, FindingType, PlanKind, PlanOrganisedBy
from .models import Action, Plan, ProgressUpdate
from .services import (
    action_create,
    action_state_set,
    action_timescale_revise,
    cycle_open,
    finding_create,
    plan_create,
    progress_update_record,
    section_create,
)
from .timescales import month_end

# Not a secret: every demo person signs in with it, and the README prints it.
DEMO_PASSWORD = "wellled-demo-2026"  # noqa: S105

# Fictional trusts. Z-prefixed ODS codes are not issued to NHS trusts, so these cannot clash with a real one.
DEMO_ODS_CODE = "ZNM"
DEMO_TRUST_NAME = "Northmoor Teaching Hospitals NHS Foundation Trust"
SECOND_ODS_CODE = "ZEV"
SECOND_TRUST_NAME = "Eastvale Community and Mental Health NHS Trust"

SELF_REVIEW_PLAN = "Well-led self-review 2025/26"
WORKSTREAM_PLAN = "Organisational improvement plan 2026"
WELL_LED_FRAMEWORK_KEY = "nhs-well-led-2017"

INSPECTION_DATE = datetime.date(2025, 2, 12)
PLAN_AGREED_ON = datetime.date(2025, 4, 24)
BREACH_GOVERNANCE = "Regulation 17: Good governance"
UPDATE_DAY_SPREAD = 14  # updates land between the 2nd and 15th day after a cycle opens
CLOSED_AFTER_LAST_UPDATE = datetime.timedelta(days=7)  # the governance team checks the evidence within a week


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment on a past day, in the trust's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


# People -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    """A fictional person with their roles, one per organisation (ODS code, role)."""

    username: str
    first_name: str
    last_name: str
    initials: str
    job_title: str
    roles: tuple[tuple[str, str], ...]

    @property
    def email(self) -> str:
        domain = "northmoor-nhs.example" if self.roles[0][0] == DEMO_ODS_CODE else "eastvale-nhs.example"
        return f"{self.username}@{domain}"


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "sian.okafor",
        "Sian",
        "Okafor",
        "SO",
        "Corporate systems manager",
        ((DEMO_ODS_CODE, Role.ADMINISTRATOR),),
    ),
    DemoPerson(
        "grace.mcallister",
        "Grace",
        "McAllister",
        "GMc",
        "Head of corporate governance",
        ((DEMO_ODS_CODE, Role.GOVERNANCE_EDITOR),),
    ),
    DemoPerson("ruth.danso", "Ruth", "Danso", "RD", "Chief people officer", ((DEMO_ODS_CODE, Role.LEAD),)),
    DemoPerson(
        "marcus.whitfield",
        "Marcus",
        "Whitfield",
        "MW",
        "Chief finance and digital officer",
        ((DEMO_ODS_CODE, Role.LEAD),),
    ),
    DemoPerson("anjali.kaur", "Anjali", "Kaur", "AK", "Chief nurse", ((DEMO_ODS_CODE, Role.LEAD),)),
    DemoPerson(
        "tomasz.nowak", "Tomasz", "Nowak", "TN", "Chief operating officer", ((DEMO_ODS_CODE, Role.LEAD),)
    ),
    DemoPerson("ebere.nwosu", "Ebere", "Nwosu", "EN", "Medical director", ((DEMO_ODS_CODE, Role.LEAD),)),
    DemoPerson(
        "helen.fairbrother",
        "Helen",
        "Fairbrother",
        "HF",
        "Non-executive director",
        ((DEMO_ODS_CODE, Role.VIEWER),),
    ),
    DemoPerson(
        "imran.qureshi",
        "Imran",
        "Qureshi",
        "IQ",
        "Improvement director, NHS England",
        ((DEMO_ODS_CODE, Role.VIEWER), (SECOND_ODS_CODE, Role.VIEWER)),
    ),
    DemoPerson(
        "morag.lindsay",
        "Morag",
        "Lindsay",
        "ML",
        "Head of corporate affairs",
        ((SECOND_ODS_CODE, Role.GOVERNANCE_EDITOR),),
    ),
    DemoPerson(
        "kwame.asante", "Kwame", "Asante", "KA", "Director of operations", ((SECOND_ODS_CODE, Role.LEAD),)
    ),
    DemoPerson(
        "bethan.price",
        "Bethan",
        "Price",
        "BP",
        "Director of people and culture",
        ((SECOND_ODS_CODE, Role.LEAD),),
    ),
)
DEMO_USERNAMES = tuple(p.username for p in PEOPLE)
IMPROVEMENT_DIRECTOR = "imran.qureshi"
MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR})


# Structure ----------------------------------------------------------------------------------------

# (kind, name, code, parent name)
NORTHMOOR_UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    (UnitKind.SITE, "Northmoor General Hospital", "ZNM01", None),
    (UnitKind.SITE, "St Aidan's Community Hospital", "ZNM02", None),
    (UnitKind.SITE, "Fellside Treatment Centre", "ZNM03", None),
    (UnitKind.CARE_GROUP, "Medicine and Urgent Care", "MUC", None),
    (UnitKind.CARE_GROUP, "Surgery and Critical Care", "SCC", None),
    (UnitKind.CARE_GROUP, "Women's and Children's", "WAC", None),
    (UnitKind.CARE_GROUP, "Clinical Support Services", "CSS", None),
    (UnitKind.DIRECTORATE, "Emergency Medicine", "EM", "Medicine and Urgent Care"),
    (UnitKind.DIRECTORATE, "Older People's Medicine", "OPM", "Medicine and Urgent Care"),
    (UnitKind.DIRECTORATE, "Theatres and Anaesthetics", "TA", "Surgery and Critical Care"),
    (UnitKind.DIRECTORATE, "Maternity", "MAT", "Women's and Children's"),
    (UnitKind.DIRECTORATE, "Pharmacy", "PHA", "Clinical Support Services"),
)
EASTVALE_UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    (UnitKind.SITE, "Eastvale House", "ZEV01", None),
    (UnitKind.SITE, "Brackenridge Unit", "ZEV02", None),
    (UnitKind.DIRECTORATE, "Adult Mental Health", "AMH", None),
    (UnitKind.DIRECTORATE, "Community Services", "COM", None),
    (UnitKind.SERVICE, "Crisis Resolution and Home Treatment", "CRHT", "Adult Mental Health"),
)


# Plans --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCycle:
    """A reporting cycle: its name, position date, deadline and the day it opened."""

    name: str
    position_as_at: datetime.date
    update_deadline: datetime.date
    opened_on: datetime.date


@dataclass(frozen=True)
class DemoUpdate:
    """A progress update in one cycle (index into the plan's cycles); `corrects` supersedes the one before."""

    cycle: int
    status: str
    narrative: str
    by: str | None = None
    corrects: bool = False


@dataclass(frozen=True)
class DemoSlip:
    """A revised timescale: the new month, why, and when it was agreed."""

    year: int
    month: int
    reason: str
    on: datetime.date


@dataclass(frozen=True)
class DemoAction:
    """One row of the plan as the board sees it."""

    reference: str
    section: str | None
    title: str
    lead: str | None
    success_measure: str
    due: tuple[int, int]
    other_leads: tuple[str, ...] = ()
    lead_note: str = ""
    slips: tuple[DemoSlip, ...] = ()
    findings: tuple[int, ...] = ()
    updates: tuple[DemoUpdate, ...] = ()
    state: str = ActionState.OPEN
    assurance_evidence: str = ""


@dataclass(frozen=True)
class DemoFinding:
    """A numbered CQC finding (Part B)."""

    number: int
    text: str
    finding_type: str
    regulation: str = ""
    element: str | None = None


# Three closed cycles of history and the open one leads are updating now (today is late November 2026).
NORTHMOOR_CYCLES: tuple[DemoCycle, ...] = (
    DemoCycle(
        "Position as at 31 August 2026",
        datetime.date(2026, 8, 31),
        datetime.date(2026, 8, 26),
        datetime.date(2026, 8, 3),
    ),
    DemoCycle(
        "Position as at 30 September 2026",
        datetime.date(2026, 9, 30),
        datetime.date(2026, 9, 24),
        datetime.date(2026, 9, 1),
    ),
    DemoCycle(
        "Position as at 31 October 2026",
        datetime.date(2026, 10, 31),
        datetime.date(2026, 10, 27),
        datetime.date(2026, 10, 1),
    ),
    DemoCycle(
        "Position as at 30 November 2026",
        datetime.date(2026, 11, 30),
        datetime.date(2026, 11, 26),
        datetime.date(2026, 11, 2),
    ),
)
AUG, SEP, OCT, NOV = range(4)

U = DemoUpdate
S = DemoSlip

NORTHMOOR_FINDINGS: tuple[DemoFinding, ...] = (
    DemoFinding(
        1,
        "Board members were given too little analysis of performance data to test it and hold "
        "executives to account.",
        FindingType.MUST_DO,
        BREACH_GOVERNANCE,
        "W6",
    ),
    DemoFinding(
        2,
        "Records showing that directors met the fit and proper person requirements were missing "
        "or incomplete for several board members.",
        FindingType.BREACH,
        "Regulation 5: Fit and proper persons: directors",
        "W1",
    ),
    DemoFinding(
        3,
        "A number of staff told inspectors they would hesitate to raise a concern, fearing how "
        "their manager would respond.",
        FindingType.MUST_DO,
        "",
        "W3",
    ),
    DemoFinding(
        4,
        "Risk registers kept by the care groups did not feed into the board assurance framework, "
        "so the board could not see how local risks were being handled.",
        FindingType.BREACH,
        BREACH_GOVERNANCE,
        "W5",
    ),
    DemoFinding(
        5,
        "Staff in Medicine and Urgent Care were well short of the trust's own target for "
        "completing mandatory training, resuscitation in particular.",
        FindingType.MUST_DO,
        "Regulation 18: Staffing",
        None,
    ),
    DemoFinding(
        6,
        "Patients and carers had no consistent way to help shape the services they use.",
        FindingType.SHOULD_DO,
        "",
        "W7",
    ),
    DemoFinding(
        7,
        "Lessons from incidents on one site were not reliably passed on to staff at the others.",
        FindingType.SHOULD_DO,
        "",
        "W8",
    ),
    DemoFinding(
        8,
        "It was not clear who made sure Mental Health Act duties were met for detained patients "
        "cared for on the acute wards.",
        FindingType.MUST_DO,
        BREACH_GOVERNANCE,
        "W4",
    ),
    DemoFinding(
        9,
        "Some senior leaders had not taken part in any leadership development for several years.",
        FindingType.SHOULD_DO,
        "",
        "W1",
    ),
    DemoFinding(
        10,
        "Frequent failures of IT systems held up clinical work and the trust knew its network "
        "was past its useful life.",
        FindingType.MUST_DO,
        BREACH_GOVERNANCE,
        "W6",
    ),
    DemoFinding(
        11,
        "Temperatures of fridges holding medicines were not consistently checked and logged.",
        FindingType.BREACH,
        "Regulation 12: Safe care and treatment",
        None,
    ),
    DemoFinding(
        12,
        "Data on the make-up and experience of the workforce was collected but not used to "
        "set the trust's equality priorities.",
        FindingType.SHOULD_DO,
        "",
        "W3",
    ),
)

NORTHMOOR_ACTIONS: tuple[DemoAction, ...] = (
    # W1 Leadership capacity and capability
    DemoAction(
        "W1a",
        "W1",
        "Run a development programme with built-in coaching for ward and department managers",
        "ruth.danso",
        "140 managers enrolled; 85% of them finish all six modules",
        (2026, 1),
        slips=(
            S(
                2026,
                5,
                "January teaching days were lost to winter pressures, so cohort 2 moved",
                datetime.date(2025, 12, 15),
            ),
            S(
                2026,
                12,
                "Modules redesigned after feedback from the first two cohorts",
                datetime.date(2026, 5, 20),
            ),
        ),
        findings=(9,),
        updates=(
            U(
                AUG,
                "A/G",
                "96 managers have enrolled over three cohorts and 61 have finished every module. "
                "Cohort 4 begins at St Aidan's in September.",
            ),
            U(
                SEP,
                "A/G",
                "Cohort 4 has started with 28 places taken. Completion across earlier cohorts is 79%.",
            ),
            U(
                OCT,
                "A/G",
                "124 managers enrolled so far. Participants score the coaching 4.4 out of 5 and "
                "completion has reached 82%.",
            ),
            U(
                NOV,
                "G",
                "Enrolment has passed the target at 143 managers and 86% have completed. We propose "
                "closing the action once People Committee has seen the evaluation.",
            ),
        ),
    ),
    DemoAction(
        "W1b",
        "W1",
        "Agree a succession plan covering every executive and associate director post",
        "ruth.danso",
        "Nominations and Remuneration Committee approves the plan; interim cover named for all 14 posts",
        (2026, 3),
        slips=(
            S(
                2026,
                9,
                "Committee asked for clinical director posts to be included",
                datetime.date(2026, 3, 25),
            ),
            S(
                2026,
                12,
                "Two executive posts are out to recruitment; the plan waits for the appointments",
                datetime.date(2026, 9, 18),
            ),
        ),
        updates=(
            U(
                AUG,
                "A/G",
                "The draft covers 10 of the 14 posts. The other four depend on the executive restructure.",
            ),
            U(
                SEP,
                "A/R",
                "Consultation on the restructure has been extended by six weeks, so the plan cannot "
                "be finished this quarter.",
            ),
            U(
                OCT,
                "R",
                "Two executive vacancies are still unfilled and three posts have no agreed interim "
                "cover. Raised with the Chair.",
            ),
        ),
    ),
    DemoAction(
        "W1c",
        "W1",
        "Start a rota of executive and non-executive visits to every clinical area",
        "tomasz.nowak",
        "Each ward and department visited at least once a quarter; what was found logged "
        "within 5 working days",
        (2025, 12),
        updates=(
            U(
                AUG,
                "G",
                "The rota has run for two full quarters and every ward has been visited. Findings are "
                "logged on the governance system.",
            ),
            U(
                SEP,
                "B",
                "Internal audit sampled 20 visits: findings were logged and followed up in all of them.",
            ),
        ),
        state=ActionState.CLOSED,
        assurance_evidence="Internal audit report IA-26-07 (September 2026) gave substantial assurance on "
        "the visits programme.",
    ),
    # W2 Vision and strategy
    DemoAction(
        "W2a",
        "W2",
        "Deliver the supporting strategies for quality, people, digital and estates to their agreed "
        "milestones",
        None,
        "80% of the 2025/26 milestones in each strategy met",
        (2026, 3),
        lead_note="Varied",
        slips=(
            S(
                2026,
                10,
                "Estates and digital milestones re-phased after the capital allocation was cut",
                datetime.date(2026, 4, 14),
            ),
        ),
        updates=(
            U(
                AUG,
                "A/G",
                "Quality and people milestones are on course. Estates is behind but has a recovery "
                "timetable.",
                by="grace.mcallister",
            ),
            U(
                SEP,
                "A/R",
                "Digital milestones slipped again because of the network replacement. 68% of "
                "milestones met overall.",
                by="grace.mcallister",
            ),
            U(
                OCT,
                "A/R",
                "71% of milestones met. The board reviews the digital timetable in November.",
                by="grace.mcallister",
            ),
        ),
    ),
    DemoAction(
        "W2b",
        "W2",
        "Deliver the board's plan to make clinical IT systems dependable",
        "marcus.whitfield",
        "No more than 2 priority-one IT incidents a month for 3 months running",
        (2026, 2),
        slips=(
            S(2026, 6, "The supplier delayed the storage upgrade", datetime.date(2026, 2, 20)),
            S(2026, 12, "Network switch replacement added after the July outage", datetime.date(2026, 8, 10)),
        ),
        findings=(10,),
        updates=(
            U(
                AUG,
                "R",
                "The patient administration system was down for a whole day in July and clinics were "
                "cancelled. The cause was ageing network switches.",
            ),
            U(SEP, "A/R", "Replacement switches are funded. Priority-one incidents fell to 4 in August."),
            U(OCT, "A/G", "Two-thirds of the switches replaced. Priority-one incidents: 2 in September."),
            U(
                NOV,
                "A/G",
                "Priority-one incidents: 1 in October. Northmoor General is finished; St Aidan's "
                "follows in December.",
            ),
        ),
    ),
    DemoAction(
        "W2c",
        "W2",
        "Form place-based partnerships with the integrated care board and the two local councils",
        "tomasz.nowak",
        "2 place partnerships with signed agreements",
        (2026, 3),
        slips=(
            S(2026, 9, "The integrated care board changed its operating model", datetime.date(2026, 3, 30)),
        ),
        updates=(
            U(AUG, "A/G", "The draft agreement for Northmoor place is with the council's lawyers."),
            U(SEP, "A/G", "Northmoor place agreement signed on 17 September; work on Fellside has begun."),
            U(OCT, "A/G", "The Fellside agreement goes to the council's cabinet on 12 November."),
            U(
                NOV,
                "G",
                "Both agreements are signed and the partnerships report to Strategy Committee each quarter.",
            ),
        ),
    ),
    # W3 Culture
    DemoAction(
        "W3a",
        "W3",
        "Widen the staff wellbeing offer, with fast access to psychological support",
        "ruth.danso",
        "Staff survey wellbeing score up from 5.8 to 6.3 out of 10",
        (2026, 12),
        updates=(
            U(
                AUG,
                "A/G",
                "The psychological support service opened in July: 212 referrals so far, median wait 6 days.",
            ),
            U(SEP, "A/G", "The pulse survey puts wellbeing at 6.0, up from the 5.8 baseline."),
            U(OCT, "A/G", "390 referrals. A bid for a second year of funding is in the planning round."),
        ),
    ),
    DemoAction(
        "W3b",
        "W3",
        "Run a pulse survey every quarter that all staff can answer",
        "ruth.danso",
        "40% response rate each quarter",
        (2025, 10),
        updates=(
            U(AUG, "A/R", "Quarter 1 response rate was 27%, and only 15% in Medicine and Urgent Care."),
            U(SEP, "A/R", "Paper copies and protected time are being tried in Medicine; no results yet."),
            U(OCT, "A/G", "Quarter 2 response rate was 36%, with Medicine up to 31%."),
            U(NOV, "A/G", "The quarter 3 survey is agreed with staff side and opens on 1 December."),
        ),
    ),
    DemoAction(
        "W3c",
        "W3",
        "Give the Freedom to Speak Up guardians protected time and admin support",
        "anjali.kaur",
        "2.0 WTE of protected guardian time; 90% of concerns acknowledged within 2 working days",
        (2026, 1),
        slips=(
            S(
                2026,
                6,
                "The first advert for the second guardian post did not appoint",
                datetime.date(2026, 1, 28),
            ),
        ),
        findings=(3,),
        updates=(
            U(
                AUG,
                "A/G",
                "A second guardian has been appointed and starts in September. 84% of concerns "
                "acknowledged within 2 days.",
            ),
            U(
                SEP,
                "A/G",
                "Both guardians are in post with 2.0 WTE protected. Acknowledgement within 2 days: 91%.",
            ),
            U(OCT, "G", "A third month above 90% (93%), and admin support is now in place."),
        ),
        state=ActionState.COMPLETED,
    ),
    # W4 Governance and management
    DemoAction(
        "W4a",
        "W4",
        "Review the terms of reference, membership and reporting lines of every board committee",
        "grace.mcallister",
        "Refreshed terms of reference for all 7 committees approved by the board",
        (2025, 12),
        other_leads=("marcus.whitfield", "anjali.kaur"),
        slips=(
            S(
                2026,
                4,
                "The board wanted the committee structure reviewed first",
                datetime.date(2025, 12, 10),
            ),
            S(
                2026,
                11,
                "An external governance review was commissioned; the terms of reference will follow "
                "its recommendations",
                datetime.date(2026, 9, 8),
            ),
        ),
        updates=(
            U(AUG, "A/G", "Five of the seven committees have completed their self-assessments."),
            U(
                SEP,
                "A/R",
                "The external review is under way, so the terms of reference are paused until it "
                "reports in October.",
            ),
            U(
                OCT,
                "A/G",
                "The external review has reported. Draft terms of reference for every committee go to "
                "the November board.",
            ),
            U(
                NOV,
                "A/G",
                "The board approved six sets of terms of reference on 12 November; Audit Committee's "
                "follows in December.",
                by="anjali.kaur",
            ),
        ),
    ),
    DemoAction(
        "W4b",
        "W4",
        "Build a contracts register with a named owner for each supplier",
        "marcus.whitfield",
        "The 100 suppliers with the highest spend each have a contract and owner on the register",
        (2026, 6),
        updates=(
            U(AUG, "A/G", "The register lists 2,140 suppliers; 58 of the top 100 have a named owner."),
            U(SEP, "A/G", "71 of the top 100 are complete."),
            U(OCT, "A/G", "84 of the top 100 are complete; budget holders are chasing the rest."),
        ),
    ),
    # W5 Risks, issues and performance
    DemoAction(
        "W5a",
        "W5",
        "Rebuild the board assurance framework so each strategic risk links to care group registers",
        "grace.mcallister",
        "Every strategic risk linked to at least one care group risk and reviewed monthly",
        (2026, 2),
        slips=(
            S(
                2026,
                7,
                "The new risk management system went live later than planned",
                datetime.date(2026, 2, 24),
            ),
        ),
        findings=(4,),
        updates=(
            U(AUG, "A/G", "All 9 strategic risks rewritten; 6 of the 9 are linked to care group risks."),
            U(SEP, "G", "All 9 are linked. Audit Committee reviewed the new framework on 16 September."),
        ),
        state=ActionState.COMPLETED,
    ),
    DemoAction(
        "W5b",
        "W5",
        "Bring down the number of overdue risk reviews",
        "tomasz.nowak",
        "40% fewer overdue risk reviews than the March 2026 baseline of 310",
        (2026, 9),
        slips=(
            S(
                2027,
                1,
                "Two care group governance posts fell vacant over the summer",
                datetime.date(2026, 10, 6),
            ),
        ),
        updates=(
            U(AUG, "A/G", "251 reviews overdue, 19% fewer than the baseline."),
            U(SEP, "A/R", "Overdue reviews went back up to 268 after vacancies in two governance teams."),
            U(OCT, "A/R", "240 overdue. The timescale moves to January and temporary staff are approved."),
            U(NOV, "A/G", "197 overdue, 36% fewer than the baseline. On course for January."),
        ),
    ),
    # W6 Information
    DemoAction(
        "W6a",
        "W6",
        "Agree and carry out a data quality improvement plan",
        "marcus.whitfield",
        "Audit and Risk Committee gives substantial assurance after the data quality audit",
        (2026, 4),
        slips=(S(2026, 10, "Internal audit moved its fieldwork", datetime.date(2026, 4, 22)),),
        findings=(1,),
        updates=(
            U(AUG, "A/G", "The plan is agreed and 14 of its 20 actions are done."),
            U(SEP, "G", "All 20 data quality actions are done; audit fieldwork is in October."),
            U(
                SEP,
                "A/G",
                "Correction: 18 of the 20 actions are done, not all 20. The two left concern waiting "
                "list validation.",
                corrects=True,
            ),
            U(
                OCT,
                "A/G",
                "All 20 actions are done and the audit fieldwork has finished; the report is due in "
                "November.",
            ),
        ),
    ),
    DemoAction(
        "W6b",
        "W6",
        "Give every ward a live quality and safety dashboard",
        "anjali.kaur",
        "Dashboard in daily use on 30 pilot wards",
        (2026, 5),
        other_leads=("marcus.whitfield",),
        slips=(
            S(2026, 9, "The e-rostering data feed was not ready", datetime.date(2026, 5, 19)),
            S(
                2027,
                2,
                "Wards asked for falls and pressure ulcer measures to be added to the pilot",
                datetime.date(2026, 11, 6),
            ),
        ),
        updates=(
            U(AUG, "A/G", "The prototype is live on 8 wards."),
            U(SEP, "A/G", "Live on 17 wards, now including nurse staffing data."),
            U(OCT, "A/R", "Rollout paused at 19 wards while the pressure ulcer data is checked."),
            U(
                NOV,
                "A/G",
                "The data checks are finished; 11 more wards go live in December.",
                by="marcus.whitfield",
            ),
        ),
    ),
    # W7 Engagement and involvement
    DemoAction(
        "W7a",
        "W7",
        "Raise the number of Friends and Family Test responses",
        "anjali.kaur",
        "25% response rate in inpatient areas and 15% in outpatients",
        (2026, 1),
        updates=(
            U(AUG, "A/G", "Text message surveys are live in inpatients and outpatients: 21% and 12%."),
            U(SEP, "G", "Inpatients 26%, outpatients 15%."),
            U(OCT, "G", "Inpatients 27%, outpatients 16%, the second month above target."),
        ),
    ),
    DemoAction(
        "W7b",
        "W7",
        "Set up a patient and carer partnership forum that advises the board",
        "ebere.nwosu",
        "The forum meets 6 times a year with at least 12 members",
        (2026, 3),
        slips=(
            S(
                2026,
                9,
                "Recruitment was extended to reach communities we rarely hear from",
                datetime.date(2026, 3, 12),
            ),
        ),
        findings=(6,),
        updates=(
            U(AUG, "A/R", "Only 7 members so far; outreach through community groups is planned."),
            U(SEP, "A/G", "13 members recruited and the first meeting is on 24 September."),
            U(OCT, "A/G", "The forum has met twice and appointed a patient co-chair."),
        ),
    ),
    # W8 Learning, improvement and innovation
    DemoAction(
        "W8a",
        "W8",
        "Train staff in the trust's improvement method and register their projects",
        "ebere.nwosu",
        "500 staff trained; 40 improvement projects registered",
        (2026, 12),
        updates=(
            U(AUG, "A/G", "310 staff trained and 22 projects registered."),
            U(SEP, "A/G", "365 trained, 27 projects."),
            U(OCT, "A/G", "402 trained, 31 projects. The improvement showcase is booked for January."),
            U(
                NOV,
                "A/R",
                "November sessions were cancelled because of bed pressures: 410 trained. The December "
                "target is at risk.",
            ),
        ),
    ),
    DemoAction(
        "W8b",
        "W8",
        "Complete structured judgement reviews of deaths on time and share what they teach",
        "ebere.nwosu",
        "95% of eligible deaths reviewed within 8 weeks",
        (2026, 6),
        slips=(S(2026, 10, "Two reviewer posts are vacant", datetime.date(2026, 6, 15)),),
        findings=(7,),
        updates=(
            U(AUG, "R", "58% of reviews done within 8 weeks; 41 waiting."),
            U(SEP, "R", "61%, with 37 waiting. Locum reviewers start in October."),
            U(OCT, "A/R", "74%, with 22 waiting."),
        ),
    ),
    # Part B: actions answering the CQC findings
    DemoAction(
        "F1",
        None,
        "Redesign the integrated performance report around SPC charts with commentary on exceptions",
        "marcus.whitfield",
        "80% of board members agree the report helps them challenge performance",
        (2026, 3),
        slips=(S(2026, 7, "Analysts were moved onto elective recovery returns", datetime.date(2026, 3, 18)),),
        findings=(1,),
        updates=(
            U(AUG, "A/G", "The July board used the new format; 3 sections are still to convert."),
            U(SEP, "G", "Every section is converted, and 86% of board members say it helps them challenge."),
        ),
        state=ActionState.COMPLETED,
    ),
    DemoAction(
        "F2",
        None,
        "Complete the fit and proper person file for every board member and check them each year",
        "grace.mcallister",
        "100% of director files complete; an annual check in the board calendar",
        (2025, 9),
        findings=(2,),
        updates=(
            U(AUG, "G", "All 15 director files are complete and were verified by internal audit in June."),
            U(
                SEP,
                "B",
                "The annual check is in the board calendar for each April, and the evidence is filed.",
            ),
        ),
        state=ActionState.CLOSED,
        assurance_evidence="Internal audit report IA-26-03 (June 2026): all 15 files complete; annual check "
        "scheduled.",
    ),
    DemoAction(
        "F3",
        None,
        "Train every line manager to respond well when a concern is raised with them",
        "anjali.kaur",
        "90% of line managers complete the listening training",
        (2026, 6),
        slips=(
            S(
                2026,
                12,
                "Training moved online after poor attendance at classroom sessions",
                datetime.date(2026, 6, 9),
            ),
        ),
        findings=(3,),
        updates=(
            U(AUG, "A/R", "41% of managers trained."),
            U(SEP, "A/R", "48% trained; the online module launched on 1 September."),
            U(OCT, "A/G", "67% trained since the online module launched."),
            U(NOV, "A/G", "78% trained; reminders sent to managers in Surgery and Critical Care."),
        ),
    ),
    DemoAction(
        "F4",
        None,
        "Train care group governance leads and deputies in the new risk management policy",
        "tomasz.nowak",
        "All 4 governance leads and 20 deputies trained",
        (2026, 4),
        findings=(4,),
        updates=(U(AUG, "G", "All 24 staff are trained and a refresher is booked for new starters."),),
        state=ActionState.COMPLETED,
    ),
    DemoAction(
        "F5",
        None,
        "Recover mandatory training compliance in Medicine and Urgent Care",
        "tomasz.nowak",
        "90% compliance in every mandatory subject",
        (2026, 3),
        slips=(
            S(2026, 8, "Winter escalation suspended protected training time", datetime.date(2026, 3, 5)),
            S(
                2026,
                12,
                "Resuscitation training is limited until new trainers qualify",
                datetime.date(2026, 8, 20),
            ),
        ),
        findings=(5,),
        updates=(
            U(AUG, "A/R", "Compliance is 81% overall and 68% for resuscitation."),
            U(SEP, "A/R", "84% overall. Two new resuscitation trainers qualify in October."),
            U(OCT, "A/G", "87% overall, resuscitation 79%."),
        ),
    ),
    DemoAction(
        "F6",
        None,
        "Appoint a patient partner to each care group's management board",
        "ebere.nwosu",
        "A patient partner sits on all 4 care group boards",
        (2026, 6),
        slips=(
            S(
                2026,
                10,
                "The role description was rewritten on the partnership forum's advice",
                datetime.date(2026, 6, 30),
            ),
        ),
        findings=(6,),
        updates=(
            U(AUG, "A/G", "Role description agreed and advertised through Healthwatch."),
            U(SEP, "A/G", "3 patient partners appointed."),
            U(OCT, "A/G", "All 4 appointed; induction is in November."),
            U(NOV, "G", "Every partner has now attended their first care group board."),
        ),
    ),
    DemoAction(
        "F7",
        None,
        "Publish a monthly safety learning bulletin and hold safety huddles across sites",
        "anjali.kaur",
        "A bulletin every month; 75% of staff surveyed can name a lesson from it",
        (2026, 2),
        findings=(7,),
        updates=(
            U(
                AUG,
                "A/G",
                "The bulletin has come out monthly since March. Huddles run weekly at Northmoor General "
                "and fortnightly at St Aidan's.",
            ),
            U(SEP, "A/G", "64% of staff surveyed could name a lesson."),
            U(OCT, "A/G", "Huddles now include Fellside Treatment Centre."),
        ),
    ),
    DemoAction(
        "F8",
        None,
        "Agree Mental Health Act administration with the local mental health trust, overseen by a "
        "scrutiny group",
        "ebere.nwosu",
        "Agreement signed; the scrutiny group meets quarterly; 100% of detention papers checked",
        (2025, 12),
        other_leads=("tomasz.nowak",),
        slips=(
            S(
                2026,
                5,
                "The partner trust asked for section 136 arrangements to be included",
                datetime.date(2025, 12, 2),
            ),
        ),
        findings=(8,),
        updates=(
            U(
                AUG,
                "A/G",
                "The agreement was signed in May and the scrutiny group first met in July. 92% of "
                "detention papers checked.",
            ),
            U(SEP, "A/G", "96% of papers checked."),
            U(OCT, "G", "100% of papers checked for a second quarter running."),
        ),
    ),
    DemoAction(
        "F9",
        None,
        "Report uptake of leadership development by care group to People Committee each quarter",
        "ruth.danso",
        "90% of staff at band 8a and above complete a development programme within 2 years",
        (2026, 9),
        findings=(9,),
        updates=(
            U(AUG, "A/G", "The first quarterly report went in July: 54% of senior leaders have taken part."),
            U(OCT, "A/G", "The October report shows 63%."),
        ),
    ),
    DemoAction(
        "F10",
        None,
        "Replace the ageing network switches at Northmoor General and St Aidan's",
        "marcus.whitfield",
        "All 180 switches replaced; no unplanned network outage for 3 months",
        (2026, 10),
        slips=(
            S(
                2027,
                1,
                "The St Aidan's works need a weekend shutdown that is not free until December",
                datetime.date(2026, 11, 3),
            ),
        ),
        findings=(10,),
        updates=(
            U(AUG, "A/G", "Order placed for 180 switches."),
            U(SEP, "A/G", "64 switches replaced."),
            U(OCT, "A/G", "120 replaced."),
            U(
                NOV,
                "A/R",
                "Northmoor General is finished (128 switches). St Aidan's is delayed to December "
                "and the timescale has been revised.",
            ),
        ),
    ),
    DemoAction(
        "F11",
        None,
        "Fit remote temperature monitoring to every medicines fridge",
        "anjali.kaur",
        "All 212 fridges monitored, with alerts going to pharmacy",
        (2026, 1),
        slips=(
            S(2026, 4, "The supplier could not install in theatres until summer", datetime.date(2026, 1, 14)),
        ),
        findings=(11,),
        updates=(
            U(AUG, "A/G", "196 of the 212 fridges are monitored."),
            U(SEP, "G", "All 212 are monitored and alerts reach pharmacy day and night."),
        ),
        state=ActionState.COMPLETED,
    ),
    DemoAction(
        "F12",
        None,
        "Publish and deliver a race and disability equality plan built on workforce data",
        "ruth.danso",
        "The gap in the likelihood of appointment from shortlisting falls from 1.6 to 1.3",
        (2026, 9),
        slips=(
            S(2027, 3, "The board asked for the new pay gap data to be included", datetime.date(2026, 9, 2)),
        ),
        findings=(12,),
        updates=(
            U(AUG, "A/G", "The data analysis is finished and the draft plan is with the staff networks."),
            U(SEP, "A/R", "The plan is held up while the pay gap analysis is added."),
            U(OCT, "A/G", "The board approved the plan in October and the first actions have started."),
            U(
                NOV,
                "A/G",
                "An inclusion panel member trained for the role now sits on 70% of interview panels at "
                "band 7 and above.",
            ),
        ),
    ),
)

EASTVALE_CYCLES: tuple[DemoCycle, ...] = (
    DemoCycle(
        "Position as at 31 October 2026",
        datetime.date(2026, 10, 31),
        datetime.date(2026, 10, 23),
        datetime.date(2026, 10, 1),
    ),
    DemoCycle(
        "Position as at 30 November 2026",
        datetime.date(2026, 11, 30),
        datetime.date(2026, 11, 24),
        datetime.date(2026, 11, 3),
    ),
)

# (code, title, executive lead)
EASTVALE_WORKSTREAMS: tuple[tuple[str, str, str], ...] = (
    ("WS1", "Culture and inclusion", "bethan.price"),
    ("WS2", "Systems, processes and structures", "kwame.asante"),
    ("WS3", "Regulatory standards", "kwame.asante"),
    ("WS4", "Risk management", "morag.lindsay"),
)

EASTVALE_ACTIONS: tuple[DemoAction, ...] = (
    DemoAction(
        "WS1a",
        "WS1",
        "Launch a civility and respect programme designed with the staff networks",
        "bethan.price",
        "Staff survey score for being treated with respect rises by 0.3",
        (2027, 3),
        updates=(
            U(0, "A/G", "Designed with three staff networks; the first sessions run in November."),
            U(1, "A/G", "Four sessions held with 85 staff attending."),
        ),
    ),
    DemoAction(
        "WS1b",
        "WS1",
        "Refresh the Freedom to Speak Up plan with the new guardian team",
        "bethan.price",
        "Plan approved by the board; 85% of staff know how to raise a concern",
        (2026, 12),
        updates=(U(0, "A/R", "The lead guardian post is vacant, so the refresh has not started."),),
    ),
    DemoAction(
        "WS2a",
        "WS2",
        "Set up service delivery units, each with a clinical and an operational co-lead",
        "kwame.asante",
        "All 6 units live with agreed decision rights",
        (2026, 9),
        slips=(S(2027, 1, "Consultation with staff side extended", datetime.date(2026, 9, 15)),),
        updates=(
            U(0, "A/G", "4 of the 6 units are live; consultation on the other two closes in December."),
        ),
    ),
    DemoAction(
        "WS3a",
        "WS3",
        "Enrol every inpatient ward in the ward accreditation scheme",
        "kwame.asante",
        "All 14 wards assessed; 10 at bronze or above",
        (2027, 2),
        updates=(
            U(0, "A/G", "9 wards assessed, 6 at bronze."),
            U(1, "G", "All 14 assessed and 11 at bronze or above."),
        ),
    ),
    DemoAction(
        "WS4a",
        "WS4",
        "Move the risk register onto one system and train every risk owner",
        "morag.lindsay",
        "One register; 95% of risks reviewed by their due date",
        (2026, 12),
        updates=(U(0, "A/R", "Data migration from the old system has stalled on duplicate records."),),
    ),
)


# Result -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    """A demo sign-in: who, with which role, where."""

    username: str
    name: str
    initials: str
    job_title: str
    role: str
    organisation: str


@dataclass
class DemoResult:
    """What demo_load did (created, or found already loaded) and how to sign in."""

    created: bool
    organisation: Organisation
    plans: list[Plan]
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD


class DemoDataError(RuntimeError):
    """The database holds part of the demo (or something using its codes); it cannot be completed safely."""


# Loading ------------------------------------------------------------------------------------------


def demo_load(*, stdout: TextIO | None = None) -> DemoResult:
    """Load the demo trusts, people, plans and history once; a second run changes nothing."""
    say = (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)
    if _demo_present():
        say(f"Demo data is already loaded ({DEMO_TRUST_NAME}, ODS {DEMO_ODS_CODE}); nothing changed.")
        return _result(created=False)
    _refuse_partial_demo()
    with transaction.atomic():
        people = _load_people(say)
        _load_self_review(people, say)
        _load_workstream_plan(people, say)
    say("Demo data loaded.")
    return _result(created=True)


def _demo_present() -> bool:
    """Both demo trusts and their plans exist (they are only ever created together, in one transaction)."""
    return (
        Plan.objects.filter(organisation__ods_code=DEMO_ODS_CODE, name=SELF_REVIEW_PLAN).exists()
        and Plan.objects.filter(organisation__ods_code=SECOND_ODS_CODE, name=WORKSTREAM_PLAN).exists()
    )


def _refuse_partial_demo() -> None:
    """Stop, rather than duplicate or overwrite, when some demo codes or usernames are already taken."""
    taken = sorted(
        Organisation.objects.filter(ods_code__in=[DEMO_ODS_CODE, SECOND_ODS_CODE]).values_list(
            "ods_code", flat=True
        )
    )
    taken += sorted(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoDataError(
            f"The database already holds part of the demo ({', '.join(taken)}) but not all of it. "
            "Use a fresh WELLLED_DATA_DIR (or database) for the demo."
        )


def _result(*, created: bool) -> DemoResult:
    """The demo organisation, its plans and the sign-ins, read back from the database."""
    organisation = Organisation.objects.get(ods_code=DEMO_ODS_CODE)
    plans = list(
        Plan.objects.filter(organisation__ods_code__in=[DEMO_ODS_CODE, SECOND_ODS_CODE]).order_by(
            "organisation__name", "name"
        )
    )
    memberships = Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
        "user", "organisation"
    )
    order = {username: index for index, username in enumerate(DEMO_USERNAMES)}
    logins = [
        DemoLogin(
            m.user.username,
            m.user.get_full_name(),
            m.user.display_initials,
            m.user.job_title,
            m.get_role_display(),
            m.organisation.name,
        )
        for m in sorted(
            memberships, key=lambda m: (order[m.user.username], m.organisation.ods_code != DEMO_ODS_CODE)
        )
    ]
    return DemoResult(created=created, organisation=organisation, plans=plans, logins=logins)


def _load_people(say) -> dict[str, User]:
    """Create both trusts, their structure and every demo person with their roles."""
    say(f"Creating {DEMO_TRUST_NAME} and {SECOND_TRUST_NAME}.")
    trusts = {
        DEMO_ODS_CODE: organisation_create(
            name=DEMO_TRUST_NAME, ods_code=DEMO_ODS_CODE, by=None, kind=OrganisationKind.FOUNDATION_TRUST
        ),
        SECOND_ODS_CODE: organisation_create(
            name=SECOND_TRUST_NAME, ods_code=SECOND_ODS_CODE, by=None, kind=OrganisationKind.TRUST
        ),
    }
    people: dict[str, User] = {}
    # Each trust's records are made by its first administrator or editor (the very first one, by no one).
    actors: dict[str, User | None] = dict.fromkeys(trusts)
    for person in PEOPLE:
        home_ods, home_role = person.roles[0]
        user = person_create(
            username=person.username,
            by=actors[home_ods],
            organisation=trusts[home_ods],
            role=home_role,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            initials=person.initials,
            job_title=person.job_title,
            password=DEMO_PASSWORD,
        )
        if actors[home_ods] is None and home_role in MANAGING_ROLES:
            actors[home_ods] = user
        people[person.username] = user
    for person in PEOPLE:
        for ods_code, role in person.roles[1:]:
            membership_set(
                user=people[person.username], organisation=trusts[ods_code], role=role, by=actors[ods_code]
            )
    for ods_code, units in ((DEMO_ODS_CODE, NORTHMOOR_UNITS), (SECOND_ODS_CODE, EASTVALE_UNITS)):
        created: dict[str, OrganisationUnit] = {}
        for kind, name, code, parent in units:
            created[name] = organisation_unit_create(
                organisation=trusts[ods_code],
                kind=kind,
                name=name,
                code=code,
                by=actors[ods_code],
                parent=created.get(parent) if parent else None,
            )
    return people


def _load_self_review(people: dict[str, User], say) -> Plan:
    """The board's self-review: Part A by KLOE (W1-W8), Part B by CQC finding, four cycles of updates."""
    editor = people["grace.mcallister"]
    organisation = Organisation.objects.get(ods_code=DEMO_ODS_CODE)
    framework = Framework.objects.get(key=WELL_LED_FRAMEWORK_KEY, organisation__isnull=True)
    say(f"Creating the plan '{SELF_REVIEW_PLAN}'.")
    plan = plan_create(
        organisation=organisation,
        by=editor,
        name=SELF_REVIEW_PLAN,
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.FRAMEWORK,
        framework=framework,
        description="Part A: the board's self-review against the eight well-led KLOEs. Part B: the actions "
        f"answering the CQC inspection of {INSPECTION_DATE.day} {INSPECTION_DATE:%B %Y}.",
    )
    elements = {e.code: e for e in framework.elements.all()}
    findings = {
        spec.number: finding_create(
            plan=plan,
            by=editor,
            number=spec.number,
            text=spec.text,
            finding_type=spec.finding_type,
            regulation=spec.regulation,
            source=FindingSource.CQC_INSPECTION,
            source_date=INSPECTION_DATE,
            framework_element=elements.get(spec.element) if spec.element else None,
        )
        for spec in NORTHMOOR_FINDINGS
    }
    _load_actions_and_history(plan, NORTHMOOR_ACTIONS, NORTHMOOR_CYCLES, people, editor, findings, say)
    return plan


def _load_workstream_plan(people: dict[str, User], say) -> Plan:
    """The second trust's improvement plan, organised by executive-led workstreams."""
    editor = people["morag.lindsay"]
    organisation = Organisation.objects.get(ods_code=SECOND_ODS_CODE)
    say(f"Creating the plan '{WORKSTREAM_PLAN}' for {SECOND_TRUST_NAME}.")
    plan = plan_create(
        organisation=organisation,
        by=editor,
        name=WORKSTREAM_PLAN,
        kind=PlanKind.IMPROVEMENT,
        organised_by=PlanOrganisedBy.WORKSTREAM,
        description="Six months of organisation-wide improvement, delivered through four executive-led "
        "workstreams.",
    )
    for order, (code, title, lead) in enumerate(EASTVALE_WORKSTREAMS, start=1):
        section_create(plan=plan, by=editor, code=code, title=title, executive_lead=people[lead], order=order)
    _load_actions_and_history(plan, EASTVALE_ACTIONS, EASTVALE_CYCLES, people, editor, {}, say)
    return plan


def _load_actions_and_history(plan, specs, cycles, people, editor, findings, say) -> None:
    """Create the actions with their slipped timescales, then replay each cycle's updates in date order."""
    sections = {s.code: s for s in plan.sections.all()}
    statuses = {s.code: s for s in DeliveryStatus.objects.filter(organisation=plan.organisation)}
    created_at = _at(PLAN_AGREED_ON)
    actions: dict[str, Action] = {}
    for spec in specs:
        action = action_create(
            plan=plan,
            by=editor,
            reference=spec.reference,
            title=spec.title,
            section=sections[spec.section] if spec.section else None,
            lead=people[spec.lead] if spec.lead else None,
            other_leads=[people[u] for u in spec.other_leads],
            lead_note=spec.lead_note,
            success_measure=spec.success_measure,
            due_date=month_end(*spec.due),
            findings=[findings[n] for n in spec.findings],
            at=created_at,
        )
        for slip in spec.slips:
            action_timescale_revise(
                action=action,
                by=editor,
                expected_version=None,
                due_date=month_end(slip.year, slip.month),
                reason=slip.reason,
                at=_at(slip.on),
            )
        actions[spec.reference] = action
    say(f"  {len(actions)} actions with their timescales.")
    last_update_on: dict[str, datetime.date] = {}
    for index, cycle in enumerate(cycles):
        cycle_open(
            plan=plan,
            by=editor,
            name=cycle.name,
            position_as_at=cycle.position_as_at,
            update_deadline=cycle.update_deadline,
            at=_at(cycle.opened_on, hour=9),
        )
        recorded = 0
        for order, spec in enumerate(specs):
            previous: ProgressUpdate | None = None
            for update in (u for u in spec.updates if u.cycle == index):
                day = cycle.opened_on + datetime.timedelta(days=2 + (order * 3) % UPDATE_DAY_SPREAD)
                if update.corrects:
                    day += datetime.timedelta(days=1)
                author = people[update.by or spec.lead or editor.username]
                previous = progress_update_record(
                    action=actions[spec.reference],
                    by=author,
                    narrative=update.narrative,
                    status=statuses[update.status],
                    expected_version=None,
                    update_date=day,
                    supersedes=previous if update.corrects else None,
                    at=_at(day, hour=11 + recorded % 6),
                )
                recorded += 1
                last_update_on[spec.reference] = day
        say(f"  {cycle.name}: {recorded} progress updates.")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for spec in specs:
        if spec.state != ActionState.OPEN:
            # Closed a week after its last update, so papers for earlier dates show it still open.
            last = last_update_on.get(spec.reference)
            action_state_set(
                action=actions[spec.reference],
                by=editor,
                expected_version=None,
                state=spec.state,
                assurance_evidence=spec.assurance_evidence,
                at=_at(min(last + CLOSED_AFTER_LAST_UPDATE, yesterday), hour=16) if last else None,
            )
