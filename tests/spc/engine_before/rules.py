"""The MDC special-cause rules, vectorised over segments, and their precedence.

Rules never cross a segment (series or rebase group). Codes follow types.RULE_CODES:
1 outside limits, 2 trend, 3 two in three, 4 shift; side is +1 (high) or -1 (low).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .limits import Limits
from .segments import BoolArray, FloatArray, Layout, all_back, any_ahead, any_back, runs_of, seg_diff

Int8Array = NDArray[np.int8]

RULE_NONE, RULE_OUTSIDE, RULE_TREND, RULE_TWO_IN_THREE, RULE_SHIFT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Flags:
    """Per-row results of the rules: the winning rule code and its side, plus the inputs to them."""

    rule: Int8Array
    side: Int8Array
    outside: BoolArray
    close: BoolArray
    relative: Int8Array  # sign of value minus centre; 0 on the line or when missing


def trend_part(steps: FloatArray, length: int) -> tuple[BoolArray, BoolArray]:
    """Rows inside a run of `length` points each strictly above (or below) the one before.

    `steps` are the differences from the previous row (NaN at segment starts and next to a
    missing value, so they break runs). Returns (in a rising trend, in a falling trend).
    """
    with np.errstate(invalid="ignore"):
        up, down = steps > 0, steps < 0
    rising = any_ahead(all_back(up, length - 1), length)
    falling = any_ahead(all_back(down, length - 1), length)
    return rising, falling


def trend_side(steps: FloatArray, part: BoolArray, link: BoolArray) -> Int8Array:
    """Direction of each trend row: the step to the next row when that row is also in a trend,
    else the step from the previous row (NHSRplotthedots 0.2.2); anything but a rise is a fall."""
    with np.errstate(invalid="ignore"):
        up = steps > 0
    use_next = np.zeros_like(part)
    use_next[:-1] = part[:-1] & part[1:] & link[1:]
    rises = up & ~use_next
    rises[:-1] |= use_next[:-1] & up[1:]
    return (rises.view(np.int8) * np.int8(2) - np.int8(1)).astype(np.int8)


def two_in_three_part(close: BoolArray, relative: Int8Array, link: BoolArray) -> BoolArray:
    """Close-to-limit rows in a window of 3 rows of one segment holding 2+ close rows, all 3 on one side."""
    n = close.shape[0]
    if n < 3:
        return np.zeros(n, dtype=np.bool_)
    c0, c1, c2 = close[:-2], close[1:-1], close[2:]
    above, below = relative > 0, relative < 0
    same_side = (above[:-2] & above[1:-1] & above[2:]) | (below[:-2] & below[1:-1] & below[2:])
    ok = ((c0 & c1) | (c0 & c2) | (c1 & c2)) & same_side & link[1:-1] & link[2:]  # window starts
    hit = np.zeros(n, dtype=np.bool_)
    hit[:-2] |= ok
    hit[1:-1] |= ok
    hit[2:] |= ok
    return close & hit


def position_flags(y: FloatArray, limits: Limits) -> tuple[BoolArray, BoolArray, Int8Array]:
    """Outside the limits (strictly), close to them (beyond two sigma but inside), and side of centre."""
    with np.errstate(invalid="ignore"):
        outside = y > limits.upper
        outside |= y < limits.lower
        close = y > limits.upper_two_sigma
        close |= y < limits.lower_two_sigma
        close &= ~outside
        relative = (y > limits.centre).view(np.int8)
        relative -= (y < limits.centre).view(np.int8)
    return outside, close, relative


def combine(
    outside: BoolArray,
    trend: BoolArray,
    tside: Int8Array,
    two_in_three: BoolArray,
    shift: BoolArray,
    relative: Int8Array,
) -> tuple[Int8Array, Int8Array]:
    """Apply the label precedence: outside limits, then trend, then two in three, then shift."""
    n = outside.shape[0]
    flagged = outside | trend | two_in_three | shift
    if not flagged.any():
        return np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    i8 = np.int8
    # Lowest precedence first; each higher rule overwrites: rule += (code - rule) * mask.
    rule = shift.view(i8) * i8(RULE_SHIFT)
    for mask, code in ((two_in_three, RULE_TWO_IN_THREE), (trend, RULE_TREND), (outside, RULE_OUTSIDE)):
        rule += (i8(code) - rule) * mask.view(i8)
    by_trend = (trend & ~outside).view(i8)
    side = (relative > 0).view(i8) * i8(2) - i8(1)
    side += (tside - side) * by_trend
    side *= flagged.view(i8)
    return rule, side


def mdc_rules(
    y: FloatArray, limits: Limits, layout: Layout, *, trend_length: int, shift_length: int
) -> Flags:
    """All four MDC rules with their precedence, for every row of every segment."""
    outside, close, relative = position_flags(y, limits)
    steps = seg_diff(y, layout)
    rising, falling = trend_part(steps, trend_length)
    trend = rising | falling
    tside = trend_side(steps, trend, layout.link) if trend.any() else np.zeros(y.shape[0], dtype=np.int8)
    t23 = two_in_three_part(close, relative, layout.link)
    shift = runs_of(relative > 0, layout.link, shift_length) | runs_of(
        relative < 0, layout.link, shift_length
    )
    rule, side = combine(outside, trend, tside, t23, shift, relative)
    return Flags(rule, side, outside, close, relative)


def reference_trend_gaps(y: FloatArray, layout: Layout, length: int) -> BoolArray:
    """Missing rows inside a window where NHSRplotthedots 0.2.2 stops with an error.

    The reference fails when a window of `length` points of one group holds a missing value
    and every step it can compute goes the same way. We treat the missing value as breaking
    the run instead (so no trend is flagged across it) and report it.
    """
    missing = np.isnan(y)
    if not missing.any():
        return np.zeros_like(missing)
    steps = seg_diff(y, layout)
    link = layout.link
    gap = np.isnan(steps) & link
    with np.errstate(invalid="ignore"):
        up_or_gap = ((steps > 0) | gap) & link
        down_or_gap = ((steps < 0) | gap) & link
    has_gap = any_back(gap, length - 1)
    ends = (all_back(up_or_gap, length - 1) | all_back(down_or_gap, length - 1)) & has_gap
    return any_ahead(ends, length) & missing
