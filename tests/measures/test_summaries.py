"""Many measures' summaries read as arrays (measures/summaries.py): the same icons and latest values as each chart
drawn one at a time, whatever the kind, frequency, gaps or rebases; the stored summary refreshed by the services."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wellled.measures import selectors, services
from wellled.measures.choices import CALENDAR_YEAR, Frequency
from wellled.measures.models import Measure, MeasureSpcSummary, MeasureValue, Rebase
from wellled.measures.periods import next_period
from wellled.measures.summaries import compute_figures, packed_figures, read_figures, stored_refresh
from wellled.spc import Variation

from .conftest import months

pytestmark = pytest.mark.django_db

KINDS = ("value", "proportion", "rate", "count")
FREQUENCIES = (
    (Frequency.MONTHLY, "financial", datetime.date(2019, 4, 1)),
    (Frequency.QUARTERLY, "financial", datetime.date(2016, 4, 1)),
    (Frequency.SIX_MONTHLY, "financial", datetime.date(2012, 4, 1)),
    (Frequency.ANNUAL, "financial", datetime.date(2001, 4, 1)),
    (Frequency.ANNUAL, "calendar", datetime.date(2001, 1, 1)),
    (Frequency.WEEKLY, "financial", datetime.date(2024, 1, 1)),
    (Frequency.DAILY, "financial", datetime.date(2025, 1, 1)),
)


def _one_at_a_time(measure: Measure, until: datetime.date | None):
    """The page's own reading of one measure: build_series and spc for that measure alone."""
    values = MeasureValue.objects.filter(measure=measure).order_by("period")
    if until is not None:
        values = values.filter(period__lte=until)
    series = selectors.build_series(measure, list(values))
    result = selectors.measure_spc(measure, series, rebases=list(measure.rebases.order_by("date")))
    shown = [(r.period, r.shown) for r in series.rows if r.shown is not None]
    if result is None:
        return None
    return (result.variation, result.assurance, shown[-1][1], shown[-1][0], len(shown))


def _many_measures(org, rng: random.Random) -> list[Measure]:
    """Measures of every kind and frequency, with gaps, blanks, short series, rebases and an off-grid period."""
    now = timezone.now()
    measures, values, rebases = [], [], []
    for f, (frequency, year_start, start) in enumerate(FREQUENCIES):
        for k, kind in enumerate(KINDS):
            for variant in range(3):
                m = Measure.objects.create(
                    organisation=org,
                    name=f"M {frequency} {year_start} {kind} {variant}",
                    kind=kind,
                    frequency=frequency,
                    year_start=year_start,
                    direction=("increase", "decrease", "neutral")[(f + k + variant) % 3],
                    target=(None, 40.0, 60.0)[(k + variant) % 3],
                    rate_per=100,
                    run_chart=variant == 2 and kind == "value",
                )
                measures.append(m)
                n = (3, 30, 45)[variant]
                day, level = start, rng.uniform(30, 70)
                for j in range(n):
                    if rng.random() < 0.12:  # a gap: no row for the period
                        day = next_period(day, frequency)
                        continue
                    blank = rng.random() < 0.05
                    shift = 12 if j > n * 0.6 and variant == 1 else 0
                    if kind in ("proportion", "rate"):
                        den = rng.randint(80, 120)
                        num = None if blank else min(den, max(0, round(den * (level + shift) / 100)))
                        values.append(
                            MeasureValue(
                                measure=m,
                                period=day,
                                numerator=num,
                                denominator=None if blank else den,
                                updated_at=now,
                            )
                        )
                    else:
                        v = (
                            None
                            if blank
                            else max(0.0, round(rng.gauss(level + shift, 5), 1 if kind == "value" else 0))
                        )
                        values.append(MeasureValue(measure=m, period=day, value=v, updated_at=now))
                    day = next_period(day, frequency)
                if variant == 1:
                    rebases.append(Rebase(measure=m, date=values[-5].period, reason="New pathway"))
    off_grid = measures[1]  # a monthly value with a figure on the 15th (loaded in bulk, not normalised)
    values.append(
        MeasureValue(measure=off_grid, period=datetime.date(2019, 5, 15), value=50.0, updated_at=now)
    )
    blanks = Measure.objects.create(organisation=org, name="Only blanks", kind="value")
    values += [MeasureValue(measure=blanks, period=d, updated_at=now) for d in months(4)]
    measures += [blanks, Measure.objects.create(organisation=org, name="No figures yet", kind="count")]
    MeasureValue.objects.bulk_create(values)
    Rebase.objects.bulk_create(rebases)
    return measures


