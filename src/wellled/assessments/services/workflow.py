"""An assessment's life: started in draft, edited, submitted for review, returned, and published (its ratings
and their working stored as snapshots, and the assessment frozen)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    EditRule,
    ExpectedVersion,
    locked_get,
    permission_require,
    record_change,
    record_create,
    version_check,
)
from wellled.frameworks.models import Framework

from .. import scoring
from ..choices import OVERALL, AssessmentState, RatingSource, ScoringMethod
from ..models import (
    Assessment,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)
from ..selectors import assessment_outcome, framework_key_questions
from .checks import published_refuse, scoring_rules_check, subject_check, user_may_score


@transaction.atomic
def assessment_create(
    *,
    organisation: Organisation,
    by: User,
    framework: Framework,
    assessed_on: datetime.date,
    assessor_kind: str,
    location: OrganisationUnit | None = None,
    service: OrganisationUnit | None = None,
    method: str = ScoringMethod.DIRECT,
    scoring_rules: dict | scoring.ScoringRules | None = None,
    title: str = "",
    summary: str = "",
) -> Assessment:
    """Start an assessment in draft, with one statement row per quality statement (or KLOE) of the framework."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ASSESSMENTS)
    if framework.organisation_id not in (None, organisation.pk):
        raise ValidationError({"framework": "Choose a shipped framework or one of your organisation's own."})
    subject_check(organisation, location, service)
    key_questions = framework_key_questions(framework)
    if not key_questions:
        raise ValidationError({"framework": "That framework has no statements to score."})
    assessment = Assessment(
        organisation=organisation,
        framework=framework,
        assessed_on=assessed_on,
        assessor_kind=assessor_kind,
        location=location,
        service=service,
        method=method,
        scoring_rules=scoring_rules_check(scoring_rules),
        title=title.strip(),
        summary=summary.strip(),
        created_by=by,
    )
    record_create(instance=assessment, by=by, organisation=organisation, permission=None)
    StatementAssessment.objects.bulk_create(
        [StatementAssessment(assessment=assessment, element=e) for kq in key_questions for e in kq.statements]
    )
    return assessment


ASSESSMENT_EDITABLE = {"title", "assessed_on", "summary", "method", "scoring_rules"}
# A published assessment is frozen: its edits are refused on the locked row.
ASSESSMENT_EDIT = EditRule(
    Permission.MANAGE_ASSESSMENTS,
    frozenset(ASSESSMENT_EDITABLE),
    check=lambda row, changes: published_refuse(row),
)


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, by: User, expected_version: ExpectedVersion, **fields
) -> Assessment:
    """Change a draft's title, date, summary, scoring method or scoring rules."""
    if "scoring_rules" in fields:
        fields["scoring_rules"] = scoring_rules_check(fields["scoring_rules"])
    changes = {
        name: value.strip() if isinstance(value, str) and name != "method" else value
        for name, value in fields.items()
    }
    return ASSESSMENT_EDIT.apply(assessment, by=by, expected_version=expected_version, changes=changes)


