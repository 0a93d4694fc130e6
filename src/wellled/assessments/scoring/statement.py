"""A quality statement's score: given directly 1-4, or worked out from evidence-category scores.

Since December 2024 CQC inspectors give each statement one score. Before then each relevant evidence
category was scored 1-4 and the statement's score came from the percentage of their sum over
(categories x 4), put through the same bands as a key question: CQC's worked example is
3 + 2 + 3 + 3 = 11 of 16 = 69%, a score of 3 (shared/domain/cqc_scoring.md, "Scores"). Both are supported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import ScoringError
from .ratings import HIGHEST_SCORE, LOWEST_SCORE, rating_for_percentage
from .results import EvidenceScore, ScoreSource, StatementScore
from .rounding import DEFAULT_ROUNDING, RoundingRule, percentage_of


@dataclass(frozen=True)
class StatementInput:
    """What was recorded for one statement: a direct score, or scores per evidence category, not both."""

    score: int | None = None
    evidence: Mapping[str, int] | None = None

    def __post_init__(self) -> None:
        """Keep a read-only copy of the evidence scores so the input cannot change after scoring."""
        if self.evidence is not None:
            if not isinstance(self.evidence, Mapping):
                raise ScoringError(
                    f"evidence-category scores must be a mapping of category to score, not {self.evidence!r}"
                )
            object.__setattr__(self, "evidence", MappingProxyType(dict(self.evidence)))

    @classmethod
    def direct(cls, score: int) -> StatementInput:
        """A statement scored directly, as CQC has done since December 2024."""
        return cls(score=score)

    @classmethod
    def from_evidence(cls, evidence: Mapping[str, int]) -> StatementInput:
        """A statement scored by evidence category, as CQC did before December 2024."""
        return cls(evidence=evidence)


def check_score(value: object, where: str) -> int:
    """A valid score 1-4 (booleans are not scores), or a ScoringError that says where the bad value was."""
    if isinstance(value, int) and not isinstance(value, bool) and LOWEST_SCORE <= value <= HIGHEST_SCORE:
        return value
    raise ScoringError(f"{where}: score {value!r} is not a whole number from 1 to 4")


def score_statement(
    statement: str, value: StatementInput | int, *, rounding: RoundingRule = DEFAULT_ROUNDING
) -> StatementScore:
    """Score one statement from a direct score or evidence-category scores, keeping the working."""
    if not isinstance(statement, str) or not statement.strip():
        raise ScoringError(f"a statement needs an id such as 'W1', not {statement!r}")
    where = f"statement {statement}"
    if isinstance(value, int) and not isinstance(value, bool):
        return StatementScore(statement, check_score(value, where), ScoreSource.DIRECT)
    if not isinstance(value, StatementInput):
        raise ScoringError(f"{where}: expected a score from 1 to 4 or a StatementInput, not {value!r}")
    if value.score is not None and value.evidence is not None:
        raise ScoringError(f"{where}: give a direct score or evidence-category scores, not both")
    if value.score is not None:
        return StatementScore(statement, check_score(value.score, where), ScoreSource.DIRECT)
    if not value.evidence:
        raise ScoringError(f"{where}: no score and no evidence-category scores were given")
    evidence = tuple(
        EvidenceScore(category, _check_category(category, score, where))
        for category, score in value.evidence.items()
    )
    percentage = percentage_of(sum(e.score for e in evidence), len(evidence), rounding)
    score = rating_for_percentage(percentage.value).score
    return StatementScore(statement, score, ScoreSource.EVIDENCE, evidence, percentage)


def _check_category(category: object, score: object, where: str) -> int:
    """A valid evidence-category score, the error naming the statement and the category."""
    if not isinstance(category, str) or not category.strip():
        raise ScoringError(f"{where}: evidence category {category!r} needs a name")
    return check_score(score, f"{where}, evidence category {category!r}")
