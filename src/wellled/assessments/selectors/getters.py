"""Assessments, statements, evidence and findings, fetched only through the person's membership of the
organisation (another organisation's is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from wellled.core.choices import UnitKind
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped

from ..models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    StatementAssessment,
)


def assessments_for_user(*, user: User, organisation: Organisation) -> QuerySet[Assessment]:
    """The organisation's assessments, if the user belongs to it."""
    return scoped(Assessment.objects.all(), user=user, organisation=organisation).select_related(
        "framework", "location", "service", "organisation"
    )


def assessment_get(*, user: User, organisation: Organisation, pk) -> Assessment:
    """One assessment of the organisation, or 404."""
    return get_or_404(assessments_for_user(user=user, organisation=organisation), pk=pk)


def statement_get(*, user: User, organisation: Organisation, pk) -> StatementAssessment:
    """One statement of one of the organisation's assessments, or 404."""
    statements = scoped(
        StatementAssessment.objects.select_related(
            "element",
            "element__parent",
            "assessment",
            "assessment__framework",
            "assessment__location",
            "assessment__service",
            "assessment__organisation",
        ),
        user=user,
        organisation=organisation,
        path="assessment__organisation",
    )
    return get_or_404(statements, pk=pk)


def evidence_get(*, user: User, organisation: Organisation, pk) -> EvidenceItem:
    """One evidence item of one of the organisation's assessments, or 404."""
    items = scoped(
        EvidenceItem.objects.select_related("statement__assessment"),
        user=user,
        organisation=organisation,
        path="statement__assessment__organisation",
    )
    return get_or_404(items, pk=pk)


def finding_get(*, user: User, organisation: Organisation, pk) -> AssessmentFinding:
    """One finding of one of the organisation's assessments, or 404."""
    findings = scoped(
        AssessmentFinding.objects.select_related("assessment", "element", "plan_finding__plan"),
        user=user,
        organisation=organisation,
        path="assessment__organisation",
    )
    return get_or_404(findings, pk=pk)


def assessment_statements(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> list[StatementAssessment]:
    """The assessment's statements in framework order, with their evidence."""
    return list(
        scoped(
            StatementAssessment.objects.all(),
            user=user,
            organisation=organisation,
            path="assessment__organisation",
        )
        .filter(assessment=assessment)
        .select_related("element", "element__parent")
        .prefetch_related("evidence")
        .order_by("element__order")
    )


def assessment_findings(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> list[AssessmentFinding]:
    """The assessment's findings, by statement."""
    return list(
        scoped(
            AssessmentFinding.objects.all(),
            user=user,
            organisation=organisation,
            path="assessment__organisation",
        )
        .filter(assessment=assessment)
        .select_related("element", "plan_finding__plan")
        .order_by("element__order", "id")
    )


def subject_units(*, user: User, organisation: Organisation) -> tuple[QuerySet, QuerySet]:
    """The organisation's sites (locations) and services, for choosing a subject."""
    units = scoped(OrganisationUnit.objects.all(), user=user, organisation=organisation)
    return units.filter(kind=UnitKind.SITE).order_by("name"), units.filter(kind=UnitKind.SERVICE).order_by(
        "name"
    )
