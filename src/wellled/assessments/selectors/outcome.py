"""An assessment's ratings: worked out afresh by the scoring engine for a draft, read from the snapshots
stored at publication for a published one, so its history never changes."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from .. import scoring
from ..choices import (
    OVERALL,
    AssessmentState,
    AssessorKind,
    Enforcement,
    ScoringMethod,
)
from ..models import (
    Assessment,
    AssessmentFinding,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)
from .key_questions import framework_key_questions, key_question_of


def _subject_filter(location_id, service_id) -> dict:
    return {"location_id": location_id, "service_id": service_id}


def previous_rating(*, assessment: Assessment, key_question: str) -> PublishedRating | None:
    """The current CQC rating of the subject's key question at the assessment's date (the fallback for
    statements not assessed): the latest CQC rating on or before that date, other than this assessment's own."""
    return (
        PublishedRating.objects.filter(
            organisation_id=assessment.organisation_id,
            key_question=key_question,
            assessor_kind=AssessorKind.CQC,
            rated_on__lte=assessment.assessed_on,
            **_subject_filter(assessment.location_id, assessment.service_id),
        )
        .exclude(assessment=assessment)
        .order_by("-rated_on", "-id")
        .first()
    )


def statement_value(
    method: str, statement: StatementAssessment, categories: list | None = None
) -> scoring.StatementValue:
    """What the engine takes for a statement: a score, evidence-category scores, or None (not assessed).

    Evidence categories are put in the framework's order (PostgreSQL's jsonb does not keep key order), so the
    working always lists them the same way.
    """
    if method == ScoringMethod.EVIDENCE:
        if not statement.evidence_scores:
            return None
        order = [c["key"] for c in categories or [] if "key" in c]
        scores = statement.evidence_scores
        keys = [k for k in order if k in scores] + sorted(k for k in scores if k not in order)
        return scoring.StatementInput.from_evidence({k: scores[k] for k in keys})
    return statement.score


def _rating_of(snapshot: RatingSnapshot | None, result) -> scoring.Rating | None:
    """The rating stored at publication when there is a snapshot, else the one the engine works out now."""
    if snapshot is not None:
        return scoring.Rating.parse(snapshot.rating)
    return result.rating if result else None


def _working_of(snapshot: RatingSnapshot | None, result) -> str:
    """The working stored at publication when there is a snapshot, else the engine's working now."""
    if snapshot is not None:
        return snapshot.working
    return result.working if result else ""


@dataclass
class KeyQuestionOutcome:
    """One key question of an assessment: its statements and, if any was assessed, the engine's result."""

    code: str
    name: str
    statements: list[StatementAssessment]
    previous: PublishedRating | None = None
    result: scoring.KeyQuestionResult | None = None
    problem: str = ""
    requirement_notice: bool = False
    warning_notice: bool = False
    snapshot: RatingSnapshot | None = None

    @property
    def assessed(self) -> int:
        return sum(1 for s in self.statements if s.is_scored)

    @property
    def rating(self) -> scoring.Rating | None:
        return _rating_of(self.snapshot, self.result)

    @property
    def working(self) -> str:
        return _working_of(self.snapshot, self.result)

    @property
    def carried_forward(self) -> list[str]:
        if self.snapshot is not None:
            return list(self.snapshot.carried_forward)
        return list(self.result.carried_forward) if self.result else []

    @property
    def scores(self) -> list[tuple[str, str, int, bool]]:
        """Each statement in the result as (code, name, score, carried from the previous rating)."""
        names = {s.element.code: s.element.name for s in self.statements}
        if self.snapshot is not None:
            rows = [
                (r["statement"], r["score"], r["source"] == scoring.ScoreSource.PREVIOUS_RATING)
                for r in self.snapshot.result.get("statements", [])
            ]
        elif self.result is not None:
            rows = [(s.statement, s.score, s.carried_forward) for s in self.result.statements]
        else:
            rows = []
        return [(code, names.get(code, ""), score, carried) for code, score, carried in rows]

    @property
    def limiter_notes(self) -> list[dict]:
        if self.snapshot is not None:
            return list(self.snapshot.result.get("limiters", []))
        if self.result is None:
            return []
        return [
            {"limiter": o.limiter.value, "enabled": o.enabled, "lowered": o.lowered, "detail": o.detail}
            for o in self.result.limiters
        ]

    @property
    def held_down_by(self) -> list[str]:
        """The limiters that lowered the rating below its percentage's band, named for a sentence."""
        from ..scoring.limiters import Limiter

        return [Limiter(note["limiter"]).label for note in self.limiter_notes if note.get("lowered")]

    @property
    def report_score(self) -> str:
        if self.snapshot is not None:
            return (
                f"scored {self.snapshot.percentage_text.rstrip('%')} (out of 100)"
                if self.snapshot.percentage_text
                else ""
            )
        return self.result.report_score if self.result else ""


