"""Writes for assessments: each checks the role and the state, saves, and writes its audit record in one
transaction. A published assessment is frozen: every service that would change it refuses.

Workflow (decided here; docs/assessments.md explains it to users):

- draft: governance editors and administrators edit anything; for a self-assessment, leads (the teams)
  score statements, write what they found and add evidence, then submit it for review.
- submitted for review: the governance team reviews; it can still correct scores, return the assessment
  to the team with a comment (back to draft), or publish it. Leads can no longer change it.
- published: frozen. The key question ratings, their working and the overall rating are stored as
  snapshots and become published ratings for the ratings grid and timelines.

A CQC assessment, mock inspection or peer review is recorded by the governance team alone and may be
published straight from draft.
"""

from __future__ import annotations

import datetime
import mimetypes
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    fields_update,
    locked_get,
    membership_role,
    permission_require,
    version_bump,
    version_check,
)
from wellled.frameworks.models import Framework
from wellled.plans import services as plan_services
from wellled.plans.choices import FindingSource, FindingType
from wellled.plans.models import Action, Finding, Plan, Section

from . import scoring
from .choices import OVERALL, AssessmentState, AssessorKind, Enforcement, RatingSource, ScoringMethod
from .models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)
from .selectors import assessment_outcome, framework_key_questions

FROZEN_MESSAGE = "This assessment is published, so it cannot be changed."

# Evidence uploads: common office documents and images only, up to a size set in settings.
EVIDENCE_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_max_bytes() -> int:
    return int(getattr(settings, "WELLLED_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


FINDING_SOURCE_BY_KIND = {
    AssessorKind.CQC: FindingSource.CQC_INSPECTION,
    AssessorKind.SELF_ASSESSMENT: FindingSource.SELF_REVIEW,
    AssessorKind.MOCK_INSPECTION: FindingSource.MOCK_INSPECTION,
    AssessorKind.PEER_REVIEW: FindingSource.PEER_REVIEW,
}


# Checks -------------------------------------------------------------------------------------------------------


def _refuse_if_published(assessment: Assessment) -> None:
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


def _require_score(user: User, assessment: Assessment) -> None:
    _refuse_if_published(assessment)
    if not user_may_score(user=user, assessment=assessment):
        raise PermissionDenied("Your role does not allow you to score this assessment.")


def _check_subject(
    organisation: Organisation, location: OrganisationUnit | None, service: OrganisationUnit | None
) -> None:
    probe = Assessment(organisation=organisation, location=location, service=service)
    probe.clean()


def _check_rules(rules: dict | scoring.ScoringRules | None) -> dict:
    if rules is None:
        return scoring.DEFAULT_RULES.to_dict()
    try:
        if isinstance(rules, scoring.ScoringRules):
            return rules.to_dict()
        return scoring.ScoringRules.from_dict(rules).to_dict()
    except scoring.ScoringError as exc:
        raise ValidationError({"scoring_rules": str(exc)})


# Assessments --------------------------------------------------------------------------------------------------


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
    _check_subject(organisation, location, service)
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
        scoring_rules=_check_rules(scoring_rules),
        title=title.strip(),
        summary=summary.strip(),
        created_by=by,
    )
    assessment.full_clean()
    assessment.save()
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=assessment)
    StatementAssessment.objects.bulk_create(
        [StatementAssessment(assessment=assessment, element=e) for kq in key_questions for e in kq.statements]
    )
    return assessment


ASSESSMENT_EDITABLE = {"title", "assessed_on", "summary", "method", "scoring_rules"}


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, by: User, expected_version: int | None, **fields
) -> Assessment:
    """Change a draft's title, date, summary, scoring method or scoring rules."""
    if "scoring_rules" in fields:
        fields["scoring_rules"] = _check_rules(fields["scoring_rules"])
    changes = {
        name: value.strip() if isinstance(value, str) and name != "method" else value
        for name, value in fields.items()
    }
    return fields_update(
        instance=assessment,
        by=by,
        organisation=assessment.organisation,
        permission=Permission.MANAGE_ASSESSMENTS,
        expected_version=expected_version,
        allowed=ASSESSMENT_EDITABLE,
        changes=changes,
        check=lambda row, changes: _refuse_if_published(row),
    )


def _set_state(assessment: Assessment, by: User, state: str, note: str, **fields) -> Assessment:
    before = snapshot(assessment)
    assessment.state = state
    for name, value in fields.items():
        setattr(assessment, name, value)
    version_bump(assessment, ["state", *fields])
    audit_record(
        by=by,
        organisation=assessment.organisation,
        action=AuditAction.UPDATE,
        instance=assessment,
        before=before,
        note=note,
    )
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: User, expected_version: int | None) -> Assessment:
    """A team sends its draft to the governance team for review (it can no longer change it)."""
    assessment = locked_get(Assessment, assessment.pk)
    _refuse_if_published(assessment)
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
    *, assessment: Assessment, by: User, expected_version: int | None, comment: str
) -> Assessment:
    """The governance team sends a submitted assessment back to the team as a draft, saying why."""
    permission_require(
        user=by, organisation_id=assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    assessment = locked_get(Assessment, assessment.pk)
    _refuse_if_published(assessment)
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
    *, assessment: Assessment, by: User, expected_version: int | None, at: datetime.datetime | None = None
) -> Assessment:
    """Publish: store each key question's rating and working as a snapshot, record the ratings, and freeze
    (`at`: when it was published, for history loaded after the fact)."""
    permission_require(
        user=by, organisation_id=assessment.organisation_id, permission=Permission.MANAGE_ASSESSMENTS
    )
    assessment = locked_get(Assessment, assessment.pk)
    _refuse_if_published(assessment)
    version_check(assessment, expected_version)
    outcome = assessment_outcome(assessment=assessment)
    if outcome.problems:
        raise ValidationError(["It cannot be published yet.", *outcome.problems])
    rated = [kq for kq in outcome.key_questions if kq.result is not None]
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
    summary = ", ".join(f"{kq.name} {kq.result.rating.text}" for kq in rated)
    return _set_state(
        assessment,
        by,
        AssessmentState.PUBLISHED,
        f"Published: {summary}"[:300],
        published_at=at or timezone.now(),
        published_by=by,
        overall=outcome.overall.to_dict() if outcome.overall else None,
    )


