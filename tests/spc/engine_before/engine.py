"""The vectorised pipeline: limits, rules, point types and icons for a sorted long table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wellled.spc.types import TOO_FEW_CODE, ChartType, Direction

from .attribute import attribute_limits, attribute_values
from .limits import Limits, no_limits
from .rules import Flags, mdc_rules, reference_trend_gaps
from .run import run_chart_limits, run_chart_rules
from .segments import BoolArray, FloatArray, IntArray, Layout
from .xmr import xmr_limits

Int8Array = NDArray[np.int8]


@dataclass(frozen=True)
class Computed:
    """Everything computed for a sorted table; rows are in (series, date) order."""

    values: FloatArray
    layout: Layout  # segments = series x rebase group
    group: IntArray
    limits: Limits
    flags: Flags
    point_type: Int8Array
    variation: Int8Array  # per series
    assurance: Int8Array  # per series
    points: IntArray  # per series: how many non-missing values it has
    trend_gaps: BoolArray  # missing rows where the reference would have stopped with an error


def point_types(rule: Int8Array, side: Int8Array, direction: Direction) -> Int8Array:
    """Read flagged points through the improvement direction (codes of types.POINT_TYPE_CODES)."""
    i8 = np.int8
    flagged = (rule != 0).view(i8)
    if direction is Direction.NEUTRAL:
        typed = i8(4) - (side > 0).view(i8)  # 3 high, 4 low
    else:
        typed = i8(2) - (side * i8(direction.sign) > 0).view(i8)  # 1 improvement, 2 concern
    result: Int8Array = (typed * flagged).astype(i8)
    return result


def variation_codes(point_type: Int8Array, side: Int8Array, last: IntArray) -> Int8Array:
    """Variation icon of each series from its last point (codes of types.VARIATION_CODES)."""
    pt, high = point_type[last], side[last] > 0
    return np.select(
        [pt == 1, pt == 2, pt == 3, pt == 4],
        [np.where(high, 1, 2), np.where(high, 3, 4), 5, 6],
        0,
    ).astype(np.int8)


def assurance_codes(
    limits: Limits, last: IntArray, targets: FloatArray, direction: Direction, chart: ChartType
) -> Int8Array:
    """Assurance icon of each series from its last point's limits (codes of types.ASSURANCE_CODES)."""
    if direction is Direction.NEUTRAL or chart is ChartType.RUN:
        return np.zeros(last.shape[0], dtype=np.int8)
    lower, upper = limits.lower[last], limits.upper[last]
    above_ok = direction is Direction.INCREASE
    with np.errstate(invalid="ignore"):
        code = np.select([targets > upper, targets < lower], [2 if above_ok else 1, 1 if above_ok else 2], 3)
    return np.where(np.isnan(targets), 0, code).astype(np.int8)


def too_few_rows(
    values: FloatArray, series_starts: IntArray, min_points: int | None
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Points per series, which series are too short for limits, and their rows (Making Data Count's baseline)."""
    n = values.shape[0]
    points = np.add.reduceat((~np.isnan(values)).astype(np.int64), series_starts) if n else series_starts * 0
    short = points < min_points if min_points is not None else np.zeros(points.shape[0], dtype=np.bool_)
    return points, short, np.repeat(short, np.diff(np.append(series_starts, n)))


def without_limits(limits: Limits, flags: Flags, rows: BoolArray) -> tuple[Limits, Flags]:
    """Limits and flags with the given rows' limits removed and their points unflagged (a run chart's look)."""
    bare = no_limits(limits.centre)
    cut = Limits(*(np.where(rows, getattr(bare, f), getattr(limits, f)) for f in _LIMIT_FIELDS))
    zero = np.int8(0)
    kept = Flags(
        rule=np.where(rows, zero, flags.rule).astype(np.int8),
        side=np.where(rows, zero, flags.side).astype(np.int8),
        outside=flags.outside & ~rows,
        close=flags.close & ~rows,
        relative=flags.relative,
    )
    return cut, kept


_LIMIT_FIELDS = ("centre", "lower", "upper", "lower_two_sigma", "upper_two_sigma")


def segment_layout(series_starts: IntArray, rebase: BoolArray) -> tuple[Layout, IntArray]:
    """Cut rows into segments at series starts and rebase rows; number groups like the reference.

    The group number counts rebase rows so far in the series (so a rebase on the first date
    makes the first group 1, as NHSRplotthedots does).
    """
    n = rebase.shape[0]
    cut = rebase.copy()
    cut[series_starts] = True
    layout = Layout.from_starts(np.flatnonzero(cut), n)
    if not rebase.any():
        return layout, np.zeros(n, dtype=np.int64)
    counts = np.cumsum(rebase, dtype=np.int64)
    lengths = np.diff(np.append(series_starts, n))
    base = np.repeat(counts[series_starts] - rebase[series_starts], lengths)
    return layout, counts - base


def analyse(
    values: FloatArray,
    denominators: FloatArray | None,
    series_starts: IntArray,
    rebase: BoolArray,
    targets: FloatArray,
    *,
    chart: ChartType,
    direction: Direction,
    fix_after_n_points: int | None,
    screen_outliers: bool,
    trend_length: int,
    shift_length: int,
    multiplier: float,
    min_points: int | None = None,
) -> Computed:
    """Run the whole method on a table sorted by series then date, in one vectorised pass."""
    n = values.shape[0]
    layout, group = segment_layout(series_starts, rebase)
    if chart is ChartType.XMR:
        y = values
        limits = xmr_limits(y, layout, fix_after_n_points=fix_after_n_points, screen_outliers=screen_outliers)
    elif chart is ChartType.RUN:
        y = values
        limits = run_chart_limits(y, layout, fix_after_n_points=fix_after_n_points)
    else:
        y = attribute_values(chart, values, denominators, multiplier)
        limits = attribute_limits(
            chart, values, denominators, layout, fix_after_n_points=fix_after_n_points, multiplier=multiplier
        )
    if chart is ChartType.RUN:
        flags = run_chart_rules(y, limits, layout, trend_length=trend_length, shift_length=shift_length)
        gaps = np.zeros(n, dtype=np.bool_)
    else:
        flags = mdc_rules(y, limits, layout, trend_length=trend_length, shift_length=shift_length)
        gaps = reference_trend_gaps(y, layout, trend_length)
    points, short, short_rows = too_few_rows(values, series_starts, min_points)
    if short.any():
        limits, flags = without_limits(limits, flags, short_rows)
    ptype = point_types(flags.rule, flags.side, direction)
    last = np.append(series_starts[1:], n) - 1
    variation = np.where(short, np.int8(TOO_FEW_CODE), variation_codes(ptype, flags.side, last)).astype(
        np.int8
    )
    assurance = np.where(short, np.int8(0), assurance_codes(limits, last, targets, direction, chart))
    return Computed(
        values=y,
        layout=layout,
        group=group,
        limits=limits,
        flags=flags,
        point_type=ptype,
        variation=variation,
        assurance=assurance.astype(np.int8),
        points=points,
        trend_gaps=gaps,
    )
