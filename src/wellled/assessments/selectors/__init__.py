"""Reads for assessments and ratings, always through the signed-in person's membership of the organisation.

The rating of a draft is worked out afresh by the scoring engine each time it is shown; a published
assessment is shown from the snapshots stored when it was published, so its history never changes. The reads
live in `getters`, `key_questions`, `outcome`, `ratings` and `comparison`; this package names them all.
"""

from .comparison import Comparison, ComparisonRow, as_decimal, comparison, latest_cqc_assessment
from .getters import (
    assessment_findings,
    assessment_get,
    assessment_statements,
    assessments_for_user,
    evidence_get,
    finding_get,
    statement_get,
    subject_units,
)
from .key_questions import STATEMENT_KINDS, KeyQuestionDef, framework_key_questions, key_question_of
from .outcome import (
    AssessmentOutcome,
    KeyQuestionOutcome,
    assessment_outcome,
    overall_rating,
    previous_rating,
    statement_value,
)
from .ratings import (
    GridRow,
    TimelineCell,
    TimelineEntry,
    ratings_for_user,
    ratings_grid,
    subject_resolve,
    subject_timeline,
    timeline_summary,
    trust_cqc_timelines,
)

__all__ = [
    "AssessmentOutcome",
    "Comparison",
    "ComparisonRow",
    "GridRow",
    "KeyQuestionDef",
    "KeyQuestionOutcome",
    "STATEMENT_KINDS",
    "TimelineCell",
    "TimelineEntry",
    "as_decimal",
    "assessment_findings",
    "assessment_get",
    "assessment_outcome",
    "assessment_statements",
    "assessments_for_user",
    "comparison",
    "evidence_get",
    "finding_get",
    "framework_key_questions",
    "key_question_of",
    "latest_cqc_assessment",
    "overall_rating",
    "previous_rating",
    "ratings_for_user",
    "ratings_grid",
    "statement_get",
    "statement_value",
    "subject_resolve",
    "subject_timeline",
    "subject_units",
    "timeline_summary",
    "trust_cqc_timelines",
]