def _set_state(assessment: Assessment, by: User, state: str, note: str, **fields) -> Assessment:
    changes = {"state": state, **fields}
    return record_change(assessment, changes, by=by, organisation=assessment.organisation, note=note)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: User, expected_version: ExpectedVersion) -> Assessment:
    """A team sends its draft to the governance team for review (it can no longer change it)."""
    assessment = locked_get(Assessment, assessment.pk)
    published_refuse(assessment)
    if not user_may_score(user=by, assessment=assessment):
        raise PermissionDenied("Your role does not allow you to submit this assessment.")
    version_check(assessment, expected_version)
    if assessment.state != AssessmentState.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    if not any(s.is_scored for s in assessment.statements.all()):
        raise ValidationError("Score at least one statement before submitting the assessment for review.")
    return _set_state(
        assessment,
        by,
        AssessmentState.SUBMITTED,
        "Submitted for review",
        submitted_at=timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by: User, expected_version: ExpectedVersion, comment: str
) -> Assessment:
    """The governance team sends a submitted assessment back to the team as a draft, saying why."""
    permission_require(
        user=by, organisation_id=assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    assessment = locked_get(Assessment, assessment.pk)
    published_refuse(assessment)
    version_check(assessment, expected_version)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError("Only an assessment submitted for review can be returned.")
    if not comment.strip():
        raise ValidationError({"comment": "Enter what the team needs to look at again."})
    return _set_state(
        assessment,
        by,
        AssessmentState.DRAFT,
        f"Returned for changes: {comment.strip()}"[:300],
        review_comment=comment.strip(),
    )


def _percentage(result: scoring.KeyQuestionResult) -> Decimal:
    return Decimal(str(round(float(result.percentage.value), 2)))


@transaction.atomic
def assessment_publish(
    *,
    assessment: Assessment,
    by: User,
    expected_version: ExpectedVersion,
    at: datetime.datetime | None = None,
) -> Assessment:
    """Publish: store each key question's rating and working as a snapshot, record the ratings, and freeze
    (`at`: when it was published, for history loaded after the fact)."""
    permission_require(
        user=by, organisation_id=assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    assessment = locked_get(Assessment, assessment.pk)
    published_refuse(assessment)
    version_check(assessment, expected_version)
    outcome = assessment_outcome(assessment=assessment)
    if outcome.problems:
        raise ValidationError(["It cannot be published yet.", *outcome.problems])
    rated = [(kq.name, kq.result) for kq in outcome.key_questions if kq.result is not None]
    subject = {
        "organisation": assessment.organisation,
        "location": assessment.location,
        "service": assessment.service,
    }
    for order, kq in enumerate(outcome.key_questions, start=1):
        if kq.result is None:
            continue
        result = kq.result
        RatingSnapshot.objects.create(
            assessment=assessment,
            key_question=kq.code,
            name=kq.name,
            rating=result.rating.value,
            percentage_rating=result.percentage_rating.value,
            previous_rating=result.previous_rating.value if result.previous_rating else "",
            percentage=_percentage(result),
            percentage_text=result.percentage.text,
            total=result.total,
            maximum=result.maximum,
            carried_forward=list(result.carried_forward),
            working=result.working,
            result=result.to_dict(),
            order=order,
        )
        rating = PublishedRating.objects.create(
            **subject,
            key_question=kq.code,
            rating=result.rating.value,
            rated_on=assessment.assessed_on,
            assessor_kind=assessment.assessor_kind,
            source=RatingSource.ASSESSMENT,
            assessment=assessment,
            percentage=_percentage(result),
            created_by=by,
        )
        audit_record(by=by, organisation=assessment.organisation, action=AuditAction.CREATE, instance=rating)
    if outcome.overall is not None:
        overall = outcome.overall
        RatingSnapshot.objects.create(
            assessment=assessment,
            key_question=OVERALL,
            name="Overall",
            rating=overall.rating.value,
            working=overall.working,
            result=overall.to_dict(),
            order=len(outcome.key_questions) + 1,
        )
        rating = PublishedRating.objects.create(
            **subject,
            key_question=OVERALL,
            rating=overall.rating.value,
            rated_on=assessment.assessed_on,
            assessor_kind=assessment.assessor_kind,
            source=RatingSource.ASSESSMENT,
            assessment=assessment,
            created_by=by,
        )
        audit_record(by=by, organisation=assessment.organisation, action=AuditAction.CREATE, instance=rating)
    summary = ", ".join(f"{name} {result.rating.text}" for name, result in rated)
    return _set_state(
        assessment,
        by,
        AssessmentState.PUBLISHED,
        f"Published: {summary}"[:300],
        published_at=at or timezone.now(),
        published_by=by,
        overall=outcome.overall.to_dict() if outcome.overall else None,
    )
