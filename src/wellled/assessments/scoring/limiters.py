"""Limiters: facts such as enforcement notices that hold a key question's rating below its percentage.

From the domain notes (shared/domain/cqc_scoring.md, "Limiters"): a regulation breach with a requirement
notice normally holds the linked rating at requires improvement at best; a warning notice normally makes
it inadequate; and, UNCONFIRMED, a statement scored 1 may hold the key question at requires improvement
even when the percentage is in the good band. Each limiter is a ceiling; the rating is the lowest of the
percentage's rating and the ceilings of the limiters that are both triggered and switched on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .ratings import Rating, worst
from .rules import ScoringRules


class Limiter(StrEnum):
    """A rule that can hold a key question's rating down, whatever its percentage."""

    REQUIREMENT_NOTICE = "requirement_notice"
    WARNING_NOTICE = "warning_notice"
    STATEMENT_SCORED_ONE = "statement_scored_one"

    @property
    def ceiling(self) -> Rating:
        """The best rating the key question can have while this limiter applies."""
        if self is Limiter.WARNING_NOTICE:
            return Rating.INADEQUATE
        return Rating.REQUIRES_IMPROVEMENT

    @property
    def confirmed(self) -> bool:
        """Whether the domain notes state this limiter as CQC practice (False: recollection only)."""
        return self is not Limiter.STATEMENT_SCORED_ONE

    @property
    def label(self) -> str:
        """The limiter's name inside a sentence."""
        return _LABELS[self]

    def enabled(self, rules: ScoringRules) -> bool:
        """Whether the settings switch this limiter on."""
        return {
            Limiter.REQUIREMENT_NOTICE: rules.requirement_notice_caps,
            Limiter.WARNING_NOTICE: rules.warning_notice_caps,
            Limiter.STATEMENT_SCORED_ONE: rules.statement_scored_one_caps,
        }[self]


_LABELS: dict[Limiter, str] = {
    Limiter.REQUIREMENT_NOTICE: "a requirement notice",
    Limiter.WARNING_NOTICE: "a warning notice",
    Limiter.STATEMENT_SCORED_ONE: "a statement scored 1",
}


@dataclass(frozen=True)
class LimiterOutcome:
    """One triggered limiter: whether it was switched on and whether it held the rating down."""

    limiter: Limiter
    enabled: bool
    lowered: bool
    detail: str = ""

    @property
    def ceiling(self) -> Rating:
        """The best rating this limiter allows."""
        return self.limiter.ceiling

    @property
    def text(self) -> str:
        """The limiter named for the working, with its detail, e.g. "a statement scored 1 (W5)"."""
        return f"{self.limiter.label} ({self.detail})" if self.detail else self.limiter.label


def apply_limiters(
    rating: Rating, triggered: Sequence[tuple[Limiter, str]], rules: ScoringRules
) -> tuple[Rating, tuple[LimiterOutcome, ...]]:
    """The rating after the triggered limiters that are switched on, and an outcome for each triggered one."""
    outcomes = tuple(
        LimiterOutcome(
            limiter=limiter,
            enabled=limiter.enabled(rules),
            lowered=limiter.enabled(rules) and limiter.ceiling.score < rating.score,
            detail=detail,
        )
        for limiter, detail in triggered
    )
    ceilings = [o.ceiling for o in outcomes if o.enabled]
    return worst([rating, *ceilings]), outcomes
