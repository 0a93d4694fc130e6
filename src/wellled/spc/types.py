"""Enumerations used in results; their values are the JSON strings of the public output."""

from enum import StrEnum


class Direction(StrEnum):
    """Which way is better for the measure."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better, 0 when neither."""
        return {"increase": 1, "decrease": -1, "neutral": 0}[self.value]


class ChartType(StrEnum):
    """The kind of chart: individuals (XmR), run chart, or attribute charts."""

    XMR = "xmr"
    RUN = "run"
    P = "p"
    U = "u"
    C = "c"


class Rule(StrEnum):
    """The special-cause rule that labels a point (highest precedence first)."""

    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    SHIFT = "shift"


class PointType(StrEnum):
    """How a point is coloured: common cause, or special cause read through the direction."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"


class Variation(StrEnum):
    """The variation icon, decided by the last point of the series."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"
    # Fewer points than the method's minimum baseline (constants.MIN_POINTS_FOR_LIMITS): no limits, no verdict.
    TOO_FEW_POINTS = "too_few_points"


class Assurance(StrEnum):
    """The assurance icon: will the process meet its target?"""

    PASS = "pass"  # noqa: S105 (an icon name, not a secret)
    FAIL = "fail"
    HIT_OR_MISS = "hit_or_miss"


# Integer codes used in the vectorised arrays (index into the tuples below; 0 means none).
RULE_CODES: tuple[Rule | None, ...] = (None, Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_IN_THREE, Rule.SHIFT)
POINT_TYPE_CODES: tuple[PointType, ...] = (
    PointType.COMMON_CAUSE,
    PointType.IMPROVEMENT,
    PointType.CONCERN,
    PointType.NEUTRAL_HIGH,
    PointType.NEUTRAL_LOW,
)
VARIATION_CODES: tuple[Variation, ...] = (
    Variation.COMMON_CAUSE,
    Variation.IMPROVEMENT_HIGH,
    Variation.IMPROVEMENT_LOW,
    Variation.CONCERN_HIGH,
    Variation.CONCERN_LOW,
    Variation.NEUTRAL_HIGH,
    Variation.NEUTRAL_LOW,
    Variation.TOO_FEW_POINTS,
)
# The variation code of a series too short for limits (index of Variation.TOO_FEW_POINTS above).
TOO_FEW_CODE = 7
ASSURANCE_CODES: tuple[Assurance | None, ...] = (None, Assurance.PASS, Assurance.FAIL, Assurance.HIT_OR_MISS)
