"""XmR (individuals) chart limits the Making Data Count way, segment-wise over many series."""

from __future__ import annotations

import numpy as np

from wellled.spc.constants import LIMIT_FACTOR, SCREEN_FACTOR, TWO_SIGMA_FACTOR

from .limits import Limits, baseline_values
from .segments import BoolArray, FloatArray, Layout, seg_diff, seg_nanmean, seg_sum


def _mean_of_kept(x: FloatArray, keep: BoolArray | None, count: FloatArray, layout: Layout) -> FloatArray:
    """R-style mean (sum/n plus a residual correction) of the kept entries of each segment.

    x must already be 0 where not kept; keep=None means every row but each segment's first.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        first = seg_sum(x, layout) / count
        resid = x - layout.spread(first)
        if keep is None:
            resid[layout.starts] = 0.0
        else:
            resid *= keep
        return first + seg_sum(resid, layout) / count


def _amr_complete(base: FloatArray, layout: Layout, screen_outliers: bool) -> FloatArray:
    """Average moving range when no value is missing (the fast path)."""
    mr = seg_diff(base, layout)
    np.abs(mr, out=mr)
    mr[layout.starts] = 0.0
    amr = _mean_of_kept(mr, None, (layout.lengths - 1).astype(np.float64), layout)
    if not screen_outliers:
        return amr
    with np.errstate(invalid="ignore"):
        keep = mr < layout.spread(SCREEN_FACTOR * amr)
    keep[layout.starts] = False
    count = np.add.reduceat(keep, layout.starts, dtype=np.int64).astype(np.float64)
    mr *= keep
    return _mean_of_kept(mr, keep, count, layout)


def average_moving_range(base: FloatArray, layout: Layout, screen_outliers: bool) -> FloatArray:
    """Average moving range per segment, optionally screened once for outlying ranges.

    Ranges touching a missing value are missing. Screening drops ranges that are not strictly
    below SCREEN_FACTOR times the first average, then averages again (MDC; NHSRplotthedots).
    """
    if not np.isnan(base).any():
        return _amr_complete(base, layout, screen_outliers)
    mr = np.abs(seg_diff(base, layout))
    amr = seg_nanmean(mr, layout)
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            keep = mr < SCREEN_FACTOR * layout.spread(amr)
        amr = seg_nanmean(np.where(keep, mr, np.nan), layout)
    return amr


def xmr_limits(
    y: FloatArray, layout: Layout, *, fix_after_n_points: int | None, screen_outliers: bool
) -> Limits:
    """Mean, 2.66 x AMR process limits and two-sigma lines for every row of every segment."""
    base = baseline_values(y, layout, fix_after_n_points)
    mean = seg_nanmean(base, layout)
    amr = average_moving_range(base, layout, screen_outliers)
    return Limits(
        centre=layout.spread(mean),
        lower=layout.spread(mean - LIMIT_FACTOR * amr),
        upper=layout.spread(mean + LIMIT_FACTOR * amr),
        lower_two_sigma=layout.spread(mean - TWO_SIGMA_FACTOR * amr),
        upper_two_sigma=layout.spread(mean + TWO_SIGMA_FACTOR * amr),
    )
