"""Segment-wise numpy primitives: every series and rebase group is a contiguous segment.

All functions work on arrays over the whole long table plus the segment layout and never loop
over segments in Python; this is what makes the batched call one vectorised pass. Window rules
use shifted boolean slices (a handful of cheap SIMD passes) rather than cumulative sums.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
AnyArray = NDArray[Any]


# Work arrays of up to this many rows are kept per thread and reused between calls (ADR 0060): a fresh
# array costs the kernel a page fault and a zeroing pass per 4 KB page, more than the pass that fills it.
# 2,097,152 rows: the two float64 arrays of the XmR limits are 16 MB each and the thirty-odd one-byte arrays of the
# rules 2 MB each, so a thread holds at most about 100 MB (about 50 bytes a row of the longest table it has
# computed); longer tables allocate as they go.
SCRATCH_MAX_ROWS = 1 << 21
_scratch = threading.local()


def release_scratch() -> None:
    """Let this thread's work arrays go (a long-lived thread that once computed a very long table)."""
    _scratch.__dict__.pop("pool", None)


def scratch(slot: str, n: int, dtype: Any = np.float64) -> AnyArray:
    """A work array of n rows for `slot`, reused by this thread between calls; its contents are left over.

    Only for temporaries that never leave the function using them, one slot per array alive at a time.
    """
    if n > SCRATCH_MAX_ROWS:
        return np.empty(n, dtype=dtype)
    pool: dict[tuple[str, str], AnyArray] = _scratch.__dict__.setdefault("pool", {})
    key = (slot, np.dtype(dtype).str)
    buf = pool.get(key)
    if buf is None or buf.shape[0] < n:
        buf = pool[key] = np.empty(n, dtype=dtype)
    return buf[:n]


def nothing(n: int, dtype: Any) -> AnyArray:
    """n zeros (False) as a read-only view of one zero: a column known to be all zeros costs no memory or pass."""
    return np.broadcast_to(np.zeros(1, dtype=dtype), (n,))


def any_true(x: AnyArray) -> bool:
    """x.any(), reading one row of a one-value view (such as nothing()) instead of all of them."""
    if x.ndim == 1 and x.strides == (0,):
        return bool(x[:1].any())
    return bool(x.any())


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

    def apply(self, op: Any, x: AnyArray, per_segment: AnyArray, out: AnyArray) -> AnyArray:
        """op(x, self.spread(per_segment), out=out): a ufunc of each row and its segment's value, into `out`.

        (Broadcasting a column over a (segments, length) view instead of spreading was tried: numpy's short inner
        loops made it slower for series of 100 points.)
        """
        return op(x, self.spread(per_segment), out=out)  # type: ignore[no-any-return]

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


def seg_nanmean(x: FloatArray, layout: Layout, *, complete: bool | None = None) -> FloatArray:
    """Mean of the non-missing values of each segment (NaN when none), computed like R's mean().

    R divides the sum by n and then adds the mean of the residuals (a correction pass); doing
    the same keeps comparisons with the mean (such as "exactly on the mean") in step with R.
    `complete=True` says the caller knows x has no missing value (one pass saved).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        total = seg_sum(x, layout)
        if complete is None:
            # A finite total means no NaN (and no infinity) anywhere: skip the search for missing values.
            complete = bool(np.isfinite(total).all()) or not bool(np.isnan(x).any())
        if complete:
            count = layout.lengths.astype(np.float64)
            first = total / count
            resid = layout.apply(np.subtract, x, first, scratch("residuals", layout.n))
        else:
            missing = np.isnan(x)
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


def _shifted(x: AnyArray, step: int, combine: Any, back: bool) -> AnyArray:
    """combine(x[i], x[i - step]) (back) or combine(x[i], x[i + step]) (ahead), into a new array.

    Rows with no partner keep x[i] (the window is cut short at the end of the table), except that a window of
    ANDs running off the start never holds. Writes a fresh array, so no pass reads what it writes.
    """
    out = np.empty_like(x)
    if back:
        combine(x[step:], x[:-step], out=out[step:])
        out[:step] = 0 if combine is np.bitwise_and else x[:step]
    else:
        combine(x[:-step], x[step:], out=out[:-step])
        out[-step:] = x[-step:]
    return out


def _window(x: AnyArray, width: int, combine: Any, back: bool) -> AnyArray:
    """Combine each row with the width - 1 rows behind (or ahead of) it, doubling the window each pass.

    ceil(log2(width)) passes instead of width - 1; bitwise, so a uint8 array carries several rules' bits at once.
    """
    n = x.shape[0]
    out = x.copy() if width <= 1 or n <= 1 else x
    have = 1
    while have < width:
        step = min(have, width - have)
        if step >= n:
            if back and combine is np.bitwise_and:  # every window runs off the start
                out = np.zeros_like(x)
            break
        out = _shifted(out, step, combine, back)
        have += step
    return out if out is not x else x.copy()


def all_back(x: AnyArray, width: int) -> AnyArray:
    """out[i] = x[i] & x[i-1] & ... & x[i-width+1] (False where the window runs off the start)."""
    return _window(x, width, np.bitwise_and, back=True)


def any_back(x: AnyArray, width: int) -> AnyArray:
    """out[i] = x[i] | x[i-1] | ... | x[i-width+1]."""
    return _window(x, width, np.bitwise_or, back=True)


def any_ahead(x: AnyArray, width: int) -> AnyArray:
    """out[i] = x[i] | x[i+1] | ... | x[i+width-1]: spreads a window's end flag over its rows."""
    return _window(x, width, np.bitwise_or, back=False)


def linked_pairs(x: BoolArray, link: BoolArray) -> BoolArray:
    """Rows where x holds for the row and the one before it, in one segment (False on the first row)."""
    out = np.zeros_like(x)
    if x.shape[0] > 1:
        np.bitwise_and(x[1:], x[:-1], out=out[1:])
        out &= link
    return out


def runs_of(x: BoolArray, link: BoolArray, length: int) -> BoolArray:
    """Rows inside some run of `length` consecutive True rows of one segment.

    A run of `length` rows is `length - 1` linked pairs in a row, so one window over the pairs finds its end.
    """
    if length <= 1:
        return x.copy()
    return any_ahead(all_back(linked_pairs(x, link), length - 1), length)


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
