"""Demo assessments for the fictional Northmoor trust (built by wellled.plans.demo): published CQC ratings
from an older inspection, the last two CQC assessments of two services, and a self-assessment, so the
ratings grid, the timelines and the comparison have a trajectory to show.

Everything here is invented for the demo and written in Wellled's own words.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from wellled.core.choices import UnitKind
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.services import organisation_unit_create
from wellled.frameworks.models import Framework
from wellled.plans.demo import DEMO_ODS_CODE, SELF_REVIEW_PLAN
from wellled.plans.models import Plan

from . import services
from .choices import AssessorKind
from .importers import ratings_import
from .models import Assessment, StatementAssessment

EDITOR = "grace.mcallister"  # head of corporate governance: records CQC's assessments, reviews and publishes
TEAM_LEAD = "anjali.kaur"  # chief nurse: leads the children's services self-assessment

CYP = "Children and young people's services"
UEC = "Urgent and emergency care"
FELLSIDE = "ZNM03"  # Fellside Treatment Centre
GENERAL = "ZNM01"  # Northmoor General Hospital
PUBLISHED_AFTER = datetime.timedelta(days=42)  # a report follows the visit by some weeks

CQC_CYP_TITLE = "CQC assessment of children and young people's services, Fellside, July 2024"
CQC_UEC_TITLE = "CQC assessment of urgent and emergency care, Northmoor General, February 2025"
SELF_TITLE = "Self-assessment of children and young people's services, Fellside, September 2026"
DEMO_TITLES = (CQC_CYP_TITLE, CQC_UEC_TITLE, SELF_TITLE)

# The inspection before CQC's single assessment framework: ratings only, as CQC publishes them.
EARLIER_RATINGS_CSV = """location id,location name,service,key question,rating,date
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Safe,Requires improvement,2022-11-09
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Effective,Good,2022-11-09
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Caring,Good,2022-11-09
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Responsive,Requires improvement,2022-11-09
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Well-led,Requires improvement,2022-11-09
ZNM,Northmoor Teaching Hospitals NHS Foundation Trust,,Overall,Requires improvement,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Safe,Good,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Effective,Good,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Caring,Good,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Responsive,Requires improvement,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Well-led,Requires improvement,2022-11-09
ZNM03,Fellside Treatment Centre,Children and young people's services,Overall,Requires improvement,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Safe,Good,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Effective,Good,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Caring,Good,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Responsive,Requires improvement,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Well-led,Good,2022-11-09
ZNM01,Northmoor General Hospital,Urgent and emergency care,Overall,Good,2022-11-09
"""


def assessments_demo_load() -> bool:
    """Add the demo assessments to the demo trust once; False if already there (or the trust is missing)."""
    organisation = Organisation.objects.filter(ods_code=DEMO_ODS_CODE).first()
    if organisation is None:
        return False
    if Assessment.objects.filter(organisation=organisation, title__in=DEMO_TITLES).exists():
        return False
    with transaction.atomic():
        _load(organisation)
    return True


def _unit(organisation: Organisation, kind: str, name: str, by: User) -> OrganisationUnit:
    unit = OrganisationUnit.objects.filter(organisation=organisation, kind=kind, name=name).first()
    return unit or organisation_unit_create(organisation=organisation, kind=kind, name=name, by=by)


def _score(assessment: Assessment, by: User, scores: dict[str, int], notes: dict[str, str]) -> None:
    for statement in StatementAssessment.objects.filter(assessment=assessment).select_related("element"):
        code = statement.element.code
        if code in scores or code in notes:
            services.statement_score(
                statement=statement,
                by=by,
                expected_version=None,
                score=scores.get(code),
                narrative=notes.get(code, ""),
            )


def _finding(assessment: Assessment, by: User, code: str, text: str, **fields):
    element = assessment.framework.elements.get(code=code)
    return services.assessment_finding_create(
        assessment=assessment, by=by, element=element, text=text, **fields
    )


def _load(organisation: Organisation) -> None:
    editor = User.objects.get(username=EDITOR)
    team_lead = User.objects.get(username=TEAM_LEAD)
    cqc_saf = Framework.objects.get(key="cqc-saf", organisation__isnull=True)
    fellside = OrganisationUnit.objects.get(organisation=organisation, kind=UnitKind.SITE, code=FELLSIDE)
    general = OrganisationUnit.objects.get(organisation=organisation, kind=UnitKind.SITE, code=GENERAL)
    cyp = _unit(organisation, UnitKind.SERVICE, CYP, editor)
    uec = _unit(organisation, UnitKind.SERVICE, UEC, editor)

    ratings_import(organisation=organisation, text=EARLIER_RATINGS_CSV, by=editor)

    # 1. CQC, July 2024: seven well-led statements assessed; the eighth keeps the score of the last rating
    #    (requires improvement), and well-led improves to good. Responsive is looked at again in part.
    cyp_cqc = services.assessment_create(
        organisation=organisation,
        by=editor,
        framework=cqc_saf,
        assessed_on=datetime.date(2024, 7, 24),
        assessor_kind=AssessorKind.CQC,
        location=fellside,
        service=cyp,
        title=CQC_CYP_TITLE,
        summary="CQC looked at how the children's service is led and at access to its clinics.",
    )
    _score(
        cyp_cqc,
        editor,
        {"W1": 3, "W2": 3, "W3": 4, "W4": 3, "W5": 3, "W6": 3, "W7": 3, "R1": 3, "R2": 3, "R4": 2},
        {
            "W3": "Staff described a service where concerns were welcomed and acted on quickly.",
            "R4": "Families waited too long for outpatient appointments in two specialties.",
        },
    )
    _finding(
        cyp_cqc,
        editor,
        "R4",
        "Reduce waits for paediatric outpatient appointments in the two specialties with the longest lists.",
        finding_type="must_do",
    )
    _finding(
        cyp_cqc,
        editor,
        "W8",
        "Share learning from improvement projects across all sites where children are cared for.",
        finding_type="should_do",
    )
    _finding(
        cyp_cqc,
        editor,
        "W3",
        "Young people's forum shapes the design of clinic spaces.",
        finding_type="outstanding_practice",
    )
    services.assessment_publish(assessment=cyp_cqc, by=editor, expected_version=None, at=_published(cyp_cqc))

    # 2. CQC, February 2025: safe falls to requires improvement. The percentage (20 of 32 = 62.5%) rounds up
    #    to good, but a requirement notice on staffing holds it at requires improvement.
    uec_cqc = services.assessment_create(
        organisation=organisation,
        by=editor,
        framework=cqc_saf,
        assessed_on=datetime.date(2025, 2, 12),
        assessor_kind=AssessorKind.CQC,
        location=general,
        service=uec,
        title=CQC_UEC_TITLE,
        summary="An unannounced assessment of the emergency department after a winter of long waits.",
    )
    _score(
        uec_cqc,
        editor,
        {"S1": 2, "S2": 2, "S5": 3, "S6": 1, "S7": 3, "W5": 2, "W6": 2},
        {
            "S6": "There were not enough registered nurses on most night shifts in the observation period.",
            "S2": "Handover from ambulance crews was delayed at busy times.",
        },
    )
    staffing = _finding(
        uec_cqc,
        editor,
        "S6",
        "Make sure enough suitably qualified nurses are deployed in the emergency "
        "department at all times, including at night.",
        finding_type="breach",
        regulation="Regulation 18: staffing",
        enforcement="requirement_notice",
    )
    _finding(
        uec_cqc,
        editor,
        "S2",
        "Work with the ambulance service to cut delays in handing patients over.",
        finding_type="should_do",
    )
    services.assessment_publish(assessment=uec_cqc, by=editor, expected_version=None, at=_published(uec_cqc))
    plan = Plan.objects.filter(organisation=organisation, name=SELF_REVIEW_PLAN).first()
    if plan is not None:
        services.finding_to_action(
            finding=staffing,
            by=editor,
            plan=plan,
            reference="UEC1",
            title="Agree and fund an emergency department nursing establishment for nights, reviewed monthly.",
            lead=team_lead,
            due_date=datetime.date(2025, 9, 30),
            success_measure="Planned night-shift registered nurse numbers met on 95% of nights.",
        )

    # 3. Self-assessment, September 2026: the children's team scores itself with evidence; the governance team
    #    reviews and publishes it.
    own = services.assessment_create(
        organisation=organisation,
        by=editor,
        framework=cqc_saf,
        assessed_on=datetime.date(2026, 9, 15),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
        location=fellside,
        service=cyp,
        title=SELF_TITLE,
        summary="The team's own view of leadership and access, a year before CQC is expected back.",
    )
    _score(
        own,
        team_lead,
        {"W1": 3, "W2": 3, "W3": 4, "W4": 3, "W5": 3, "W6": 3, "W7": 3, "W8": 3, "R1": 3, "R2": 3, "R4": 3},
        {
            "W8": "Learning from the clinic redesign has been shared at the trust's improvement forum.",
            "R4": "Waits in both specialties are now within 18 weeks for nine in ten children.",
        },
    )
    statement = StatementAssessment.objects.get(assessment=own, element__code="R4")
    services.evidence_add(
        statement=statement,
        by=team_lead,
        title="Outpatient waiting list report, August 2026",
        url="https://intranet.northmoor-nhs.example/reports/paediatric-waits-2026-08",
    )
    services.assessment_submit(assessment=own, by=team_lead, expected_version=None)
    _finding(
        own,
        editor,
        "W6",
        "Capture more of what families tell us in the governance meeting's reports.",
        finding_type="should_do",
    )
    services.assessment_publish(assessment=own, by=editor, expected_version=None, at=_published(own))


def _published(assessment) -> datetime.datetime:
    """When the demo's assessment was published: its report a few weeks after the visit, never in the future."""
    day = min(assessment.assessed_on + PUBLISHED_AFTER, timezone.localdate() - datetime.timedelta(days=1))
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 14))
