"""The MDC special-cause rules, vectorised over segments, and their precedence.

Rules never cross a segment (series or rebase group). Codes follow types.RULE_CODES:
1 outside limits, 2 trend, 3 two in three, 4 shift; side is +1 (high) or -1 (low).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .limits import Limits
from .segments import (
    AnyArray,
    BoolArray,
    FloatArray,
    IntArray,
    Layout,
    all_back,
    any_ahead,
    any_back,
    linked_pairs,
    nothing,
    scratch,
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


# The fast path of mdc_rules (ADR 0060). Every temporary is a per-thread work array (segments.scratch), so a
# call touches no fresh memory but its outputs; segment starts are cleared by index instead of a pass with
# Layout.link. Each function names the work arrays it writes; none is returned to the caller of mdc_rules.


def _work(slot: str, n: int, dtype: Any = np.bool_) -> AnyArray:
    return scratch("rules." + slot, n, dtype)


def _after(x: FloatArray | BoolArray, op: Any, starts: IntArray, slot: str) -> BoolArray:
    """op(x[i], x[i-1]) for each row, False on each segment's first row, in work array `slot`.

    With op np.greater (np.less) on the values this is seg_diff(y) > 0 (< 0) without the differences: for IEEE
    doubles b - a > 0 exactly when b > a (subtraction is correctly rounded and underflows gradually; an overflow
    keeps its sign; NaN and inf - inf compare false both ways), so the result is the same bit for bit.
    """
    n = x.shape[0]
    out: BoolArray = _work(slot, n)
    out[:1] = False
    if n > 1:
        op(x[1:], x[:-1], out=out[1:])
    out[starts] = False
    return out


def _window_work(x: AnyArray, width: int, combine: Any, back: bool, slots: tuple[str, str]) -> AnyArray:
    """segments.all_back / any_back / any_ahead into two alternating work arrays (never writing x)."""
    n = x.shape[0]
    cur, have, k = x, 1, 0
    while have < width:
        step = min(have, width - have)
        out = _work(slots[k % 2], n, x.dtype)
        if step >= n:
            out[:] = 0 if back and combine is np.bitwise_and else cur
            return out
        if back:
            combine(cur[step:], cur[:-step], out=out[step:])
            out[:step] = 0 if combine is np.bitwise_and else cur[:step]
        else:
            combine(cur[:-step], cur[step:], out=out[:-step])
            out[-step:] = cur[-step:]
        cur, have, k = out, have + step, k + 1
    return cur


def _runs_work(packed: NDArray[np.uint8], length: int, slot: str) -> NDArray[np.uint8]:
    """Rows inside a run of `length` rows, for each bit of `packed`: `length - 1` links in a row end a run
    (all_back), which is then spread over its rows (any_ahead)."""
    ends = _window_work(packed, length - 1, np.bitwise_and, True, (slot + ".a", slot + ".b"))
    return _window_work(ends, length, np.bitwise_or, False, (slot + ".c", slot + ".d"))


def _pack_work(bits: tuple[tuple[BoolArray, int], ...], slot: str) -> NDArray[np.uint8]:
    """Several flag arrays packed into one uint8 work array (flag k in bit value `bit`), so that one bitwise
    window pass serves them all."""
    n = bits[0][0].shape[0]
    packed: NDArray[np.uint8] = _work(slot, n, np.uint8)
    shifted: NDArray[np.uint8] = _work("shifted", n, np.uint8)
    np.multiply(bits[0][0].view(np.uint8), np.uint8(bits[0][1]), out=packed)
    for flags, bit in bits[1:]:
        np.multiply(flags.view(np.uint8), np.uint8(bit), out=shifted)
        packed |= shifted
    return packed


def _any_bits(runs: NDArray[np.uint8], mask: int, slot: str) -> BoolArray:
    """Rows where any bit of `mask` is set, in work array `slot`."""
    n = runs.shape[0]
    masked = np.bitwise_and(runs, np.uint8(mask), out=_work("masked", n, np.uint8))
    out: BoolArray = np.not_equal(masked, 0, out=_work(slot, n))
    return out


def _trend_and_shift_work(
    up: BoolArray, down: BoolArray, above_pairs: BoolArray, below_pairs: BoolArray, trend: int, shift: int
) -> tuple[BoolArray, BoolArray]:
    """Rows in a trend (either way) and in a shift (either side): one packed array and one set of window passes
    when the lengths match (a trend is length - 1 rising or falling steps in a row, a shift length - 1 linked
    pairs on one side)."""
    if trend == shift:
        packed = _pack_work(
            ((up, _UP), (down, _DOWN), (above_pairs, _ABOVE), (below_pairs, _BELOW)), "packed"
        )
        runs = _runs_work(packed, trend, "runs")
        return _any_bits(runs, _UP | _DOWN, "trend"), _any_bits(runs, _ABOVE | _BELOW, "shift")
    trends = _runs_work(_pack_work(((up, _UP), (down, _DOWN)), "packed"), trend, "runs")
    in_trend = _any_bits(trends, _UP | _DOWN, "trend")
    # The trend's packed array and runs are spent (read into "trend"), so the shift reuses their work arrays.
    shifts = _runs_work(_pack_work(((above_pairs, _UP), (below_pairs, _DOWN)), "packed"), shift, "runs")
    return in_trend, _any_bits(shifts, _UP | _DOWN, "shift")


def _trend_side_work(part: BoolArray, up: BoolArray, starts: IntArray) -> Int8Array:
    """trend_side in work arrays, with the link to the next row cleared at each segment's last row."""
    n = part.shape[0]
    use_next: BoolArray = _work("use_next", n)
    use_next[-1:] = False
    np.bitwise_and(part[:-1], part[1:], out=use_next[:-1])
    use_next[starts[1:] - 1] = False  # the next row starts another segment
    rises: BoolArray = np.greater(up, use_next, out=_work("rises", n))  # up and not use_next
    both: BoolArray = _work("both", n)
    np.bitwise_and(use_next[:-1], up[1:], out=both[:-1])
    rises[:-1] |= both[:-1]
    side: Int8Array = np.multiply(rises.view(np.int8), np.int8(2), out=_work("tside", n, np.int8))
    side -= np.int8(1)
    return side