@dataclass
class AssessmentOutcome:
    """Every key question's outcome, the overall rating where the framework has several key questions,
    and what stops the assessment being published."""

    key_questions: list[KeyQuestionOutcome]
    overall: scoring.AggregateResult | None = None
    overall_snapshot: RatingSnapshot | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def rated(self) -> list[KeyQuestionOutcome]:
        return [kq for kq in self.key_questions if kq.rating is not None]

    @property
    def overall_rating(self) -> scoring.Rating | None:
        return _rating_of(self.overall_snapshot, self.overall)

    @property
    def overall_working(self) -> str:
        return _working_of(self.overall_snapshot, self.overall)


def _notices(findings: list[AssessmentFinding]) -> dict[str, set[str]]:
    """Which key questions have a breach with a requirement notice or a warning notice."""
    notices: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.enforcement:
            notices[key_question_of(finding.element)].add(finding.enforcement)
    return notices


def assessment_outcome(
    *,
    assessment: Assessment,
    statements: list[StatementAssessment] | None = None,
    findings: list[AssessmentFinding] | None = None,
) -> AssessmentOutcome:
    """The assessment's ratings: the stored snapshots if published, else worked out now by the engine."""
    if statements is None:
        statements = list(
            assessment.statements.select_related("element", "element__parent").order_by("element__order")
        )
    if findings is None:
        findings = list(assessment.findings.select_related("element", "element__parent"))
    by_element = {s.element_id: s for s in statements}
    outcomes = [
        KeyQuestionOutcome(kq.code, kq.name, [by_element[e.pk] for e in kq.statements if e.pk in by_element])
        for kq in framework_key_questions(assessment.framework)
    ]
    if assessment.state == AssessmentState.PUBLISHED:
        snapshots = {s.key_question: s for s in assessment.snapshots.all()}
        for kq in outcomes:
            kq.snapshot = snapshots.get(kq.code)
        return AssessmentOutcome(outcomes, overall_snapshot=snapshots.get(OVERALL))

    rules = scoring.ScoringRules.from_dict(assessment.scoring_rules)
    notices = _notices(findings)
    problems: list[str] = []
    for kq in outcomes:
        kq.requirement_notice = Enforcement.REQUIREMENT_NOTICE in notices.get(kq.code, ())
        kq.warning_notice = Enforcement.WARNING_NOTICE in notices.get(kq.code, ())
        if not kq.assessed:
            continue
        kq.previous = previous_rating(assessment=assessment, key_question=kq.code)
        values = {
            s.element.code: statement_value(assessment.method, s, assessment.framework.evidence_categories)
            for s in kq.statements
        }
        score = functools.partial(
            scoring.score_key_question,
            previous_rating=kq.previous.rating if kq.previous else None,
            rules=rules,
            key_question=kq.name,
            requirement_notice=kq.requirement_notice,
            warning_notice=kq.warning_notice,
        )
        try:
            kq.result = score(values)
        except scoring.ScoringError as exc:
            kq.problem = str(exc)
            problems.append(str(exc)[:1].upper() + str(exc)[1:] + ".")
            # A partial result of the statements scored so far, clearly short of the full set.
            try:
                kq.result = score({code: v for code, v in values.items() if v is not None})
            except scoring.ScoringError:
                kq.result = None
    outcome = AssessmentOutcome(outcomes, problems=problems)
    if not any(kq.result for kq in outcomes) and not problems:
        outcome.problems.append("No statement has been scored yet.")
    if len(outcomes) > 1 and any(kq.result and not kq.problem for kq in outcomes):
        outcome.overall = overall_rating(assessment=assessment, outcomes=outcomes)
    return outcome


def overall_rating(*, assessment: Assessment, outcomes: list[KeyQuestionOutcome]) -> scoring.AggregateResult:
    """The subject's overall rating: this assessment's key question ratings, with the current CQC rating
    standing for any key question it did not rate (as CQC's overall rating combines all five)."""
    ratings: dict[str, scoring.Rating | str | None] = {}
    for kq in outcomes:
        if kq.result is not None and not kq.problem:
            ratings[kq.name] = kq.result.rating
        else:
            previous = previous_rating(assessment=assessment, key_question=kq.code)
            ratings[kq.name] = previous.rating if previous else None
    return scoring.aggregate_ratings(ratings, label="overall", level=assessment.level)
