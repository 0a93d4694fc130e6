"""CQC-style scoring in plain Python: statement scores to key question ratings, and ratings upwards.

No Django here, so the rules can be tested and reused on their own; see docs/scoring.md.
"""

from .aggregate import WELL_LED, Level, aggregate_ratings, outstanding_needed
from .errors import ScoringError
from .key_question import StatementValue, score_key_question
from .limiters import Limiter, LimiterOutcome
from .ratings import (
    BANDS,
    GOOD_BAND,
    HIGHEST_PERCENTAGE,
    INADEQUATE_BAND,
    LOWEST_PERCENTAGE,
    NOT_RATED_STYLE,
    OUTSTANDING_BAND,
    REQUIRES_IMPROVEMENT_BAND,
    Band,
    Rating,
    RatingStyle,
    band_of,
    rating_for_percentage,
)
from .results import (
    AggregateResult,
    AggregationPrinciple,
    EvidenceScore,
    KeyQuestionResult,
    ScoreSource,
    StatementScore,
)
from .rounding import DEFAULT_ROUNDING, Percentage, RoundingRule, percentage_of
from .rules import DEFAULT_RULES, ScoringRules
from .statement import StatementInput, score_statement

__all__ = [
    "BANDS",
    "DEFAULT_ROUNDING",
    "DEFAULT_RULES",
    "GOOD_BAND",
    "HIGHEST_PERCENTAGE",
    "INADEQUATE_BAND",
    "LOWEST_PERCENTAGE",
    "NOT_RATED_STYLE",
    "OUTSTANDING_BAND",
    "REQUIRES_IMPROVEMENT_BAND",
    "WELL_LED",
    "AggregateResult",
    "AggregationPrinciple",
    "Band",
    "EvidenceScore",
    "KeyQuestionResult",
    "Level",
    "Limiter",
    "LimiterOutcome",
    "Percentage",
    "Rating",
    "RatingStyle",
    "RoundingRule",
    "ScoreSource",
    "ScoringError",
    "ScoringRules",
    "StatementInput",
    "StatementScore",
    "StatementValue",
    "aggregate_ratings",
    "band_of",
    "outstanding_needed",
    "percentage_of",
    "rating_for_percentage",
    "score_key_question",
    "score_statement",
]
