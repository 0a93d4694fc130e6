"""Segment-wise numpy primitives: every series and rebase group is a contiguous segment.

All functions work on arrays over the whole long table plus the segment layout and never loop
over segments in Python; this is what makes the batched call one vectorised pass. Window rules
use shifted boolean slices (a handful of cheap SIMD passes) rather than cumulative sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
AnyArray = NDArray[Any]


@dataclass(frozen=True)
class Layout:
    """Where segments start and how long they are (no empty segments)."""

    starts: IntArray
    lengths: IntArray
    n: int

    @classmethod
    def from_starts(cls, starts: IntArray, n: int) -> Layout:
        """Build the layout of n rows cut at the given (strictly increasing) segment starts."""
        starts = np.asarray(starts, dtype=np.int64)
        return cls(starts, np.diff(np.append(starts, n)), n)

    @classmethod
    def from_segment_ids(cls, seg: IntArray) -> Layout:
        """Build the layout from a non-decreasing segment id per row."""
        n = seg.shape[0]
        starts = np.flatnonzero(np.diff(seg, prepend=-1) != 0) if n else np.zeros(0, np.int64)
        return cls.from_starts(starts, n)

    @cached_property
    def link(self) -> BoolArray:
        """True where a row is in the same segment as the row before it."""
        link = np.ones(self.n, dtype=np.bool_)
        link[self.starts] = False
        return link

    @cached_property
    def seg(self) -> IntArray:
        """Segment number of each row."""
        return np.repeat(np.arange(self.starts.shape[0], dtype=np.int64), self.lengths)

    @cached_property
    def pos(self) -> IntArray:
        """0-based position of each row inside its segment."""
        return np.arange(self.n, dtype=np.int64) - np.repeat(self.starts, self.lengths)

    def spread(self, per_segment: AnyArray) -> AnyArray:
        """Repeat one value per segment onto every row of the segment (read-only).

        A single segment gives a zero-stride view: no memory is written, which matters for
        one very long series.
        """
        if self.starts.shape[0] == 1:
            return np.broadcast_to(per_segment[:1], (self.n,))
        out = np.repeat(per_segment, self.lengths)
        out.flags.writeable = False
        return out


def seg_sum(x: AnyArray, layout: Layout) -> AnyArray:
    """Sum of x over each segment."""
    if layout.n == 0:
        return np.zeros(0, dtype=x.dtype)
    return np.add.reduceat(x, layout.starts)


def seg_nanmean(x: FloatArray, layout: Layout) -> FloatArray:
    """Mean of the non-missing values of each segment (NaN when none), computed like R's mean().

    R divides the sum by n and then adds the mean of the residuals (a correction pass); doing
    the same keeps comparisons with the mean (such as "exactly on the mean") in step with R.
    """
    missing = np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not missing.any():
            count = layout.lengths.astype(np.float64)
            first = seg_sum(x, layout) / count
            resid = x - layout.spread(first)
        else:
            count = np.add.reduceat(~missing, layout.starts, dtype=np.int64).astype(np.float64)
            x0 = np.where(missing, 0.0, x)
            first = seg_sum(x0, layout) / count
            resid = x0 - layout.spread(first)
            resid[missing] = 0.0
        return first + seg_sum(resid, layout) / count


def seg_diff(x: FloatArray, layout: Layout) -> FloatArray:
    """x[i] - x[i-1] inside each segment; NaN at the first row of a segment."""
    d = np.empty_like(x)
    if layout.n:
        np.subtract(x[1:], x[:-1], out=d[1:])
        d[layout.starts] = np.nan
    return d


def all_back(x: BoolArray, width: int) -> BoolArray:
    """out[i] = x[i] & x[i-1] & ... & x[i-width+1] (False where the window runs off the start)."""
    n = x.shape[0]
    out = x.copy()
    for j in range(1, width):
        if j >= n:
            out[:] = False
            break
        out[j:] &= x[:-j]
        out[:j] = False
    return out


def any_back(x: BoolArray, width: int) -> BoolArray:
    """out[i] = x[i] | x[i-1] | ... | x[i-width+1]."""
    out = x.copy()
    for j in range(1, min(width, x.shape[0])):
        out[j:] |= x[:-j]
    return out


def any_ahead(x: BoolArray, width: int) -> BoolArray:
    """out[i] = x[i] | x[i+1] | ... | x[i+width-1]: spreads a window's end flag over its rows."""
    out = x.copy()
    for j in range(1, min(width, x.shape[0])):
        out[:-j] |= x[j:]
    return out


def runs_of(x: BoolArray, link: BoolArray, length: int) -> BoolArray:
    """Rows inside some run of `length` consecutive True rows of one segment."""
    if length <= 1:
        return x.copy()
    n = x.shape[0]
    inner = all_back(x & link, length - 1)  # rows i-length+2..i true and linked to the row before
    ends = np.zeros_like(x)
    if n >= length:
        ends[length - 1 :] = inner[length - 1 :] & x[: n - length + 1]
    return any_ahead(ends, length)


def seg_nanmedian(x: FloatArray, layout: Layout) -> FloatArray:
    """Median of the non-missing values of each segment (NaN when none), via one lexsort."""
    if layout.n == 0:
        return np.zeros(0)
    order = np.lexsort((x, layout.seg))  # NaN sorts last inside each segment
    xs = x[order]
    valid = seg_sum((~np.isnan(x)).astype(np.int64), layout)
    lo = layout.starts + np.maximum(valid - 1, 0) // 2
    hi = np.minimum(layout.starts + np.maximum(valid, 1) // 2, layout.n - 1)
    return np.where(valid > 0, (xs[lo] + xs[hi]) / 2.0, np.nan)
