"""Frozen results of scoring: statement scores, key question results and aggregated ratings, with working."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .limiters import LimiterOutcome
from .ratings import Rating
from .rounding import Percentage
from .rules import ScoringRules


class ScoreSource(StrEnum):
    """Where a statement's score came from."""

    DIRECT = "direct"
    EVIDENCE = "evidence"
    PREVIOUS_RATING = "previous_rating"

    @property
    def description(self) -> str:
        """What the source means, in a line."""
        return {
            ScoreSource.DIRECT: "scored directly 1-4 (CQC's method since December 2024)",
            ScoreSource.EVIDENCE: "from evidence-category scores (CQC's method before December 2024)",
            ScoreSource.PREVIOUS_RATING: "not assessed: the score the key question's previous rating implies",
        }[self]


@dataclass(frozen=True)
class EvidenceScore:
    """One evidence category's score within a statement (the earlier method)."""

    category: str
    score: int


@dataclass(frozen=True)
class StatementScore:
    """A quality statement's 1-4 score, how it was reached, and its working."""

    statement: str
    score: int
    source: ScoreSource
    evidence: tuple[EvidenceScore, ...] = ()
    percentage: Percentage | None = None

    @property
    def carried_forward(self) -> bool:
        """Whether the score was taken from the previous rating because the statement was not assessed."""
        return self.source is ScoreSource.PREVIOUS_RATING

    @property
    def rating(self) -> Rating:
        """The rating the score stands for (4 outstanding ... 1 inadequate)."""
        return Rating.from_score(self.score)

    @property
    def working(self) -> str:
        """How the score was reached, e.g. "people_experience 3, processes 2 = 5 of 8 = 63%: score 3"."""
        if self.source is ScoreSource.EVIDENCE and self.percentage is not None:
            parts = ", ".join(f"{e.category} {e.score}" for e in self.evidence)
            return f"{self.statement}: {parts} = {self.percentage.working}: score {self.score}"
        if self.carried_forward:
            return f"{self.statement}: not assessed, score {self.score} from the previous rating"
        return f"{self.statement}: scored {self.score}"

    def to_dict(self) -> dict[str, Any]:
        """The score as JSON-ready data."""
        data: dict[str, Any] = {"statement": self.statement, "score": self.score, "source": self.source.value}
        if self.evidence:
            data["evidence"] = {e.category: e.score for e in self.evidence}
        if self.percentage is not None:
            data["percentage"] = _percentage_dict(self.percentage)
        return data


@dataclass(frozen=True)
class KeyQuestionResult:
    """A key question's rating with all its working: statement scores, percentage, limiters and text."""

    key_question: str
    statements: tuple[StatementScore, ...]
    percentage: Percentage
    percentage_rating: Rating
    rating: Rating
    previous_rating: Rating | None
    limiters: tuple[LimiterOutcome, ...]
    rules: ScoringRules
    working: str

    @property
    def total(self) -> int:
        """The sum of the statement scores."""
        return self.percentage.total

    @property
    def maximum(self) -> int:
        """The highest possible sum: number of statements x 4."""
        return self.percentage.maximum

    @property
    def carried_forward(self) -> tuple[str, ...]:
        """Statements not assessed this time, scored from the previous rating, in input order."""
        return tuple(s.statement for s in self.statements if s.carried_forward)

    @property
    def assessed(self) -> tuple[str, ...]:
        """Statements scored in this assessment, in input order."""
        return tuple(s.statement for s in self.statements if not s.carried_forward)

    @property
    def limited(self) -> bool:
        """Whether a limiter held the rating below the percentage's rating."""
        return self.rating is not self.percentage_rating

    @property
    def report_score(self) -> str:
        """The score as CQC's reports state it, e.g. "scored 75 (out of 100)"."""
        return f"scored {self.percentage.text.rstrip('%')} (out of 100)"

    def to_dict(self) -> dict[str, Any]:
        """The result and its working as JSON-ready data, for storing beside a published assessment."""
        return {
            "key_question": self.key_question,
            "statements": [s.to_dict() for s in self.statements],
            "carried_forward": list(self.carried_forward),
            "percentage": _percentage_dict(self.percentage),
            "percentage_rating": self.percentage_rating.value,
            "rating": self.rating.value,
            "previous_rating": self.previous_rating.value if self.previous_rating else None,
            "limiters": [
                {"limiter": o.limiter.value, "enabled": o.enabled, "lowered": o.lowered, "detail": o.detail}
                for o in self.limiters
            ],
            "rules": self.rules.to_dict(),
            "working": self.working,
        }


class AggregationPrinciple(StrEnum):
    """Which rating principle decided an aggregated rating."""

    SINGLE_RATING = "single_rating"
    TWO_OR_MORE_INADEQUATE = "two_or_more_inadequate"
    ONE_INADEQUATE = "one_inadequate"
    TWO_OR_MORE_REQUIRES_IMPROVEMENT = "two_or_more_requires_improvement"
    OUTSTANDING = "outstanding"
    GOOD = "good"

    @property
    def description(self) -> str:
        """The principle as the working states it."""
        return _PRINCIPLES[self]


_PRINCIPLES: dict[AggregationPrinciple, str] = {
    AggregationPrinciple.SINGLE_RATING: "one rating only, so it stands as it is",
    AggregationPrinciple.TWO_OR_MORE_INADEQUATE: "two or more inadequate",
    AggregationPrinciple.ONE_INADEQUATE: "one inadequate rules out good",
    AggregationPrinciple.TWO_OR_MORE_REQUIRES_IMPROVEMENT: "two or more requires improvement",
    AggregationPrinciple.OUTSTANDING: "enough outstanding and the rest good",
    AggregationPrinciple.GOOD: "no inadequate and at most one requires improvement",
}


@dataclass(frozen=True)
class AggregateResult:
    """A rating aggregated from the ratings below it, with the principle that decided it and the text."""

    label: str
    ratings: tuple[tuple[str, Rating], ...]
    not_rated: tuple[str, ...]
    rating: Rating
    principle: AggregationPrinciple
    outstanding_needed: int
    working: str

    def count(self, rating: Rating) -> int:
        """How many of the underlying ratings are `rating`."""
        return sum(1 for _, r in self.ratings if r is rating)

    def to_dict(self) -> dict[str, Any]:
        """The result and its working as JSON-ready data."""
        return {
            "label": self.label,
            "ratings": {name: r.value for name, r in self.ratings},
            "not_rated": list(self.not_rated),
            "rating": self.rating.value,
            "principle": self.principle.value,
            "outstanding_needed": self.outstanding_needed,
            "working": self.working,
        }


def _percentage_dict(p: Percentage) -> dict[str, Any]:
    """A percentage as JSON-ready data, keeping the exact value as a fraction string."""
    return {
        "total": p.total,
        "maximum": p.maximum,
        "exact": str(p.exact),
        "value": float(p.value),
        "text": p.text,
        "rounding": p.rounding.value,
    }
