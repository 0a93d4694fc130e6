"""XmR (individuals) chart limits the Making Data Count way, segment-wise over many series."""

from __future__ import annotations

import numpy as np

from .constants import LIMIT_FACTOR, SCREEN_FACTOR, TWO_SIGMA_FACTOR
from .limits import Limits, baseline_values
from .segments import BoolArray, FloatArray, Layout, scratch, seg_diff, seg_nanmean, seg_sum


def _mean_of_kept(x: FloatArray, keep: BoolArray | None, count: FloatArray, layout: Layout) -> FloatArray:
    """R-style mean (sum/n plus a residual correction) of the kept entries of each segment.

    x must already be 0 where not kept; keep=None means every row but each segment's first.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        first = seg_sum(x, layout) / count
        resid = layout.apply(np.subtract, x, first, scratch("residuals", layout.n))
        if keep is None:
            resid[layout.starts] = 0.0
        else:
            resid *= keep
        return first + seg_sum(resid, layout) / count


def _count_kept(keep: BoolArray, layout: Layout) -> FloatArray:
    """How many rows of each segment are kept, as floats (one count for one segment, no cast of every row)."""
    if layout.starts.shape[0] == 1:
        return np.array([np.count_nonzero(keep)], dtype=np.float64)
    return np.add.reduceat(keep, layout.starts, dtype=np.int64).astype(np.float64)


def _amr_complete(base: FloatArray, layout: Layout, screen_outliers: bool) -> FloatArray:
    """Average moving range when no value is missing (the fast path), in a reused work array."""
    mr = scratch("moving_ranges", layout.n)
    mr[:1] = 0.0
    np.subtract(base[1:], base[:-1], out=mr[1:])
    np.abs(mr, out=mr)
    mr[layout.starts] = 0.0
    amr = _mean_of_kept(mr, None, (layout.lengths - 1).astype(np.float64), layout)
    if not screen_outliers:
        return amr
    with np.errstate(invalid="ignore"):
        keep = layout.apply(np.less, mr, SCREEN_FACTOR * amr, scratch("kept_ranges", layout.n, np.bool_))
    keep[layout.starts] = False
    count = _count_kept(keep, layout)
    mr *= keep
    return _mean_of_kept(mr, keep, count, layout)


def average_moving_range(
    base: FloatArray,
    layout: Layout,
    screen_outliers: bool,
    *,
    complete: bool | None = None,
) -> FloatArray:
    """Average moving range per segment, optionally screened once for outlying ranges.

    Ranges touching a missing value are missing. Screening drops ranges that are not strictly
    below SCREEN_FACTOR times the first average, then averages again (MDC; NHSRplotthedots).
    `complete` (base has no missing value) saves a pass when the caller knows it.
    """
    if complete if complete is not None else not np.isnan(base).any():
        return _amr_complete(base, layout, screen_outliers)
    mr = np.abs(seg_diff(base, layout))
    amr = seg_nanmean(mr, layout)
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            keep = mr < SCREEN_FACTOR * layout.spread(amr)
        amr = seg_nanmean(np.where(keep, mr, np.nan), layout)
    return amr


def xmr_limits(
    y: FloatArray,
    layout: Layout,
    *,
    fix_after_n_points: int | None,
    screen_outliers: bool,
    complete: bool | None = None,
) -> Limits:
    """Mean, 2.66 x AMR process limits and two-sigma lines for every row of every segment.

    `complete` (y has no missing value) saves passes when the caller knows it.
    """
    known = None if fix_after_n_points is not None else complete  # fixing blanks the later points
    base = baseline_values(y, layout, fix_after_n_points)
    mean = seg_nanmean(base, layout, complete=known)
    amr = average_moving_range(base, layout, screen_outliers, complete=known)
    return Limits(
        centre=layout.spread(mean),
        lower=layout.spread(mean - LIMIT_FACTOR * amr),
        upper=layout.spread(mean + LIMIT_FACTOR * amr),
        lower_two_sigma=layout.spread(mean - TWO_SIGMA_FACTOR * amr),
        upper_two_sigma=layout.spread(mean + TWO_SIGMA_FACTOR * amr),
    )
