"""The public entry points: spc() for one series and spc_batch() for a long table of many."""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .engine import analyse
from .options import Annotation, DateLike, SPCOptions, annotations_from, to_datetime64
from .results import BatchResult, SPCResult, format_date
from .segments import BoolArray, FloatArray, IntArray, any_true, scratch
from .types import TOO_FEW_CODE, ChartType


class SPCWarning(UserWarning):
    """A result was computed, but with a caveat the analyst should know about."""


def as_dates(dates: ArrayLike) -> np.ndarray:
    """Dates as a datetime64 array (ISO strings, date/datetime objects or datetime64)."""
    arr = np.asarray(dates)
    if arr.dtype.kind == "M":
        return arr
    try:
        return np.array(arr.tolist(), dtype="datetime64")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"could not read the dates: {exc}") from None


def as_floats(values: ArrayLike, what: str) -> FloatArray:
    """Values as float64, with None as missing (NaN)."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what} must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional")
    return arr


def _in_date_order(dates: np.ndarray, n: int) -> BoolArray:
    """dates[1:] >= dates[:-1], row by row, in a work array.

    Compared as int64 when no date is NaT (five times faster than datetime64 comparisons, and the same answer):
    NaT is the smallest int64, so the integers' minimum says whether there is one.
    """
    later: BoolArray = scratch("batch.later", max(n - 1, 0), np.bool_)
    if dates.dtype.kind == "M" and n > 1:
        ints = dates.view(np.int64)
        if ints.min() != np.iinfo(np.int64).min:
            np.greater_equal(ints[1:], ints[:-1], out=later)
            return later
    np.greater_equal(dates[1:], dates[:-1], out=later)
    return later


def _arrange(
    series: ArrayLike | None, dates: np.ndarray, n: int
) -> tuple[IntArray, tuple[Hashable, ...], IntArray | None]:
    """Series starts (after sorting), ids in that order, and the row order (None when already sorted).

    Rows must end up sorted by series id then date. Tables that already are (the usual case)
    are detected with a few cheap passes and not copied.
    """
    later = _in_date_order(dates, n)
    if series is None:
        if later.all():
            return np.zeros(1, dtype=np.int64), (None,), None
        return np.zeros(1, dtype=np.int64), (None,), np.argsort(dates, kind="stable")
    ids = np.asarray(series)
    if ids.shape != (n,):
        raise ValueError("series ids must have one entry per value")
    if ids.dtype.kind in "iuUS" and bool(np.all(ids[1:] >= ids[:-1])):
        change = ids[1:] != ids[:-1]
        starts = np.concatenate(([0], np.flatnonzero(change) + 1)).astype(np.int64)
        if bool(np.all(later | change)):
            return starts, tuple(ids[starts].tolist()), None
    uniq, codes = np.unique(ids, return_inverse=True)
    codes = codes.reshape(-1)
    order = np.lexsort((dates, codes))
    codes = codes[order]
    starts = np.flatnonzero(np.diff(codes, prepend=-1) != 0).astype(np.int64)
    return starts, tuple(uniq.tolist()), order


def _rebase_rows(
    series_starts: IntArray,
    dates: np.ndarray,
    ids: tuple[Hashable, ...],
    common: Sequence[np.datetime64],
    per_series: Mapping[Hashable, Iterable[DateLike]] | None,
) -> np.ndarray:
    """Rows (in sorted order) whose date starts a new group; dates absent from the data are ignored."""
    flag = np.zeros(dates.shape[0], dtype=np.bool_)
    if common:
        flag |= np.isin(dates, np.array(common).astype(dates.dtype))
    if per_series:
        ends = np.append(series_starts[1:], dates.shape[0])
        index = {s: i for i, s in enumerate(ids)}
        for s, ds in per_series.items():
            if s not in index:
                continue
            lo, hi = int(series_starts[index[s]]), int(ends[index[s]])
            wanted = np.array([to_datetime64(d) for d in ds]).astype(dates.dtype)
            flag[lo:hi] |= np.isin(dates[lo:hi], wanted)
    return flag


def _warnings_for(
    ids: tuple[Hashable, ...],
    series_starts: IntArray,
    computed: Any,
    dates: np.ndarray,
    threshold: int,
) -> dict[int, tuple[str, ...]]:
    """Warnings per series: short groups (trial limits) and missing values inside a would-be trend."""
    out: dict[int, list[str]] = {}
    layout = computed.layout
    short = np.flatnonzero(layout.lengths < threshold)
    if short.size:
        seg_series = np.searchsorted(series_starts, layout.starts[short], side="right") - 1
        for s, i in zip(short.tolist(), seg_series.tolist(), strict=True):
            if computed.variation[i] == TOO_FEW_CODE:  # no limits at all, so no trial limits to warn of
                continue
            start = int(layout.starts[s])
            name = "" if ids[i] is None else f"series {ids[i]}: "
            out.setdefault(i, []).append(
                f"{name}the group starting {format_date(dates[start])} has {int(layout.lengths[s])} points, "
                f"fewer than {threshold}; its limits are trial limits and will move as points are added"
            )
    gaps = (
        np.flatnonzero(computed.trend_gaps) if any_true(computed.trend_gaps) else np.zeros(0, dtype=np.int64)
    )
    if gaps.size:
        gap_series = np.searchsorted(series_starts, gaps, side="right") - 1
        for row, i in zip(gaps.tolist(), gap_series.tolist(), strict=True):
            name = "" if ids[i] is None else f"series {ids[i]}: "
            out.setdefault(i, []).append(
                f"{name}the missing value on {format_date(dates[row])} sits inside a run of points that "
                "otherwise all rise (or all fall); it was treated as breaking the run, so no trend is "
                "flagged across it (NHSRplotthedots 0.2.2 stops with an error here)"
            )
    return {i: tuple(w) for i, w in out.items()}


def spc_batch(
    series: ArrayLike | None,
    dates: ArrayLike,
    values: ArrayLike,
    *,
    denominators: ArrayLike | None = None,
    options: SPCOptions | None = None,
    targets: Mapping[Hashable, float | None] | None = None,
    rebases: Mapping[Hashable, Iterable[DateLike]] | None = None,
    annotations: Mapping[Hashable, Any] | None = None,
    **changes: Any,
) -> BatchResult:
    """Compute every series of a long table (series id, date, value) in one vectorised pass.

    Options apply to every series; `targets`, `rebases` and `annotations` map series ids to
    per-series values (a target of None removes the common one; rebases add to options.rebase). Keyword arguments override
    fields of `options`. Rows may come in any order; results are in (series, date) order.
    """
    opts = (options or SPCOptions()).with_(**changes) if changes else (options or SPCOptions())
    y = as_floats(values, "values")
    n = y.shape[0]
    if n == 0:
        raise ValueError("no data: at least one value is needed")
    d = as_dates(dates)
    if d.shape != (n,):
        raise ValueError("dates must have one entry per value")
    den = None
    if opts.chart in (ChartType.P, ChartType.U):
        if denominators is None:
            raise ValueError(f"a {opts.chart.value} chart needs denominators")
        den = as_floats(denominators, "denominators")
        if den.shape != (n,):
            raise ValueError("denominators must have one entry per value")
    if opts.chart is ChartType.P and den is not None and bool(np.any(y > den)):
        raise ValueError("a p chart needs numerators no larger than their denominators")
    series_starts, ids, order = _arrange(series, d, n)
    if order is not None:
        d, y = d[order], y[order]
        den = None if den is None else den[order]

    target_arr = np.full(len(ids), np.nan if opts.target is None else opts.target)
    if targets:
        for i, s in enumerate(ids):
            if s in targets:
                t = targets[s]
                target_arr[i] = np.nan if t is None else float(t)
    flag = _rebase_rows(series_starts, d, ids, opts.rebase, rebases)
    c = analyse(
        y,
        den,
        series_starts,
        flag,
        target_arr,
        chart=opts.chart,
        direction=opts.improvement_direction,
        fix_after_n_points=opts.fix_after_n_points,
        screen_outliers=opts.screen_outliers,
        trend_length=opts.effective_trend_length,
        shift_length=opts.effective_shift_length,
        multiplier=opts.multiplier,
        min_points=opts.min_points_for_limits,
    )
    notes: dict[int, tuple[Annotation, ...]] = {}
    if annotations:
        index = {s: i for i, s in enumerate(ids)}
        notes = {index[s]: annotations_from(a) for s, a in annotations.items() if s in index}
    lim = c.limits
    return BatchResult(
        series_ids=ids,
        options=opts,
        series_starts=series_starts,
        targets=target_arr,
        dates=d,
        values=c.values,
        denominators=den,
        group=c.group,
        mean=lim.centre,
        lower_limit=lim.lower,
        upper_limit=lim.upper,
        lower_two_sigma=lim.lower_two_sigma,
        upper_two_sigma=lim.upper_two_sigma,
        outside_limits=c.flags.outside,
        close_to_limits=c.flags.close,
        relative_to_mean=c.flags.relative,
        rule_code=c.flags.rule,
        side=c.flags.side,
        point_type_code=c.point_type,
        variation_code=c.variation,
        assurance_code=c.assurance,
        segment_starts=c.layout.starts,
        segment_lengths=c.layout.lengths,
        annotations=notes,
        warnings=_warnings_for(ids, series_starts, c, d, opts.short_group_threshold),
    )


def spc(
    values: ArrayLike,
    dates: ArrayLike,
    *,
    denominators: ArrayLike | None = None,
    options: SPCOptions | None = None,
    annotations: Any = None,
    series: Hashable | None = None,
    warn: bool = True,
    **changes: Any,
) -> SPCResult:
    """Compute one series: XmR by default, exactly as NHSRplotthedots 0.2.2 does.

    Keyword arguments set option fields, e.g. spc(v, d, improvement_direction="decrease",
    target=1200, rebase=["2018-07-01"]). Warnings are kept on the result and, unless
    warn=False, also issued as SPCWarning.
    """
    batch = spc_batch(
        None,
        dates,
        values,
        denominators=denominators,
        options=options,
        annotations={None: annotations} if annotations else None,
        **changes,
    )
    result = batch.result(0)
    if series is not None:
        object.__setattr__(result, "series", series)
    if warn:
        for w in result.warnings:
            _warnings.warn(w, SPCWarning, stacklevel=2)
    return result
