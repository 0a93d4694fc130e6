"""Behaviour of the engine beyond the shared cases: published examples, options and edge cases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from wellled.spc import (
    Assurance,
    ChartType,
    PointType,
    Rule,
    SPCOptions,
    SPCWarning,
    Variation,
    spc,
    spc_batch,
)
from wellled.spc.reference import special_cause_labels


def days(n: int, start: str = "2021-01-01") -> np.ndarray:
    return np.datetime64(start) + np.arange(n)


def months(n: int, start: str = "2020-01") -> np.ndarray:
    return (np.datetime64(start, "M") + np.arange(n)).astype("datetime64[D]")


DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_published_example_screened_and_unscreened() -> None:
    r = spc(DEVIATIONS, days(18), warn=False)
    assert r.groups[0].mean == pytest.approx(1.944444, abs=1e-6)
    assert r.groups[0].lower_limit == pytest.approx(-0.715556, abs=1e-6)
    assert r.groups[0].upper_limit == pytest.approx(4.604444, abs=1e-6)
    assert r.rules[4] is Rule.OUTSIDE_LIMITS and r.point_types[4] is PointType.IMPROVEMENT
    u = spc(DEVIATIONS, days(18), screen_outliers=False, warn=False)
    assert u.groups[0].lower_limit == pytest.approx(-3.062614, abs=1e-6)
    assert u.groups[0].upper_limit == pytest.approx(6.951503, abs=1e-6)


def test_close_points_on_opposite_sides_are_not_two_in_three() -> None:
    v = [1, -1] * 7 + [5.5, -5.5]
    r = spc(v, days(16), warn=False)
    assert r.groups[0].mean == 0
    assert r.groups[0].upper_limit == pytest.approx(6.175)
    assert r.special_cause_indices == []


def test_tie_breaks_a_trend() -> None:
    rising = spc(list(range(1, 11)) + [10] * 5, days(15), warn=False)
    assert Rule.TREND in rising.rules
    tied = spc([5, 6, 7, 7, 8, 9, 10, 11, 3, 5, 4, 6, 5], days(13), warn=False)
    assert Rule.TREND not in tied.rules


def test_six_point_variant_and_preset() -> None:
    v = [10, 12, 9, 11, 10, 12, 8, 11, 10, 9, 12, 10, 9, 10, 11, 12, 13, 14]  # 6-point rise at the end
    assert Rule.TREND not in spc(v, days(len(v)), warn=False).rules
    six = spc(v, days(len(v)), trend_length=6, warn=False)
    assert six.rules[-6:] == [Rule.TREND] * 6
    assert special_cause_labels(six)[-1] == "6 Point Trend (Increasing)"
    preset = SPCOptions.preset("mdc_excel")
    assert (preset.trend_length, preset.shift_length, preset.screen_outliers) == (6, 6, False)
    with pytest.raises(ValueError):
        SPCOptions.preset("nope")


def test_fix_after_must_be_at_least_twelve() -> None:
    with pytest.raises(ValueError):
        SPCOptions(fix_after_n_points=5)


def test_rebase_on_first_date_numbers_groups_like_the_reference() -> None:
    r = spc(list(range(20)), days(20), rebase=["2021-01-01", "2021-01-11", "2030-01-01"], warn=False)
    assert r.group.tolist() == [1] * 10 + [2] * 10
    assert [g.n for g in r.groups] == [10, 10]


def test_single_point_and_constant_series_have_no_limits() -> None:
    # The reference (preset "nhsr") calls a single point common cause; the default says it is too few to judge.
    one = spc([5.0], days(1), warn=False, min_points_for_limits=None)
    assert math.isnan(one.upper_limit[0]) and one.variation is Variation.COMMON_CAUSE
    assert spc([5.0], days(1), warn=False).variation is Variation.TOO_FEW_POINTS
    flat = spc([3.0] * 15, days(15), warn=False)
    assert np.isnan(flat.upper_limit).all() and flat.special_cause_indices == []


def test_short_group_warning() -> None:
    with pytest.warns(SPCWarning, match="fewer than 13"):
        r = spc(list(range(12)), days(12))
    assert len(r.warnings) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spc(list(range(13)), days(13))


def test_missing_value_inside_a_trend_breaks_it_with_a_warning() -> None:
    v = [5, 3, 6, 4, 5, 3, 6, 4, 5, 3, 6, 4, 1, 2, 3, None, 5, 6, 7, 8, 4, 5]
    with pytest.warns(SPCWarning, match="missing value on 2021-01-16"):
        r = spc(v, days(len(v)))
    assert r.rules[15] is None and r.point_types[15] is PointType.COMMON_CAUSE
    assert Rule.TREND not in r.rules[12:15]
    assert np.isnan(r.values[15])


def test_missing_values_elsewhere_do_not_warn() -> None:
    v = [5, 3, 6, 4, 5, 3, None, 4, 5, 3, 6, 4, 5, 3, 6]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = spc(v, days(len(v)))
    assert r.points()[6].value is None


def test_unsorted_input_is_sorted_by_date() -> None:
    d = days(15)
    v = np.arange(15.0) % 4
    order = np.random.default_rng(1).permutation(15)
    a, b = spc(v, d, warn=False), spc(v[order], d[order], warn=False)
    assert np.array_equal(a.values, b.values) and a.rules == b.rules


def test_assurance_needs_target_and_direction() -> None:
    v = [10, 12, 9, 11, 10, 12, 8, 11, 10, 9, 12, 10, 11]
    assert spc(v, days(13)).assurance is None
    assert spc(v, days(13), target=3).assurance is Assurance.PASS
    assert spc(v, days(13), target=30).assurance is Assurance.FAIL
    assert spc(v, days(13), target=30, improvement_direction="decrease").assurance is Assurance.PASS
    assert spc(v, days(13), target=10).assurance is Assurance.HIT_OR_MISS
    assert spc(v, days(13), target=10, improvement_direction="neutral").assurance is None


def test_annotations_are_carried_through() -> None:
    r = spc([1, 2, 3] * 5, days(15), annotations={"2021-01-05": "new triage process"}, warn=False)
    assert [(str(a.date), a.text) for a in r.annotations] == [("2021-01-05", "new triage process")]


def test_json_shape() -> None:
    d = spc(DEVIATIONS, days(18), series="A", target=3, warn=False).to_dict()
    assert list(d) == ["series", "variation", "assurance", "n_points", "points"]
    assert list(d["points"][0]) == ["date", "value", "group", "mean", "lower_limit", "upper_limit", "rule",
                                     "point_type"]  # fmt: skip
    assert d["points"][4]["rule"] == "outside_limits" and d["points"][4]["point_type"] == "improvement"


def test_too_few_points_for_limits_is_a_run_chart_not_common_cause() -> None:
    """Making Data Count (NHS England, "Making Data Count: Getting started"; "Strengthening your decisions"):
    process limits need a baseline of enough points (at least 12); with fewer the chart is read as a run chart
    and nobody may call the variation "common cause". Missing periods do not count towards the baseline."""
    v = [10.0, 11.0, 30.0, 12.0, 11.0, 10.0, np.nan, 12.0, 11.0, 10.0, 11.0, 12.0]  # 11 values, one gap
    short = spc(v, days(len(v)), target=50, warn=False)
    assert short.n_points == 11 and short.too_few_points
    assert short.variation is Variation.TOO_FEW_POINTS and short.assurance is None
    assert np.isnan(short.upper_limit).all() and np.isnan(short.lower_limit).all()
    assert short.special_cause_indices == [] and not np.isnan(short.mean).all()
    assert short.to_dict()["variation"] == "too_few_points"
    assert not any("trial limits" in w for w in short.warnings)  # there are no limits to be trial ones
    full = spc([*v, 11.0], days(len(v) + 1), target=50, warn=False)
    assert full.n_points == 12 and not full.too_few_points and full.variation is not Variation.TOO_FEW_POINTS
    # The same rule in a batch, series by series, and the reference's behaviour on request.
    batch = spc_batch(["a"] * 3 + ["b"] * 12, [*days(3), *days(12)], [1, 2, 3, *range(12)])
    assert batch.variations["a"] is Variation.TOO_FEW_POINTS and batch.point_counts == {"a": 3, "b": 12}
    assert batch.variations["b"] is not Variation.TOO_FEW_POINTS
    assert SPCOptions.preset("nhsr").min_points_for_limits is None


def test_run_chart_median_and_ihi_rules() -> None:
    v = [5, 6, 4, 5, 7, 3, 5, 6, 4, 8, 8, 9, 7, 8, 9, 9]
    r = spc(v, days(len(v)), chart="run", warn=False)
    assert r.mean[0] == np.median(v)
    assert np.isnan(r.upper_limit).all()
    # a shift: the last 7 points are all above the median (6 or more)
    assert r.rules[-7:] == [Rule.SHIFT] * 7
    trend = spc([5, 4, 6, 5, 4, 6, 5, 1, 2, 3, 3, 4, 5, 5, 4, 6], days(16), chart="run", warn=False)
    assert trend.rules[7:10] == [Rule.TREND] * 3 and trend.rules[10] is None  # repeated 3 skipped
    assert trend.rules[11] is Rule.TREND
    assert spc(v, days(len(v)), chart="run", target=5, warn=False).assurance is None


def test_points_on_the_median_neither_count_nor_break_a_run_chart_shift() -> None:
    v = [1, 2, 1, 2, 1, 2, 1, 2, 6, 7, 6, 8, 7, 6, 9, 8, 7]  # median 6
    r = spc(v, days(len(v)), chart="run", warn=False)
    assert r.mean[0] == 6
    assert r.rules[10] is None and r.rules[13] is None  # on the median: skipped, not flagged
    assert r.rules[9] is Rule.SHIFT and r.rules[16] is Rule.SHIFT  # six above, across them
    assert r.rules[:8] == [Rule.SHIFT] * 8


def test_p_chart_per_point_limits() -> None:
    num = np.array([12, 15, 9, 20, 11, 14, 13, 16, 10, 12, 14, 15, 30.0])
    den = np.array([100, 120, 80, 150, 90, 110, 100, 130, 95, 100, 105, 120, 100.0])
    r = spc(num, months(13), denominators=den, chart="p", warn=False)
    pbar = num.sum() / den.sum()
    sigma = np.sqrt(pbar * (1 - pbar) / den)
    np.testing.assert_allclose(r.mean, pbar)
    np.testing.assert_allclose(r.upper_limit, pbar + 3 * sigma)
    np.testing.assert_allclose(r.lower_limit, np.clip(pbar - 3 * sigma, 0, 1))
    np.testing.assert_allclose(r.values, num / den)
    assert r.rules[-1] is Rule.OUTSIDE_LIMITS
    pct = spc(num, months(13), denominators=den, chart="p", multiplier=100, warn=False)
    np.testing.assert_allclose(pct.upper_limit, 100 * (pbar + 3 * sigma))
    with pytest.raises(ValueError):
        spc(num, months(13), chart="p")


def test_u_and_c_charts() -> None:
    infections = np.array([3, 5, 2, 4, 6, 3, 4, 5, 2, 3, 4, 5, 15.0])
    bed_days = np.array([2100, 2300, 1900, 2200, 2500, 2000, 2100, 2400, 1800, 2000, 2200, 2300, 2100.0])
    u = spc(infections, months(13), denominators=bed_days, chart="u", multiplier=1000, warn=False)
    ubar = infections.sum() / bed_days.sum()
    np.testing.assert_allclose(u.upper_limit, 1000 * (ubar + 3 * np.sqrt(ubar / bed_days)))
    assert u.rules[-1] is Rule.OUTSIDE_LIMITS
    c = spc(infections, months(13), chart="c", warn=False)
    cbar = infections.mean()
    np.testing.assert_allclose(c.upper_limit, cbar + 3 * math.sqrt(cbar))
    np.testing.assert_allclose(c.lower_limit, max(0.0, cbar - 3 * math.sqrt(cbar)))


def test_batch_matches_single_and_ignores_order() -> None:
    rng = np.random.default_rng(7)
    ids, ds, vs = [], [], []
    for s, n in (("b", 30), ("a", 14), ("c", 1), ("d", 25)):
        ids += [s] * n
        ds += list(months(n))
        vs += list(rng.normal(50, 5, n).round(1))
    vs[5] = float("nan")
    batch = spc_batch(ids, ds, vs, targets={"a": 48.0}, rebases={"d": ["2021-01-01"]}, target=55)
    perm = rng.permutation(len(ids))
    shuffled = spc_batch(np.array(ids)[perm], np.array(ds)[perm], np.array(vs)[perm],
                         targets={"a": 48.0}, rebases={"d": ["2021-01-01"]}, target=55)  # fmt: skip
    assert batch.series_ids == ("a", "b", "c", "d") == shuffled.series_ids
    for s in batch.series_ids:
        sel = np.array(ids) == s
        single = spc(np.array(vs)[sel], np.array(ds)[sel], target=48.0 if s == "a" else 55,
                     rebase=["2021-01-01"] if s == "d" else [], warn=False)  # fmt: skip
        for r in (batch[s], shuffled[s]):
            assert r.to_dict() | {"series": None} == single.to_dict()
            assert [w.removeprefix(f"series {s}: ") for w in r.warnings] == list(single.warnings)
    assert batch["d"].group.max() == 1
    assert batch.assurances["a"] is not None
    with pytest.raises(KeyError):
        batch["zzz"]


def test_bad_api_input() -> None:
    with pytest.raises(ValueError, match="no data"):
        spc([], [])
    with pytest.raises(ValueError, match="one entry per value"):
        spc([1, 2], days(3))
    with pytest.raises(ValueError):
        spc([1, 2], ["2021-01-01", "not a date"])
    with pytest.raises(ValueError):
        SPCOptions(improvement_direction="sideways")
    with pytest.raises(ValueError):
        SPCOptions(chart=ChartType.XMR, multiplier=0)
