"""The rounding rule at band edges, a setting, and the percentage it produces from a sum of scores.

CQC prints its bands in whole percentages (63-87% good, 88-100% outstanding, ...), so a percentage such
as 62.5% (20 of 32) or 87.5% (28 of 32) lies in no band until it is rounded. CQC's own rule was not found
(shared/domain/cqc_scoring.md marks it configurable), so each rule below is a setting:

| rule      | 62.5%                      | 87.5%                     |
|-----------|----------------------------|---------------------------|
| half_up   | 63% -> good                | 88% -> outstanding        |
| floor     | 62% -> requires improvement| 87% -> good               |
| ceil      | 63% -> good                | 88% -> outstanding        |
| exact     | 62.5 < 63 -> requires impr.| 87.5 < 88 -> good         |

half_up and ceil differ away from halves: 62.1% is 62% (requires improvement) under half_up but 63%
(good) under ceil.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import ScoringError
from .ratings import HIGHEST_SCORE


class RoundingRule(StrEnum):
    """How an unrounded percentage becomes the value compared with the bands' lowest values."""

    HALF_UP = "half_up"
    FLOOR = "floor"
    CEIL = "ceil"
    EXACT = "exact"

    @property
    def description(self) -> str:
        """One line saying what the rule does, for settings pages and documentation."""
        return _DESCRIPTIONS[self]

    def apply(self, exact: Fraction) -> Fraction:
        """The value compared with the bands: a whole percent for the rounding rules, else unchanged."""
        if self is RoundingRule.HALF_UP:
            return Fraction(math.floor(exact + Fraction(1, 2)))
        if self is RoundingRule.FLOOR:
            return Fraction(math.floor(exact))
        if self is RoundingRule.CEIL:
            return Fraction(math.ceil(exact))
        return exact

    @classmethod
    def parse(cls, value: RoundingRule | str) -> RoundingRule:
        """A rounding rule from its key; rejects anything else with the list of keys."""
        try:
            return cls(value)
        except ValueError:
            keys = ", ".join(r.value for r in cls)
            raise ScoringError(f"unknown rounding rule {value!r}: expected one of {keys}")


DEFAULT_ROUNDING = RoundingRule.HALF_UP

_DESCRIPTIONS: dict[RoundingRule, str] = {
    RoundingRule.HALF_UP: "Round to a whole percent, halves upwards (62.5% is 63%: good). The default.",
    RoundingRule.FLOOR: "Drop the fraction of a percent (62.5% is 62%: requires improvement).",
    RoundingRule.CEIL: "Raise any fraction to the next whole percent (62.1% is 63%: good).",
    RoundingRule.EXACT: (
        "Do not round: compare the exact percentage with each band's lowest value "
        "(62.5% is below 63%: requires improvement)."
    ),
}


def format_percent(value: Fraction) -> str:
    """A percentage as text: whole numbers plainly, others to two decimals, marked "~" when inexact."""
    if value.denominator == 1:
        return f"{value.numerator}%"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if Fraction(text) == value else f"~{text}%"


@dataclass(frozen=True)
class Percentage:
    """A sum of scores out of its maximum, as the exact percentage and the value used for banding."""

    total: int
    maximum: int
    exact: Fraction
    value: Fraction
    rounding: RoundingRule

    @property
    def text(self) -> str:
        """The percentage as printed in the working: the banded value, e.g. "75%" or "62.5%"."""
        return format_percent(self.value)

    @property
    def working(self) -> str:
        """The sum as a report prints it, e.g. "24 of 32 = 75%"."""
        return f"{self.total} of {self.maximum} = {self.text}"


def percentage_of(total: int, count: int, rounding: RoundingRule = DEFAULT_ROUNDING) -> Percentage:
    """The percentage of `count` scores summing to `total`: total / (count x 4) x 100, then the rule."""
    if count < 1:
        raise ScoringError("there are no scores to make a percentage of")
    maximum = count * HIGHEST_SCORE
    exact = Fraction(total * 100, maximum)
    return Percentage(total, maximum, exact, rounding.apply(exact), rounding)