def _two_in_three_work(close: BoolArray, above_pairs: BoolArray, below_pairs: BoolArray) -> BoolArray:
    """_two_in_three in work arrays."""
    n = close.shape[0]
    hit: BoolArray = _work("t23", n)
    if n < 3:
        hit[:] = False
        return hit
    m = n - 2
    c0, c1, c2 = close[:-2], close[1:-1], close[2:]
    two: BoolArray = np.bitwise_and(c1, c2, out=_work("two", m))
    either: BoolArray = np.bitwise_or(c1, c2, out=_work("either", m))
    either &= c0
    two |= either
    one_side: BoolArray = np.bitwise_and(above_pairs[1:-1], above_pairs[2:], out=_work("one_side", m))
    np.bitwise_and(below_pairs[1:-1], below_pairs[2:], out=either)
    one_side |= either
    two &= one_side  # window starts
    hit[:-2] = two
    hit[-2:] = False
    hit[1:-1] |= two
    hit[2:] |= two
    hit &= close
    return hit


def _combine_work(
    outside: BoolArray,
    trend: BoolArray,
    tside: Int8Array | None,
    two_in_three: BoolArray,
    shift: BoolArray,
    above: BoolArray,
) -> tuple[Int8Array, Int8Array]:
    """combine with its temporaries in work arrays; the rule and side it returns are new arrays.

    `tside` None means no row is in a trend; `above` is relative > 0.
    """
    n = outside.shape[0]
    flagged: BoolArray = np.bitwise_or(outside, trend, out=_work("flagged", n))
    flagged |= two_in_three
    flagged |= shift
    if not flagged.any():
        return np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.int8)
    i8 = np.int8
    step: Int8Array = _work("step", n, i8)
    # Lowest precedence first; each higher rule overwrites: rule += (code - rule) * mask.
    rule: Int8Array = np.multiply(shift.view(i8), i8(RULE_SHIFT))
    for mask, code in ((two_in_three, RULE_TWO_IN_THREE), (trend, RULE_TREND), (outside, RULE_OUTSIDE)):
        np.subtract(i8(code), rule, out=step)
        step *= mask.view(i8)
        rule += step
    side: Int8Array = np.multiply(above.view(i8), i8(2))
    side -= i8(1)
    if tside is not None:
        by_trend: BoolArray = np.greater(trend, outside, out=_work("by_trend", n))  # trend and not outside
        np.subtract(tside, side, out=step)
        step *= by_trend.view(i8)
        side += step
    side *= flagged.view(i8)
    return rule, side


def mdc_rules(
    y: FloatArray, limits: Limits, layout: Layout, *, trend_length: int, shift_length: int
) -> Flags:
    """All four MDC rules with their precedence, for every row of every segment.

    The runs of the trend and shift rules are found together, on one packed array, and every temporary is a
    reused work array (ADR 0060); the results are those of position_flags, trend_part, trend_side,
    two_in_three_part, runs_of and combine, bit for bit.
    """
    n = y.shape[0]
    starts = layout.starts
    with np.errstate(invalid="ignore"):
        cmp: BoolArray = _work("cmp", n)
        outside = np.greater(y, limits.upper)
        outside |= np.less(y, limits.lower, out=cmp)
        close = np.greater(y, limits.upper_two_sigma)
        close |= np.less(y, limits.lower_two_sigma, out=cmp)
        np.greater(close, outside, out=close)  # close and not outside
        above: BoolArray = np.greater(y, limits.centre, out=_work("above", n))
        below: BoolArray = np.less(y, limits.centre, out=_work("below", n))
        up = _after(y, np.greater, starts, "up")
        down = _after(y, np.less, starts, "down")
    relative = _relative(above, below)
    above_pairs = _after(above, np.bitwise_and, starts, "above_pairs")
    below_pairs = _after(below, np.bitwise_and, starts, "below_pairs")
    trend, shift = _trend_and_shift_work(up, down, above_pairs, below_pairs, trend_length, shift_length)
    tside = _trend_side_work(trend, up, starts) if trend.any() else None
    t23 = _two_in_three_work(close, above_pairs, below_pairs)
    rule, side = _combine_work(outside, trend, tside, t23, shift, above)
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
        return nothing(y.shape[0], np.bool_)
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
