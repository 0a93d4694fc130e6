"""An assessment's findings, and turning one into an action in a plan."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    locked_get,
    permission_require,
    record_change,
    record_create,
)
from wellled.plans import services as plan_services
from wellled.plans.choices import FindingSource, FindingType
from wellled.plans.models import Action, Finding, Plan, Section

from ..choices import AssessorKind, Enforcement
from ..models import (
    Assessment,
    AssessmentFinding,
)
from .checks import published_refuse

FINDING_SOURCE_BY_KIND: dict[str, str] = {
    AssessorKind.CQC: FindingSource.CQC_INSPECTION,
    AssessorKind.SELF_ASSESSMENT: FindingSource.SELF_REVIEW,
    AssessorKind.MOCK_INSPECTION: FindingSource.MOCK_INSPECTION,
    AssessorKind.PEER_REVIEW: FindingSource.PEER_REVIEW,
}


@transaction.atomic
def assessment_finding_create(
    *,
    assessment: Assessment,
    by: User,
    element,
    text: str,
    finding_type: str = FindingType.MUST_DO,
    regulation: str = "",
    enforcement: str = Enforcement.NONE,
) -> AssessmentFinding:
    """Record a finding against one of the assessment's statements; breaches name the regulation."""
    permission_require(
        user=by, organisation_id=assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    assessment = locked_get(Assessment, assessment.pk)
    published_refuse(assessment)
    if not assessment.statements.filter(element=element).exists():
        raise ValidationError({"element": "Choose one of this assessment's statements."})
    if finding_type == FindingType.BREACH and not regulation.strip():
        raise ValidationError({"regulation": "Enter the regulation that was breached."})
    if enforcement and finding_type != FindingType.BREACH:
        raise ValidationError({"enforcement": "Only a breach of regulation carries a notice."})
    finding = AssessmentFinding(
        assessment=assessment,
        element=element,
        text=text.strip(),
        finding_type=finding_type,
        regulation=regulation.strip(),
        enforcement=enforcement,
        created_by=by,
    )
    record_create(instance=finding, by=by, organisation=assessment.organisation, permission=None)
    return finding


def _section_for(plan: Plan, element) -> Section | None:
    """The plan's section for the statement, or for its key question, if the plan is organised that way."""
    codes = [element.pk] + ([element.parent_id] if element.parent_id else [])
    for element_id in codes:
        section = plan.sections.filter(framework_element_id=element_id).first()
        if section is not None:
            return section
    return plan.sections.filter(code=element.code).first()


@transaction.atomic
def finding_to_action(
    *,
    finding: AssessmentFinding,
    by: User,
    plan: Plan,
    reference: str,
    title: str,
    lead: User | None = None,
    due_date: datetime.date | None = None,
    success_measure: str = "",
    other_leads: Iterable[User] = (),
) -> Action:
    """Make the assessment's finding a finding of a plan (linked to its statement) and add an action answering it.

    The first action creates the plan's finding; later actions answer the same finding in the same plan.
    """
    permission_require(
        user=by, organisation_id=finding.assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    finding = (
        AssessmentFinding.objects.select_for_update()
        .select_related("assessment", "element")
        .get(pk=finding.pk)
    )
    assessment = finding.assessment
    if plan.organisation_id != assessment.organisation_id:
        raise ValidationError({"plan": "Choose one of your organisation's plans."})
    if plan.archived:
        raise ValidationError({"plan": "That plan is archived; choose a current plan."})
    plan_finding: Finding | None = finding.plan_finding
    if plan_finding is not None and plan_finding.plan_id != plan.pk:
        raise ValidationError(
            {
                "plan": f"This finding is already in the plan “{plan_finding.plan.name}”; "
                "add further actions there."
            }
        )
    if plan_finding is None:
        plan_finding = plan_services.finding_create(
            plan=plan,
            by=by,
            text=finding.text,
            finding_type=finding.finding_type,
            regulation=finding.regulation,
            source=FINDING_SOURCE_BY_KIND.get(assessment.assessor_kind, FindingSource.OTHER),
            source_date=assessment.assessed_on,
            framework_element=finding.element,
        )
        note = f"Added to the plan {plan.name} as finding {plan_finding.number}"
        record_change(
            finding, {"plan_finding": plan_finding}, by=by, organisation=assessment.organisation, note=note
        )
    return plan_services.action_create(
        plan=plan,
        by=by,
        reference=reference,
        title=title,
        lead=lead,
        due_date=due_date,
        success_measure=success_measure,
        other_leads=other_leads,
        findings=[plan_finding],
        section=_section_for(plan, finding.element),
    )
