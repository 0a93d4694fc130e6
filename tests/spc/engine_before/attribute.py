"""Attribute charts: p (proportions), u (rates) and c (counts), with per-point limits.

Limits are Shewhart's: centre +/- 3 sigma, with binomial sigma for p charts and Poisson sigma
for u and c charts (Montgomery, Introduction to Statistical Quality Control, ch. 7). Limits
are clipped to the possible range (0..1 for proportions, >= 0 for rates and counts).
"""

from __future__ import annotations

import numpy as np

from wellled.spc.constants import ATTRIBUTE_SIGMA, ATTRIBUTE_TWO_SIGMA
from wellled.spc.types import ChartType

from .limits import Limits, baseline_values
from .segments import FloatArray, Layout, seg_nanmean, seg_sum


def attribute_values(
    chart: ChartType, numerators: FloatArray, denominators: FloatArray | None, multiplier: float
) -> FloatArray:
    """The plotted value: x/n for p and u charts, x for c charts, times the multiplier."""
    if chart is ChartType.C:
        return numerators * multiplier
    assert denominators is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(denominators > 0, numerators / denominators, np.nan)
    return ratio * multiplier


def attribute_limits(
    chart: ChartType,
    numerators: FloatArray,
    denominators: FloatArray | None,
    layout: Layout,
    *,
    fix_after_n_points: int | None,
    multiplier: float,
) -> Limits:
    """Centre line (pooled rate) and per-point 3-sigma and 2-sigma lines for p, u or c charts."""
    x = baseline_values(numerators, layout, fix_after_n_points)
    if chart is ChartType.C:
        centre = layout.spread(seg_nanmean(x, layout))
        sigma = np.sqrt(centre)
        upper_bound = np.inf
    else:
        assert denominators is not None
        ok = ~np.isnan(x) & (denominators > 0)
        num = seg_sum(np.where(ok, x, 0.0), layout)
        den = seg_sum(np.where(ok, denominators, 0.0), layout)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = layout.spread(num / den)
            n = np.where(denominators > 0, denominators, np.nan)
            if chart is ChartType.P:
                sigma = np.sqrt(centre * (1.0 - centre) / n)
                upper_bound = 1.0
            else:
                sigma = np.sqrt(centre / n)
                upper_bound = np.inf

    def line(k: float) -> FloatArray:
        return np.clip(centre + k * sigma, 0.0, upper_bound) * multiplier

    return Limits(
        centre=centre * multiplier,
        lower=line(-ATTRIBUTE_SIGMA),
        upper=line(ATTRIBUTE_SIGMA),
        lower_two_sigma=line(-ATTRIBUTE_TWO_SIGMA),
        upper_two_sigma=line(ATTRIBUTE_TWO_SIGMA),
    )
