"""The fast engine (ADR 0060) gives bit for bit what the engine before it gave, on random tables.

tests/spc/engine_before is that engine, kept verbatim. Every array of the result is compared by its bits
(so -0.0 against 0.0, or one NaN against another, would fail), for every chart type and option the engine
takes, with gaps, infinities, ties, rebases and series too short for limits.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.spc.engine_before import engine as before

from wellled.spc import engine as fast
from wellled.spc.limits import Limits
from wellled.spc.rules import Flags
from wellled.spc.segments import Layout, all_back, any_ahead, any_back, runs_of
from wellled.spc.types import ChartType, Direction


def same_bits(a: Any, b: Any, what: str) -> None:
    """Equal shape, dtype and bytes (floats compared as their bit patterns)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype, what
    assert a.shape == b.shape, what
    assert np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes(), what


def assert_same(new: fast.Computed, old: Any) -> None:
    """Every field of two Computed results is identical, including limits and flags."""
    for f in fields(fast.Computed):
        a, b = getattr(new, f.name), getattr(old, f.name)
        if isinstance(a, Limits):
            for g in fields(Limits):
                same_bits(getattr(a, g.name), getattr(b, g.name), f"limits.{g.name}")
        elif isinstance(a, Flags):
            for g in fields(Flags):
                same_bits(getattr(a, g.name), getattr(b, g.name), f"flags.{g.name}")
        elif isinstance(a, Layout):
            same_bits(a.starts, b.starts, "layout.starts")
            same_bits(a.lengths, b.lengths, "layout.lengths")
        else:
            same_bits(a, b, f.name)


# Small integers make ties, values on the centre line and equal neighbours common; a few odd values on top.
value = st.one_of(
    st.integers(-6, 6).map(float),
    st.floats(-1e3, 1e3, allow_nan=False, width=32).map(float),
    st.sampled_from([np.nan, np.nan, np.inf, -np.inf, 0.0, -0.0, 1e300, -1e300, 5e-324]),
)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    """A sorted long table of 1-4 series with rebases, targets, denominators and options."""
    chart = draw(st.sampled_from(list(ChartType)))
    lengths = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4))
    n = sum(lengths)
    if draw(st.booleans()):  # plain numbers, sometimes with gaps
        values = np.array(draw(st.lists(st.integers(0, 12).map(float), min_size=n, max_size=n)))
        gaps = np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))) == 0
        if draw(st.booleans()):
            values[gaps] = np.nan
    else:
        values = np.array(draw(st.lists(value, min_size=n, max_size=n)))
    if chart in (ChartType.P, ChartType.U, ChartType.C):
        values = np.abs(values)
    den = None
    if chart in (ChartType.P, ChartType.U):
        extra = np.array(draw(st.lists(st.integers(0, 20).map(float), min_size=n, max_size=n)))
        den = np.where(np.isfinite(values), values, 0.0) + extra
        values = np.where(np.isfinite(values), values, np.nan)
    rebase = np.array(draw(st.lists(st.integers(0, 11), min_size=n, max_size=n))) == 0
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    targets = np.array(draw(st.lists(st.sampled_from([np.nan, 3.0, 6.0, 9.0]), min_size=len(lengths))))[
        : len(lengths)
    ]
    return {
        "values": values,
        "denominators": den,
        "series_starts": starts,
        "rebase": rebase,
        "targets": targets,
        "chart": chart,
        "direction": draw(st.sampled_from(list(Direction))),
        "fix_after_n_points": draw(st.sampled_from([None, None, 12, 15])),
        "screen_outliers": draw(st.booleans()),
        "trend_length": draw(st.integers(2, 8)),
        "shift_length": draw(st.integers(2, 8)),
        "multiplier": draw(st.sampled_from([1.0, 100.0])),
        "min_points": draw(st.sampled_from([None, 12, 3])),
    }


def run_both(t: dict[str, Any]) -> None:
    kw = dict(t)
    args = [kw.pop(k) for k in ("values", "denominators", "series_starts", "rebase", "targets")]
    with np.errstate(all="ignore"):
        new = fast.analyse(*args, **kw)
        old = before.analyse(*args, **kw)
    assert_same(new, old)


