"""The centre line and limits of a chart, one value per row (so they can step at rebases)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .segments import FloatArray, Layout


@dataclass(frozen=True)
class Limits:
    """Centre line, process limits and two-sigma lines for each row."""

    centre: FloatArray
    lower: FloatArray
    upper: FloatArray
    lower_two_sigma: FloatArray
    upper_two_sigma: FloatArray


def baseline_values(y: FloatArray, layout: Layout, fix_after_n_points: int | None) -> FloatArray:
    """The values allowed to set the limits: all of them, or only the first n of each group."""
    if fix_after_n_points is None:
        return y
    return np.where(layout.pos < fix_after_n_points, y, np.nan)


def no_limits(centre: FloatArray) -> Limits:
    """Limits for a chart without limits (run chart): every line but the centre is missing."""
    nan = np.full_like(centre, np.nan)
    return Limits(centre, nan, nan, nan, nan)
