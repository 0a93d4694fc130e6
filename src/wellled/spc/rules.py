"""The MDC special-cause rules, vectorised over segments, and their precedence.

Rules never cross a segment (series or rebase group). Codes follow types.RULE_CODES:
1 outside limits, 2 trend, 3 two in three, 4 shift; side is +1 (high) or -1 (low).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .limits import Limits
from .segments import (
    BoolArray,
    FloatArray,
    Layout,
    all_back,
    any_ahead,
    any_back,
    linked_pairs,
    seg_diff,
)

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


def trend_side(
    steps: FloatArray | None, part: BoolArray, link: BoolArray, up: BoolArray | None = None
) -> Int8Array:
    """Direction of each trend row: the step to the next row when that row is also in a trend,
    else the step from the previous row (NHSRplotthedots 0.2.2); anything but a rise is a fall.

    `up` (steps > 0) may be passed instead of the steps when the caller has it already."""
    if up is None:
        assert steps is not None
        with np.errstate(invalid="ignore"):
            up = steps > 0
    use_next = np.zeros_like(part)
    use_next[:-1] = part[:-1] & part[1:] & link[1:]
    rises = up & ~use_next
    rises[:-1] |= use_next[:-1] & up[1:]
    return (rises.view(np.int8) * np.int8(2) - np.int8(1)).astype(np.int8)


def two_in_three_part(close: BoolArray, relative: Int8Array, link: BoolArray) -> BoolArray:
    """Close-to-limit rows in a window of 3 rows of one segment holding 2+ close rows, all 3 on one side."""
    return _two_in_three(close, linked_pairs(relative > 0, link), linked_pairs(relative < 0, link))


def _two_in_three(close: BoolArray, above_pairs: BoolArray, below_pairs: BoolArray) -> BoolArray:
    """two_in_three_part from the linked pairs of rows above and below the centre line.

    Three rows i..i+2 are in one segment on one side exactly when rows i+1 and i+2 both pair with the row before.
    """
    n = close.shape[0]
    if n < 3:
        return np.zeros(n, dtype=np.bool_)
    c0, c1, c2 = close[:-2], close[1:-1], close[2:]
    two = c1 & c2
    two |= c0 & (c1 | c2)
    one_side = above_pairs[1:-1] & above_pairs[2:]
    one_side |= below_pairs[1:-1] & below_pairs[2:]
    ok = two & one_side  # window starts
    hit = np.zeros(n, dtype=np.bool_)
    hit[:-2] = ok
    hit[1:-1] |= ok
    hit[2:] |= ok
    return close & hit


def position_flags(y: FloatArray, limits: Limits) -> tuple[BoolArray, BoolArray, Int8Array]:
    """Outside the limits (strictly), close to them (beyond two sigma but inside), and side of centre."""
    outside, close, above, below = _positions(y, limits)
    return outside, close, _relative(above, below)


def _positions(y: FloatArray, limits: Limits) -> tuple[BoolArray, BoolArray, BoolArray, BoolArray]:
    """Outside, close, above the centre and below it: one comparison pass per line."""
    with np.errstate(invalid="ignore"):
        outside = y > limits.upper
        outside |= y < limits.lower
        close = y > limits.upper_two_sigma
        close |= y < limits.lower_two_sigma
        close &= ~outside
        above = y > limits.centre
        below = y < limits.centre
    return outside, close, above, below


def _relative(above: BoolArray, below: BoolArray) -> Int8Array:
    """Sign of value minus centre: +1 above, -1 below, 0 on the line or missing."""
    relative: Int8Array = np.subtract(above.view(np.int8), below.view(np.int8))
    return relative


# Bits of the packed rule array: a rising step, a falling step, a linked pair above the centre, one below.
_UP, _DOWN, _ABOVE, _BELOW = 1, 2, 4, 8


def _pack(bits: tuple[tuple[BoolArray, int], ...]) -> NDArray[np.uint8]:
    """Several boolean rows packed into one uint8 array (bitwise window passes then serve them all at once)."""
    packed = bits[0][0].view(np.uint8) * np.uint8(bits[0][1])
    for flags, bit in bits[1:]:
        packed |= flags.view(np.uint8) * np.uint8(bit)
    return packed


def _in_runs(packed: NDArray[np.uint8], length: int) -> NDArray[np.uint8]:
    """Rows inside a run of `length` rows, for each bit: `length - 1` links in a row end a run, spread over it."""
    return any_ahead(all_back(packed, length - 1), length)  # type: ignore[no-any-return]


def _trend_and_shift(
    up: BoolArray, down: BoolArray, above_pairs: BoolArray, below_pairs: BoolArray, trend: int, shift: int
) -> tuple[BoolArray, BoolArray]:
    """Rows in a trend (either way) and in a shift (either side), sharing the window passes when lengths match."""
    if trend == shift:
        runs = _in_runs(
            _pack(((up, _UP), (down, _DOWN), (above_pairs, _ABOVE), (below_pairs, _BELOW))), trend
        )
        return (runs & np.uint8(_UP | _DOWN)) != 0, (runs & np.uint8(_ABOVE | _BELOW)) != 0
    trends = _in_runs(_pack(((up, _UP), (down, _DOWN))), trend)
    shifts = _in_runs(_pack(((above_pairs, _UP), (below_pairs, _DOWN))), shift)
    return trends != 0, shifts != 0


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


def rises_and_falls(y: FloatArray, link: BoolArray) -> tuple[BoolArray, BoolArray]:
    """Rows strictly above (below) the row before in one segment: seg_diff(y) > 0 (< 0) without the differences.

    For IEEE doubles b - a > 0 exactly when b > a (subtraction is correctly rounded and underflows gradually; an
    overflow is still positive; NaN and inf - inf compare false both ways), so the result is the same bit for bit.
    """
    n = y.shape[0]
    up, down = np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_)
    if n > 1:
        with np.errstate(invalid="ignore"):
            np.greater(y[1:], y[:-1], out=up[1:])
            np.less(y[1:], y[:-1], out=down[1:])
        up &= link
        down &= link
    return up, down


def mdc_rules(
    y: FloatArray, limits: Limits, layout: Layout, *, trend_length: int, shift_length: int
) -> Flags:
    """All four MDC rules with their precedence, for every row of every segment.

    The runs of the trend and shift rules are found together, on one packed array (ADR 0060).
    """
    outside, close, above, below = _positions(y, limits)
    relative = _relative(above, below)
    link = layout.link
    up, down = rises_and_falls(y, link)
    above_pairs, below_pairs = linked_pairs(above, link), linked_pairs(below, link)
    trend, shift = _trend_and_shift(up, down, above_pairs, below_pairs, trend_length, shift_length)
    n = y.shape[0]
    tside = trend_side(None, trend, link, up) if trend.any() else np.zeros(n, dtype=np.int8)
    t23 = _two_in_three(close, above_pairs, below_pairs)
    rule, side = combine(outside, trend, tside, t23, shift, relative)
    return Flags(rule, side, outside, close, relative)


def reference_trend_gaps(
    y: FloatArray, layout: Layout, length: int, *, steps: FloatArray | None = None, complete: bool = False
) -> BoolArray:
    """Missing rows inside a window where NHSRplotthedots 0.2.2 stops with an error.

    The reference fails when a window of `length` points of one group holds a missing value
    and every step it can compute goes the same way. We treat the missing value as breaking
    the run instead (so no trend is flagged across it) and report it.
    """
    if complete:  # the caller knows no value is missing
        return np.zeros(y.shape[0], dtype=np.bool_)
    missing = np.isnan(y)
    if not missing.any():
        return np.zeros_like(missing)
    if steps is None:
        steps = seg_diff(y, layout)
    link = layout.link
    gap = np.isnan(steps) & link
    with np.errstate(invalid="ignore"):
        up_or_gap = ((steps > 0) | gap) & link
        down_or_gap = ((steps < 0) | gap) & link
    has_gap = any_back(gap, length - 1)
    ends = (all_back(up_or_gap, length - 1) | all_back(down_or_gap, length - 1)) & has_gap
    return any_ahead(ends, length) & missing