@settings(max_examples=600, deadline=None)
@given(tables())
def test_fast_engine_matches_the_engine_before_it(t: dict[str, Any]) -> None:
    run_both(t)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(200, 5_000),
    st.sampled_from([ChartType.XMR, ChartType.RUN]),
    st.integers(2, 9),
    st.integers(2, 9),
    st.booleans(),
)
def test_long_series_match(seed: int, n: int, chart: ChartType, trend: int, shift: int, gaps: bool) -> None:
    """Long random walks with plateaus: trends and shifts of every length, across the window passes."""
    rng = np.random.default_rng(seed)
    values = np.round(np.cumsum(rng.normal(0, 1, n)) + rng.normal(0, 3, n), 1)
    if gaps:
        values[rng.random(n) < 0.02] = np.nan
    cuts = np.sort(rng.choice(np.arange(1, n), size=rng.integers(0, 20), replace=False))
    run_both(
        {
            "values": values,
            "denominators": None,
            "series_starts": np.concatenate(([0], cuts)).astype(np.int64),
            "rebase": rng.random(n) < 0.005,
            "targets": np.full(cuts.shape[0] + 1, 1.0),
            "chart": chart,
            "direction": Direction.DECREASE,
            "fix_after_n_points": None,
            "screen_outliers": True,
            "trend_length": trend,
            "shift_length": shift,
            "multiplier": 1.0,
            "min_points": 12,
        }
    )


@pytest.mark.parametrize("width", [1, 2, 3, 5, 6, 7, 8, 13])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 7, 50])
def test_window_passes_match_one_shift_at_a_time(width: int, n: int) -> None:
    """The doubling window passes agree with one shifted pass per row of the window, off both ends."""
    from tests.spc.engine_before import segments as old

    x = np.random.default_rng(n * 100 + width).random(n) < 0.7
    link = np.random.default_rng(width).random(n) < 0.9
    same_bits(all_back(x, width), old.all_back(x, width), "all_back")
    same_bits(any_back(x, width), old.any_back(x, width), "any_back")
    same_bits(any_ahead(x, width), old.any_ahead(x, width), "any_ahead")
    same_bits(runs_of(x, link, width), old.runs_of(x, link, width), "runs_of")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=1, max_size=12))
def test_date_order_check_agrees_with_datetime_comparisons(days: list[int | None]) -> None:
    """Comparing dates as integers gives the datetime64 answer, NaT (which compares false) included."""
    from wellled.spc.batch import _in_date_order

    dates = np.array([np.datetime64("NaT") if d is None else np.datetime64("2024-01-10") + d for d in days])
    assert _in_date_order(dates, len(days)).tolist() == (dates[1:] >= dates[:-1]).tolist()


def test_threads_computing_at_once_each_get_their_own_answer() -> None:
    """Work arrays are per thread: four threads charting different series at once get what each gets alone."""
    from concurrent.futures import ThreadPoolExecutor

    from wellled.spc import spc

    rng = np.random.default_rng(7)
    dates = np.datetime64("2020-01-01") + np.arange(200_000)
    series = [np.round(np.cumsum(rng.normal(0, 1, 200_000)), 1) * (k + 1) for k in range(4)]
    alone = [spc(v, dates, warn=False) for v in series]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda v: [spc(v, dates, warn=False) for _ in range(3)][-1], series))
    for a, b in zip(alone, together, strict=True):
        same_bits(a.rule_code, b.rule_code, "rule_code")
        same_bits(a.point_type_code, b.point_type_code, "point_type_code")
        same_bits(a.upper_limit, b.upper_limit, "upper_limit")


def test_release_lets_a_threads_work_arrays_go_and_the_next_call_still_works() -> None:
    from wellled.spc import segments, spc

    dates = np.datetime64("2020-01-01") + np.arange(50)
    values = np.arange(50.0) % 7
    first = spc(values, dates, warn=False)
    assert segments._scratch.pool  # the call left work arrays behind
    segments.release_scratch()
    assert not hasattr(segments._scratch, "pool")
    same_bits(spc(values, dates, warn=False).rule_code, first.rule_code, "rule_code")