@pytest.mark.parametrize(
    ("until", "kept"),
    [(None, False), (None, True), (datetime.date(2022, 6, 1), False), (datetime.date(2022, 6, 1), True)],
)
def test_summaries_from_arrays_match_each_chart_drawn_alone(org, until, kept):
    """Now (no `until`) the kept summaries are read, or computed where none is kept; as at a date they are computed
    from the figures, packed or not: every way gives what each chart drawn alone gives."""
    measures = _many_measures(org, random.Random(24))
    if kept:
        stored_refresh(m.pk for m in measures)
    summaries = selectors.summarise(measures, until=until)
    special = 0
    for m in measures:
        s = summaries[m.pk]
        expected = _one_at_a_time(m, until)
        if expected is None:
            assert not s.has_data, m.name
            continue
        got = (s.variation, s.assurance, s.latest, s.latest_period, s.points)
        assert got[:2] == expected[:2], m.name
        assert got[2] == pytest.approx(expected[2]), m.name
        assert got[3:] == expected[3:], m.name
        special += s.variation not in (Variation.COMMON_CAUSE, Variation.TOO_FEW_POINTS)
    assert special > 0  # the data exercises special cause, not only common cause


def test_figures_arrive_sorted_whatever_order_the_rows_were_written_in(org):
    now = timezone.now()
    a = Measure.objects.create(organisation=org, name="A", kind="value")
    b = Measure.objects.create(organisation=org, name="B", kind="value")
    days = months(6)
    rows = [
        MeasureValue(measure=m, period=d, value=float(i), updated_at=now)
        for i, d in enumerate(days)
        for m in (b, a)
    ]
    MeasureValue.objects.bulk_create(rows[::-1])
    arrays = read_figures([a.pk, b.pk])
    assert arrays.ids.tolist() == [a.pk] * 6 + [b.pk] * 6
    assert arrays.days.tolist() == [(d - datetime.date(1970, 1, 1)).days for d in days] * 2


def _trusts_with_measures(n: int):
    from tests.factories import make_organisation

    now = timezone.now()
    measures = []
    for t in range(n):
        org = make_organisation(name=f"Trust {t}", ods_code=f"ZQ{t:03d}")
        for kind in KINDS:
            m = Measure.objects.create(organisation=org, name=f"{kind}", kind=kind)
            measures.append(m)
            MeasureValue.objects.bulk_create(
                MeasureValue(
                    measure=m,
                    period=d,
                    value=None if m.has_denominator else 5.0 + i % 3,
                    numerator=i % 7 + 1 if m.has_denominator else None,
                    denominator=10 if m.has_denominator else None,
                    updated_at=now,
                )
                for i, d in enumerate(months(24))
            )
    return measures


@pytest.mark.parametrize("trusts", [2, 20, 60])
def test_summarise_as_at_a_date_reads_in_two_queries_however_many_trusts(trusts):
    measures = _trusts_with_measures(trusts)
    as_at = datetime.date.today()
    with CaptureQueriesContext(connection) as queries:
        summaries = selectors.summarise(measures, until=as_at)
    assert (
        len(queries) == 3
    )  # none packed yet (loaded around the services): packed ones, the figures, rebases
    assert all(s.has_data for s in summaries.values())
    stored_refresh(m.pk for m in measures)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.summarise(measures, until=as_at) == summaries
    assert len(queries) == 2  # the figures packed in the stored summaries, the rebases


@pytest.mark.parametrize("trusts", [2, 20, 60])
def test_summaries_now_read_the_kept_ones_in_one_query_however_many_trusts(trusts):
    measures = _trusts_with_measures(trusts)
    with CaptureQueriesContext(connection) as queries:
        computed = selectors.summarise(measures)
    assert (
        len(queries) == 3
    )  # none kept yet (loaded around the services): the kept ones, the figures, rebases
    stored_refresh(m.pk for m in measures)
    with CaptureQueriesContext(connection) as queries:
        kept = selectors.summarise(measures)
    assert len(queries) == 1
    assert selectors.stored_summaries(measures) == kept
    for m in measures:
        a, b = kept[m.pk], computed[m.pk]
        assert a.has_data
        assert (a.variation, a.assurance, a.latest, a.latest_period, a.points) == (
            b.variation,
            b.assurance,
            b.latest,
            b.latest_period,
            b.points,
        )


