"""Who may do what to an assessment, and the checks every write makes first (a published one is frozen)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    membership_role,
)

from .. import scoring
from ..choices import AssessmentState, AssessorKind
from ..models import (
    Assessment,
)

FROZEN_MESSAGE = "This assessment is published, so it cannot be changed."


def published_refuse(assessment: Assessment) -> None:
    if assessment.state == AssessmentState.PUBLISHED:
        raise ValidationError(FROZEN_MESSAGE)


def user_may_manage(*, user: User, assessment: Assessment) -> bool:
    return role_allows(
        membership_role(user=user, organisation_id=assessment.organisation_id), Permission.MANAGE_ASSESSMENTS
    )


def user_may_score(*, user: User, assessment: Assessment) -> bool:
    """Editors score any unpublished assessment; leads only a self-assessment that is still a draft."""
    if assessment.state == AssessmentState.PUBLISHED:
        return False
    role = membership_role(user=user, organisation_id=assessment.organisation_id)
    if role_allows(role, Permission.MANAGE_ASSESSMENTS):
        return True
    return (
        role_allows(role, Permission.SCORE_SELF_ASSESSMENTS)
        and assessment.assessor_kind == AssessorKind.SELF_ASSESSMENT
        and assessment.state == AssessmentState.DRAFT
    )


def score_permission_require(user: User, assessment: Assessment) -> None:
    published_refuse(assessment)
    if not user_may_score(user=user, assessment=assessment):
        raise PermissionDenied("Your role does not allow you to score this assessment.")


def subject_check(
    organisation: Organisation, location: OrganisationUnit | None, service: OrganisationUnit | None
) -> None:
    probe = Assessment(organisation=organisation, location=location, service=service)
    probe.clean()


def scoring_rules_check(rules: dict | scoring.ScoringRules | None) -> dict:
    if rules is None:
        return scoring.DEFAULT_RULES.to_dict()
    try:
        if isinstance(rules, scoring.ScoringRules):
            return rules.to_dict()
        return scoring.ScoringRules.from_dict(rules).to_dict()
    except scoring.ScoringError as exc:
        raise ValidationError({"scoring_rules": str(exc)})
