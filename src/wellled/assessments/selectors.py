"""Reads for assessments and ratings, always through the signed-in person's membership of the organisation.

The rating of a draft is worked out afresh by the scoring engine each time it is shown; a published
assessment is shown from the snapshots stored when it was published, so its history never changes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from wellled.core.choices import UnitKind
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped
from wellled.frameworks.models import ElementKind, Framework, FrameworkElement

from . import scoring
from .choices import (
    KEY_QUESTION_COLUMNS,
    KEY_QUESTIONS,
    OVERALL,
    AssessmentState,
    AssessorKind,
    Enforcement,
    ScoringMethod,
)
from .models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)

STATEMENT_KINDS = (ElementKind.QUALITY_STATEMENT, ElementKind.KLOE, ElementKind.ELEMENT)


# Getters ------------------------------------------------------------------------------------------------------


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


# Frameworks as key questions ----------------------------------------------------------------------------------


@dataclass
class KeyQuestionDef:
    """A key question of a framework and the statements (or KLOEs) that make it up."""

    code: str
    name: str
    statements: list[FrameworkElement]


def framework_key_questions(framework: Framework) -> list[KeyQuestionDef]:
    """The framework's key questions with their statements; a framework of KLOEs alone is one well-led question."""
    elements = list(framework.elements.order_by("order"))
    key_questions = [e for e in elements if e.kind == ElementKind.KEY_QUESTION]
    if key_questions:
        return [
            KeyQuestionDef(
                kq.code, kq.name, [e for e in elements if e.parent_id == kq.pk and e.kind in STATEMENT_KINDS]
            )
            for kq in key_questions
        ]
    top = [e for e in elements if e.parent_id is None and e.kind in STATEMENT_KINDS]
    return [KeyQuestionDef("well_led", KEY_QUESTIONS["well_led"], top)] if top else []


def key_question_of(element: FrameworkElement) -> str:
    """The key question code a statement belongs to."""
    if element.parent_id and element.parent.kind == ElementKind.KEY_QUESTION:
        return element.parent.code
    return "well_led"


# Ratings ------------------------------------------------------------------------------------------------------


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
        if self.snapshot is not None:
            return scoring.Rating.parse(self.snapshot.rating)
        return self.result.rating if self.result else None

    @property
    def working(self) -> str:
        if self.snapshot is not None:
            return self.snapshot.working
        return self.result.working if self.result else ""

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
        from .scoring.limiters import Limiter

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
        if self.overall_snapshot is not None:
            return scoring.Rating.parse(self.overall_snapshot.rating)
        return self.overall.rating if self.overall else None

    @property
    def overall_working(self) -> str:
        if self.overall_snapshot is not None:
            return self.overall_snapshot.working
        return self.overall.working if self.overall else ""


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
        kwargs = {
            "previous_rating": kq.previous.rating if kq.previous else None,
            "rules": rules,
            "key_question": kq.name,
            "requirement_notice": kq.requirement_notice,
            "warning_notice": kq.warning_notice,
        }
        try:
            kq.result = scoring.score_key_question(values, **kwargs)
        except scoring.ScoringError as exc:
            kq.problem = str(exc)
            problems.append(str(exc)[:1].upper() + str(exc)[1:] + ".")
            # A partial result of the statements scored so far, clearly short of the full set.
            try:
                kq.result = scoring.score_key_question(
                    {code: v for code, v in values.items() if v is not None}, **kwargs
                )
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


# Ratings grid and timelines -----------------------------------------------------------------------------------


def ratings_for_user(*, user: User, organisation: Organisation) -> QuerySet[PublishedRating]:
    """The organisation's published ratings, if the user belongs to it."""
    return scoped(PublishedRating.objects.all(), user=user, organisation=organisation).select_related(
        "location", "service", "assessment", "organisation"
    )