# Statements ---------------------------------------------------------------------------------------------------


def _evidence_categories(assessment: Assessment) -> dict[str, str]:
    return {
        c["key"]: c.get("name", c["key"])
        for c in assessment.framework.evidence_categories or []
        if "key" in c
    }


@transaction.atomic
def statement_score(
    *,
    statement: StatementAssessment,
    by: User,
    expected_version: int | None,
    score: int | None = None,
    evidence_scores: dict[str, int] | None = None,
    narrative: str | None = None,
) -> StatementAssessment:
    """Record a statement's score (directly, or per evidence category) and what was found; no score = not assessed."""
    assessment = locked_get(Assessment, statement.assessment_id)
    _require_score(by, assessment)
    statement = locked_get(StatementAssessment, statement.pk)
    version_check(statement, expected_version)
    before = snapshot(statement)
    if assessment.method == ScoringMethod.DIRECT:
        if score is not None and (isinstance(score, bool) or score not in (1, 2, 3, 4)):
            raise ValidationError({"score": "Choose a score from 1 to 4, or not assessed."})
        statement.score, statement.evidence_scores = score, {}
    else:
        known = _evidence_categories(assessment)
        cleaned = {}
        for key, value in (evidence_scores or {}).items():
            if key not in known:
                raise ValidationError(
                    {"evidence_scores": f"{key} is not an evidence category of this framework."}
                )
            if value is None:
                continue
            if isinstance(value, bool) or value not in (1, 2, 3, 4):
                raise ValidationError({"evidence_scores": f"Choose a score from 1 to 4 for {known[key]}."})
            cleaned[key] = value
        statement.score, statement.evidence_scores = None, cleaned
    if narrative is not None:
        statement.narrative = narrative.strip()
    statement.updated_by, statement.updated_at = by, timezone.now()
    version_bump(statement, ["score", "evidence_scores", "narrative", "updated_by", "updated_at"])
    audit_record(
        by=by,
        organisation=assessment.organisation,
        action=AuditAction.UPDATE,
        instance=statement,
        before=before,
    )
    return statement


def _safe_name(name: str) -> str:
    return PurePath(name or "evidence").name[:200]


@transaction.atomic
def evidence_add(
    *,
    statement: StatementAssessment,
    by: User,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    at: datetime.datetime | None = None,
) -> EvidenceItem:
    """Attach a file (checked for type and size, stored under a random name) or a link to a statement."""
    assessment = locked_get(Assessment, statement.assessment_id)
    _require_score(by, assessment)
    if bool(file) == bool(url.strip()):
        raise ValidationError("Upload a file or give a link, one or the other.")
    item = EvidenceItem(
        statement=statement, title=title.strip(), url=url.strip(), added_by=by, added_at=at or timezone.now()
    )
    if file:
        name = _safe_name(file.name)
        extension = PurePath(name).suffix.lower()
        if extension not in EVIDENCE_EXTENSIONS:
            allowed = ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))
            raise ValidationError({"file": f"Upload a file of one of these types: {allowed}."})
        limit = evidence_max_bytes()
        if file.size > limit:
            raise ValidationError({"file": f"The file must be smaller than {limit // (1024 * 1024)} MB."})
        if file.size == 0:
            raise ValidationError({"file": "The file is empty."})
        item.original_name = name
        item.content_type = EVIDENCE_EXTENSIONS[extension] or mimetypes.guess_type(name)[0] or ""
        item.size = file.size
        item.file.save(f"{assessment.organisation_id}/{uuid.uuid4().hex}{extension}", file, save=False)
        if not item.title:
            item.title = name
    item.full_clean()
    item.save()
    after = snapshot(item)
    after["file"] = item.file.name or ""  # the stored name, not the file object
    audit_record(
        by=by, organisation=assessment.organisation, action=AuditAction.CREATE, instance=item, after=after
    )
    return item


# Findings -----------------------------------------------------------------------------------------------------


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
    _refuse_if_published(assessment)
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
    finding.full_clean()
    finding.save()
    audit_record(by=by, organisation=assessment.organisation, action=AuditAction.CREATE, instance=finding)
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
        before = snapshot(finding)
        finding.plan_finding = plan_finding
        version_bump(finding, ["plan_finding"])
        audit_record(
            by=by,
            organisation=assessment.organisation,
            action=AuditAction.UPDATE,
            instance=finding,
            before=before,
            note=f"Added to the plan {plan.name} as finding {plan_finding.number}",
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