def _stored(measure):
    return MeasureSpcSummary.objects.get(measure=measure)


def test_the_services_keep_the_stored_summary_current(org, editor, measure):
    """The fixture's values came through values_load: its summary is stored; a rebase, a correction and a change
    of direction each refresh it in the same transaction."""
    assert _stored(measure).variation == Variation.IMPROVEMENT_LOW
    assert _stored(measure).points == 24
    rebase = services.rebase_add(measure=measure, by=editor, date=months(13)[12], reason="New clinics")
    assert _stored(measure).variation == Variation.COMMON_CAUSE
    services.rebase_remove(rebase=rebase, by=editor)
    assert _stored(measure).variation == Variation.IMPROVEMENT_LOW
    services.values_load(
        organisation=org,
        by=editor,
        rows=[services.ValueRow(measure.pk, months(25)[24], value=900.0)],
        source="late.csv",
    )
    assert (_stored(measure).latest, _stored(measure).points) == (900.0, 25)
    assert _stored(measure).variation == Variation.CONCERN_HIGH  # far above the limits, lower being better
    measure.refresh_from_db()
    services.measure_update(
        measure=measure, by=editor, expected_version=measure.version, direction="increase"
    )
    assert _stored(measure).variation == Variation.IMPROVEMENT_HIGH
    summary = selectors.stored_summaries([measure])[measure.pk]
    assert summary.variation == Variation.IMPROVEMENT_HIGH and summary.latest == 900.0


def test_a_failed_load_leaves_the_stored_summary_as_it_was(org, editor, measure):
    from django.core.exceptions import ValidationError

    before = _stored(measure).refreshed_at
    with pytest.raises(ValidationError):
        services.values_load(
            organisation=org,
            by=editor,
            rows=[
                services.ValueRow(measure.pk, months(25)[24], value=1.0),
                services.ValueRow(measure.pk, months(25)[24], value=2.0),  # the same period twice
            ],
            source="bad.csv",
        )
    assert _stored(measure).refreshed_at == before and _stored(measure).points == 24


def test_calendar_year_and_financial_year_grids_are_their_own(org):
    now = timezone.now()
    m = Measure.objects.create(
        organisation=org, name="Survey", kind="value", frequency="annual", year_start="calendar"
    )
    assert m.period_kind == CALENDAR_YEAR
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=m, period=datetime.date(y, 1, 1), value=float(y % 5), updated_at=now)
        for y in (2018, 2019, 2021, 2022)
    )
    figures = compute_figures([m])[m.pk]
    assert figures.latest_period == datetime.date(2022, 1, 1) and figures.points == 4


def _same_arrays(a, b):
    for name in ("ids", "days", "value", "numerator", "denominator"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name


@pytest.mark.parametrize("until", [None, datetime.date(2022, 6, 1)])
def test_figures_packed_in_the_stored_summaries_read_as_the_figures_table_does(org, until):
    """Every kind and frequency, gaps, blanks, an off-grid period, a measure of blanks only and one with none."""
    measures = _many_measures(org, random.Random(61))
    ids = [m.pk for m in measures]
    from_table = selectors.summarise(measures, until=until)
    stored_refresh(ids[: len(ids) // 2])  # half packed: the rest still read from the figures table
    arrays, missing = packed_figures(ids, until=until)
    assert missing == sorted(ids[len(ids) // 2 :])
    assert selectors.summarise(measures, until=until) == from_table
    stored_refresh(ids)
    arrays, missing = packed_figures(ids, until=until)
    assert missing == []
    _same_arrays(arrays, read_figures(ids, until=until))
    assert selectors.summarise(measures, until=until) == from_table


def test_the_services_keep_the_packed_figures_current(org, editor, measure):
    services.values_load(
        organisation=org,
        by=editor,
        rows=[services.ValueRow(measure.pk, months(25)[24], value=900.0)],
        source="late.csv",
    )
    arrays, missing = packed_figures([measure.pk])
    assert missing == [] and arrays.value[-1] == 900.0 and arrays.ids.shape[0] == 25
    _same_arrays(arrays, read_figures([measure.pk]))