@dataclass
class GridRow:
    """One subject of the ratings grid: its latest rating per key question."""

    location: OrganisationUnit | None
    service: OrganisationUnit | None
    label: str
    cells: dict[str, PublishedRating | None]

    @property
    def query(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(f"location={self.location.pk}")
        if self.service is not None:
            parts.append(f"service={self.service.pk}")
        return "&".join(parts)


def _subject_sort(rating: PublishedRating) -> tuple:
    level = 0 if not rating.location_id and not rating.service_id else (1 if not rating.service_id else 2)
    location = rating.location.name if rating.location_id else ""
    return (location, level, rating.service.name if rating.service_id else "")


def ratings_grid(*, user: User, organisation: Organisation, own: bool = False) -> list[GridRow]:
    """The latest rating of each subject's key questions: CQC's (default) or the trust's own assessments."""
    ratings = ratings_for_user(user=user, organisation=organisation)
    ratings = (
        ratings.exclude(assessor_kind=AssessorKind.CQC)
        if own
        else ratings.filter(assessor_kind=AssessorKind.CQC)
    )
    latest: dict[tuple, dict[str, PublishedRating]] = defaultdict(dict)
    first: dict[tuple, PublishedRating] = {}
    for rating in ratings.order_by("rated_on", "id"):
        key = (rating.location_id, rating.service_id)
        latest[key][rating.key_question] = rating  # later dates overwrite earlier ones
        first.setdefault(key, rating)
    rows = [
        GridRow(
            sample.location,
            sample.service,
            sample.subject_label,
            {kq: latest[key].get(kq) for kq in KEY_QUESTION_COLUMNS},
        )
        for key, sample in sorted(first.items(), key=lambda item: _subject_sort(item[1]))
    ]
    return rows


@dataclass
class TimelineCell:
    rating: PublishedRating
    previous: PublishedRating | None

    @property
    def direction(self) -> str:
        """'improved', 'declined', 'unchanged' against the previous rating of the same kind, or '' if none."""
        if self.previous is None:
            return ""
        now = scoring.Rating.parse(self.rating.rating).score
        before = scoring.Rating.parse(self.previous.rating).score
        return "improved" if now > before else "declined" if now < before else "unchanged"


@dataclass
class TimelineEntry:
    """One dated rating event of a subject: an inspection, an import or a published assessment."""

    rated_on: datetime.date
    assessor_kind: str
    assessor_label: str
    assessment: Assessment | None
    cells: dict[str, TimelineCell | None]


def subject_resolve(
    *, user: User, organisation: Organisation, location: str | None, service: str | None
) -> tuple[OrganisationUnit | None, OrganisationUnit | None]:
    """The units a timeline URL names, each a unit of the organisation of the right kind, or 404."""
    sites, services = subject_units(user=user, organisation=organisation)
    chosen_location = get_or_404(sites, pk=location) if location else None
    chosen_service = get_or_404(services, pk=service) if service else None
    return chosen_location, chosen_service


def subject_timeline(
    *,
    user: User,
    organisation: Organisation,
    location: OrganisationUnit | None,
    service: OrganisationUnit | None,
) -> list[TimelineEntry]:
    """A subject's ratings over time, newest first, each with its direction of travel against the previous
    rating of the same kind of assessor (CQC against CQC, the trust's own against its own)."""
    ratings = (
        ratings_for_user(user=user, organisation=organisation)
        .filter(location=location, service=service)
        .order_by("rated_on", "id")
    )
    groups: dict[tuple, list[PublishedRating]] = {}
    for rating in ratings:
        groups.setdefault((rating.rated_on, rating.assessor_kind, rating.assessment_id), []).append(rating)
    last: dict[tuple[str, str], PublishedRating] = {}
    entries = []
    for (rated_on, kind, _), rows in groups.items():
        series = "cqc" if kind == AssessorKind.CQC else "own"
        cells: dict[str, TimelineCell | None] = dict.fromkeys(KEY_QUESTION_COLUMNS)
        for rating in rows:
            cells[rating.key_question] = TimelineCell(rating, last.get((series, rating.key_question)))
        for rating in rows:
            last[(series, rating.key_question)] = rating
        entries.append(TimelineEntry(rated_on, kind, AssessorKind(kind).label, rows[0].assessment, cells))
    entries.reverse()
    return entries


def timeline_summary(entries: list[TimelineEntry]) -> dict[str, TimelineCell]:
    """The latest CQC rating of each key question with its direction of travel, for the top of a timeline."""
    summary: dict[str, TimelineCell] = {}
    for entry in entries:  # newest first
        if entry.assessor_kind != AssessorKind.CQC:
            continue
        for kq, cell in entry.cells.items():
            if cell is not None and kq not in summary:
                summary[kq] = cell
    return summary


# Comparison with the latest CQC view --------------------------------------------------------------------------


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


def latest_cqc_assessment(
    *, user: User, organisation: Organisation, assessment: Assessment
) -> Assessment | None:
    """The latest published CQC assessment of the same subject against the same framework."""
    return (
        assessments_for_user(user=user, organisation=organisation)
        .filter(
            assessor_kind=AssessorKind.CQC,
            state=AssessmentState.PUBLISHED,
            framework=assessment.framework,
            location_id=assessment.location_id,
            service_id=assessment.service_id,
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
            .filter(
                key_question=kq.code,
                assessor_kind=AssessorKind.CQC,
                location_id=assessment.location_id,
                service_id=assessment.service_id,
            )
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
            elif current[kq.code] is not None:
                implied = scoring.Rating.parse(current[kq.code].rating).score
                rows.append(ComparisonRow(s, kq.code, own, implied, "rating"))
            else:
                rows.append(ComparisonRow(s, kq.code, own, None, ""))
    key_questions = [(kq.code, kq.name, current[kq.code], kq.rating) for kq in outcome.key_questions]
    return Comparison(cqc, rows, key_questions)


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(float(value), 2)))
