"""Run charts: the median as centre line and the IHI run chart rules.

Rules (Perla, Provost & Murray, BMJ Qual Saf 2011;20:46-51; IHI run chart tool):
- shift: 6 or more consecutive points on the same side of the median; points exactly on the
  median are skipped (they neither count nor break the run) and are not flagged;
- trend: 5 or more consecutive points all going up or all going down; a repeated value is
  skipped (neither counts nor breaks) and is not flagged.
A missing value breaks both. Lengths can be changed with trend_length / shift_length.
"""

from __future__ import annotations

import numpy as np

from .limits import Limits, baseline_values, no_limits
from .rules import Flags, combine, position_flags, trend_part, trend_side
from .segments import BoolArray, FloatArray, IntArray, Layout, runs_of, seg_diff, seg_nanmedian


def run_chart_limits(y: FloatArray, layout: Layout, *, fix_after_n_points: int | None) -> Limits:
    """The median of each group (of its first n points when fixed); no process limits."""
    base = baseline_values(y, layout, fix_after_n_points)
    return no_limits(layout.spread(seg_nanmedian(base, layout)))


def _compress(keep: BoolArray, layout: Layout) -> tuple[IntArray, Layout]:
    """Rows kept and the layout of the compressed table (segments stay separate)."""
    idx = np.flatnonzero(keep)
    return idx, Layout.from_segment_ids(layout.seg[idx])


def run_chart_rules(
    y: FloatArray, limits: Limits, layout: Layout, *, trend_length: int, shift_length: int
) -> Flags:
    """Shift and trend rules of a run chart, skipping points on the median and repeated values."""
    outside, close, relative = position_flags(y, limits)
    n = y.shape[0]
    idx, sub = _compress(~((relative == 0) & ~np.isnan(y)), layout)
    rel = relative[idx]
    shift = np.zeros(n, dtype=np.bool_)
    shift[idx] = runs_of(rel > 0, sub.link, shift_length) | runs_of(rel < 0, sub.link, shift_length)

    idx, sub = _compress(~(seg_diff(y, layout) == 0), layout)
    steps = seg_diff(y[idx], sub)
    rising, falling = trend_part(steps, trend_length)
    part = rising | falling
    trend = np.zeros(n, dtype=np.bool_)
    trend[idx] = part
    tside = np.zeros(n, dtype=np.int8)
    tside[idx] = trend_side(steps, part, sub.link)

    none = np.zeros(n, dtype=np.bool_)
    rule, side = combine(none, trend, tside, none, shift, relative)
    return Flags(rule, side, outside, close, relative)
