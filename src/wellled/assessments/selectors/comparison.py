"""An assessment set beside the latest CQC view of the same subject, key question by key question."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wellled.core.models import Organisation, User

from .. import scoring
from ..choices import (
    AssessmentState,
    AssessorKind,
)
from ..models import (
    Assessment,
    PublishedRating,
    StatementAssessment,
)
from .getters import assessment_statements, assessments_for_user
from .outcome import assessment_outcome, statement_value
from .ratings import ratings_for_user


@dataclass
class ComparisonRow:
    statement: StatementAssessment
    key_question: str
    own_score: int | None
    cqc_score: int | None
    cqc_from: str  # "statement" (scored by CQC) / "rating" (implied by the key question's rating) / ""

    @property
    def difference(self) -> int | None:
        if self.own_score is None or self.cqc_score is None:
            return None
        return self.own_score - self.cqc_score


@dataclass
class Comparison:
    cqc_assessment: Assessment | None
    rows: list[ComparisonRow]
    key_questions: list[tuple[str, str, PublishedRating | None, scoring.Rating | None]]

    @property
    def higher(self) -> int:
        return sum(1 for r in self.rows if (r.difference or 0) > 0)

    @property
    def lower(self) -> int:
        return sum(1 for r in self.rows if (r.difference or 0) < 0)

    @property
    def same(self) -> int:
        return sum(1 for r in self.rows if r.difference == 0)


def _cqc_of_subject(assessment: Assessment) -> dict[str, Any]:
    """The lookups for CQC's own work on the assessment's subject (the same location and service)."""
    return {
        "assessor_kind": AssessorKind.CQC,
        "location_id": assessment.location_id,
        "service_id": assessment.service_id,
    }


def latest_cqc_assessment(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> Assessment | None:
    """The latest published CQC assessment of the same subject against the same framework."""
    return (
        assessments_for_user(user=user, organisation=organisation)
        .filter(
            **_cqc_of_subject(assessment), state=AssessmentState.PUBLISHED, framework=assessment.framework
        )
        .exclude(pk=assessment.pk)
        .order_by("-assessed_on", "-id")
        .first()
    )


def comparison(*, user: User, organisation: Organisation, assessment: Assessment) -> Comparison:
    """The assessment's statement scores beside the latest CQC view: CQC's own statement scores where an
    assessment of them is recorded, else the score the current CQC rating of the key question implies."""
    statements = assessment_statements(user=user, organisation=organisation, assessment=assessment)
    cqc = latest_cqc_assessment(user=user, organisation=organisation, assessment=assessment)
    cqc_scores: dict[int, int] = {}
    if cqc is not None:
        for s in cqc.statements.select_related("element"):
            value = statement_value(cqc.method, s, cqc.framework.evidence_categories)
            if value is not None:
                cqc_scores[s.element_id] = scoring.score_statement(s.element.code, value).score
    outcome = assessment_outcome(assessment=assessment, statements=statements)
    current = {}
    for kq in outcome.key_questions:
        current[kq.code] = (
            ratings_for_user(user=user, organisation=organisation)
            .filter(**_cqc_of_subject(assessment), key_question=kq.code)
            .exclude(assessment=assessment)
            .order_by("-rated_on", "-id")
            .first()
        )
    rows = []
    for kq in outcome.key_questions:
        for s in kq.statements:
            value = statement_value(assessment.method, s, assessment.framework.evidence_categories)
            own = scoring.score_statement(s.element.code, value).score if value is not None else None
            if s.element_id in cqc_scores:
                rows.append(ComparisonRow(s, kq.code, own, cqc_scores[s.element_id], "statement"))
            elif (latest := current[kq.code]) is not None:
                implied = scoring.Rating.parse(latest.rating).score
                rows.append(ComparisonRow(s, kq.code, own, implied, "rating"))
            else:
                rows.append(ComparisonRow(s, kq.code, own, None, ""))
    key_questions = [(kq.code, kq.name, current[kq.code], kq.rating) for kq in outcome.key_questions]
    return Comparison(cqc, rows, key_questions)


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(float(value), 2)))
