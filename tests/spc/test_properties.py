"""Hypothesis tests of the invariants: shifting, scaling, batch order and batch == single."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wellled.spc import SPCResult, spc, spc_batch

values = st.lists(st.integers(-500, 500), min_size=1, max_size=60)
directions = st.sampled_from(["increase", "decrease", "neutral"])


def dates(n: int) -> np.ndarray:
    return np.datetime64("2020-01-01") + np.arange(n)


def clear_of_lines(r: SPCResult) -> bool:
    """No value sits (nearly) on a line, where rounding could legitimately flip a comparison."""
    lines = [r.mean, r.lower_limit, r.upper_limit, r.lower_two_sigma, r.upper_two_sigma]
    scale = 1 + np.nanmax(np.abs(r.values))
    for line in lines:
        gap = np.abs(r.values - line)
        gap = gap[np.isfinite(gap)]
        if gap.size and (gap.min() < 1e-7 * scale) and (gap.min() > 0):
            return False
    return True


def labels(r: SPCResult) -> tuple[list[object], list[object], object, object]:
    return r.rules, r.point_types, r.variation, r.assurance


@settings(max_examples=150, deadline=None)
@given(values, st.integers(-10_000, 10_000), directions, st.booleans())
def test_adding_a_constant_moves_only_the_lines(v: list[int], c: int, direction: str, screen: bool) -> None:
    base = spc(v, dates(len(v)), improvement_direction=direction, screen_outliers=screen, warn=False)
    assume(clear_of_lines(base))
    moved = spc(
        np.array(v) + c, dates(len(v)), improvement_direction=direction, screen_outliers=screen, warn=False
    )
    assert labels(moved) == labels(base)
    for a, b in (
        (moved.mean, base.mean),
        (moved.lower_limit, base.lower_limit),
        (moved.upper_limit, base.upper_limit),
    ):
        np.testing.assert_allclose(a, b + c, rtol=1e-9, atol=1e-9 * (1 + abs(c)))


@settings(max_examples=150, deadline=None)
@given(values, st.sampled_from([0.5, 2.0, 3.0, 10.0, 0.37, 1234.5]), directions)
def test_scaling_scales_the_lines(v: list[int], k: float, direction: str) -> None:
    base = spc(v, dates(len(v)), improvement_direction=direction, warn=False)
    assume(clear_of_lines(base))
    scaled = spc(np.array(v) * k, dates(len(v)), improvement_direction=direction, warn=False)
    assert labels(scaled) == labels(base)
    np.testing.assert_allclose(scaled.mean, base.mean * k, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.upper_limit, base.upper_limit * k, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.lower_limit, base.lower_limit * k, rtol=1e-9, atol=1e-9)


series_tables = st.lists(
    st.lists(st.one_of(st.floats(-1e3, 1e3, allow_nan=False), st.none()), min_size=1, max_size=40),
    min_size=1,
    max_size=6,
)


def _table(tables: list[list[float | None]]) -> tuple[list[str], list[np.datetime64], list[float]]:
    ids: list[str] = []
    ds: list[np.datetime64] = []
    vs: list[float] = []
    for i, t in enumerate(tables):
        ids += [f"s{i}"] * len(t)
        ds += list(dates(len(t)))
        vs += [np.nan if x is None else x for x in t]
    return ids, ds, vs


@settings(max_examples=80, deadline=None)
@given(series_tables, st.randoms(use_true_random=False), st.booleans())
def test_batch_is_order_free_and_equals_single(tables: list[list[float | None]], rnd, screen: bool) -> None:
    ids, ds, vs = _table(tables)
    batch = spc_batch(ids, ds, vs, screen_outliers=screen, improvement_direction="decrease", target=10)
    perm = list(range(len(ids)))
    rnd.shuffle(perm)
    shuffled = spc_batch(
        [ids[i] for i in perm], [ds[i] for i in perm], [vs[i] for i in perm],
        screen_outliers=screen, improvement_direction="decrease", target=10,
    )  # fmt: skip
    for s in batch.series_ids:
        idx = [i for i, x in enumerate(ids) if x == s]
        single = spc([vs[i] for i in idx], [ds[i] for i in idx], screen_outliers=screen,
                     improvement_direction="decrease", target=10, warn=False)  # fmt: skip
        expected = single.to_dict() | {"series": s}
        assert batch[s].to_dict() == expected
        assert shuffled[s].to_dict() == expected
