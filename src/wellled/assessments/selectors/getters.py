"""Assessments, statements, evidence and findings, fetched only through the person's membership of the
organisation (another organisation's is a 404)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from wellled.core.choices import UnitKind
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped, scoped_get

from ..models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    StatementAssessment,
)

M = TypeVar("M", bound=Model)


def assessments_for_user(*, user: User, organisation: Organisation) -> QuerySet[Assessment]:
    """The organisation's assessments, if the user belongs to it."""
    return scoped(Assessment.objects.all(), user=user, organisation=organisation).select_related(
        "framework", "location", "service", "organisation"
    )


def assessment_get(*, user: User, organisation: Organisation, pk) -> Assessment:
    """One assessment of the organisation, or 404."""
    return get_or_404(assessments_for_user(user=user, organisation=organisation), pk=pk)


# Statements, evidence and findings belong to the organisation through their assessment.
THROUGH_ASSESSMENT = "assessment__organisation"
# What a statement's page shows beside it, read in the same query.
STATEMENT_PAGE_READS = (
    "element",
    "element__parent",
    "assessment",
    "assessment__framework",
    "assessment__location",
    "assessment__service",
    "assessment__organisation",
)


def statement_get(*, user: User, organisation: Organisation, pk) -> StatementAssessment:
    """One statement of one of the organisation's assessments, or 404."""
    statements = StatementAssessment.objects.select_related(*STATEMENT_PAGE_READS)
    return scoped_get(statements, user=user, organisation=organisation, pk=pk, path=THROUGH_ASSESSMENT)


def evidence_get(*, user: User, organisation: Organisation, pk) -> EvidenceItem:
    """One evidence item of one of the organisation's assessments, or 404."""
    items = EvidenceItem.objects.select_related("statement__assessment")
    return scoped_get(
        items, user=user, organisation=organisation, pk=pk, path=f"statement__{THROUGH_ASSESSMENT}"
    )


def finding_get(*, user: User, organisation: Organisation, pk) -> AssessmentFinding:
    """One finding of one of the organisation's assessments, or 404."""
    findings = AssessmentFinding.objects.select_related("assessment", "element", "plan_finding__plan")
    return scoped_get(findings, user=user, organisation=organisation, pk=pk, path=THROUGH_ASSESSMENT)


def _of_assessment(
    model: type[M], *, user: User, organisation: Organisation, assessment: Assessment
) -> QuerySet[M]:
    """The assessment's rows of `model` (statements, findings), if the user may see its organisation."""
    rows = scoped(model._default_manager.all(), user=user, organisation=organisation, path=THROUGH_ASSESSMENT)
    return rows.filter(assessment=assessment)


def assessment_statements(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> list[StatementAssessment]:
    """The assessment's statements in framework order, with their evidence."""
    statements = _of_assessment(
        StatementAssessment, user=user, organisation=organisation, assessment=assessment
    )
    return list(
        statements.select_related("element", "element__parent")
        .prefetch_related("evidence")
        .order_by("element__order")
    )


def assessment_findings(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> list[AssessmentFinding]:
    """The assessment's findings, by statement."""
    findings = _of_assessment(AssessmentFinding, user=user, organisation=organisation, assessment=assessment)
    return list(findings.select_related("element", "plan_finding__plan").order_by("element__order", "id"))


def subject_units(*, user: User, organisation: Organisation) -> tuple[QuerySet, QuerySet]:
    """The organisation's sites (locations) and services, for choosing a subject."""
    units = scoped(OrganisationUnit.objects.all(), user=user, organisation=organisation)
    return units.filter(kind=UnitKind.SITE).order_by("name"), units.filter(kind=UnitKind.SERVICE).order_by(
        "name"
    )
