"""Many measures' SPC summaries (icons, latest value) computed from arrays, and each measure's stored summary.

The stored figures go from the database into numpy arrays (one COPY in binary on PostgreSQL, one query elsewhere),
are laid on each measure's period grid with numpy (gaps as NaN) and go through `wellled.spc.spc_batch` once per
chart type: no Python object per point. Services refresh a measure's stored summary in the transaction that changes
its figures, so pages and portfolios read it (issue 24, ADR 0051).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from wellled.spc import Assurance, Variation, spc_batch

from .choices import CALENDAR_YEAR, Direction, Frequency, MeasureKind
from .models import Measure, MeasureSpcSummary, MeasureValue, Rebase
from .periods import period_grid

# Months between periods of the frequencies counted in months, and days between those counted in days
# (measures/periods.py `next_period`: the one rule for what the next period is).
MONTHS_APART: dict[str, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SIX_MONTHLY: 6,
    Frequency.ANNUAL: 12,
    CALENDAR_YEAR: 12,
}
DAYS_APART: dict[str, int] = {Frequency.WEEKLY: 7, Frequency.DAILY: 1}
# period_grid gives up laying a grid this long (a series of daily figures over 13 years): the stored periods only.
GRID_LIMIT = 5000
EPOCH = datetime.date(1970, 1, 1)

_HIGH_LOW = {
    Variation.IMPROVEMENT_HIGH: "high",
    Variation.CONCERN_LOW: "low",
    Variation.NEUTRAL_HIGH: "high",
    Variation.NEUTRAL_LOW: "low",
    Variation.IMPROVEMENT_LOW: "low",
    Variation.CONCERN_HIGH: "high",
}


def directed_variation(as_increase: Variation, direction: str) -> Variation:
    """A variation icon computed as if higher were better, read through the measure's real direction."""
    if as_increase is Variation.TOO_FEW_POINTS:
        return as_increase
    side = _HIGH_LOW.get(as_increase)
    if side is None:
        return Variation.COMMON_CAUSE
    if direction == Direction.NEUTRAL:
        return Variation.NEUTRAL_HIGH if side == "high" else Variation.NEUTRAL_LOW
    if direction == Direction.DECREASE:
        return Variation.CONCERN_HIGH if side == "high" else Variation.IMPROVEMENT_LOW
    return Variation.IMPROVEMENT_HIGH if side == "high" else Variation.CONCERN_LOW


def directed_assurance(as_increase: Assurance | None, direction: str) -> Assurance | None:
    """An assurance icon computed as if higher were better, read through the measure's real direction."""
    if as_increase is None or direction == Direction.NEUTRAL:
        return None
    if direction == Direction.DECREASE:
        return {Assurance.PASS: Assurance.FAIL, Assurance.FAIL: Assurance.PASS}.get(as_increase, as_increase)
    return as_increase


@dataclass(frozen=True)
class Figures:
    """A measure's summary: variation and assurance icons (None: no data yet), latest shown value and period."""

    variation: Variation | None = None
    assurance: Assurance | None = None
    latest: float | None = None
    latest_period: datetime.date | None = None
    points: int = 0


@dataclass(frozen=True)
class StoredArrays:
    """Stored figures of many measures as parallel arrays in (measure id, period) order; NaN for a blank."""

    ids: np.ndarray  # int64
    days: np.ndarray  # int64: days since 1970-01-01
    value: np.ndarray  # float64
    numerator: np.ndarray
    denominator: np.ndarray

    def take(self, rows: np.ndarray) -> StoredArrays:
        return StoredArrays(
            *(getattr(self, f)[rows] for f in ("ids", "days", "value", "numerator", "denominator"))
        )


# Each column comes as one array in PostgreSQL's binary array format (`array_send`): a 20-byte header (dimensions,
# null flag, element type, length, lower bound), then each element as its length (4 bytes) and its bytes, big-endian.
# Every element is made non-null, so each column is one fixed-width block numpy reads as it is.
_ARRAY_HEADER = 20
_ELEMENT = {width: np.dtype([("length", ">i4"), ("x", kind)]) for width, kind in ((4, ">i4"), (8, ">f8"))}
_ELEMENT_ID = np.dtype([("length", ">i4"), ("x", ">i8")])
_ARRAYS_SQL = (
    "SELECT array_send(array_agg(measure_id)), array_send(array_agg(period - DATE '1970-01-01')), "
    "array_send(array_agg(COALESCE(value, 'NaN'::float8))), array_send(array_agg(COALESCE(numerator, 'NaN'::float8))), "
    "array_send(array_agg(COALESCE(denominator, 'NaN'::float8))) "
    "FROM measures_measurevalue WHERE measure_id = ANY(%s){until}"
)


def _column(data: bytes | memoryview, element: np.dtype) -> np.ndarray:
    return np.frombuffer(data, dtype=element, offset=_ARRAY_HEADER)["x"]


def _read_postgresql(ids: list[int], until: datetime.date | None) -> StoredArrays:
    """One query, one row: each column aggregated into one binary array, which numpy reads as one block (no
    Python object per row; a row each would cost more than the SPC itself)."""
    sql = _ARRAYS_SQL.format(until=" AND period <= %s" if until is not None else "")
    params: list[Any] = [ids] + ([until] if until is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return _no_figures()
    id_col, day_col, *figure_cols = row
    return StoredArrays(
        _column(id_col, _ELEMENT_ID).astype(np.int64),
        _column(day_col, _ELEMENT[4]).astype(np.int64),
        *(_column(col, _ELEMENT[8]).astype(np.float64) for col in figure_cols),
    )


def _no_figures() -> StoredArrays:
    empty = np.zeros(0)
    return StoredArrays(empty.astype(np.int64), empty.astype(np.int64), empty, empty, empty)


def _read_portable(ids: list[int], until: datetime.date | None) -> StoredArrays:
    """One query through the ORM (SQLite, tests): its rows go straight into arrays."""
    values = MeasureValue.objects.filter(measure_id__in=ids)
    if until is not None:
        values = values.filter(period__lte=until)
    rows = list(values.values_list("measure_id", "period", "value", "numerator", "denominator"))
    if not rows:
        return _no_figures()
    measure_ids, periods, *figures = zip(*rows, strict=True)
    days = np.array(periods, dtype="datetime64[D]").astype(np.int64)
    value, numerator, denominator = (np.array(f, dtype=np.float64) for f in figures)
    return StoredArrays(np.array(measure_ids, dtype=np.int64), days, value, numerator, denominator)


def read_figures(ids: Iterable[int], *, until: datetime.date | None = None) -> StoredArrays:
    """The stored figures of the measures `ids` (periods up to `until` if given) as arrays, in (measure, period)
    order: one query. Rows come in the order the database holds them, and are sorted only when they are not."""
    id_list = sorted(set(ids))
    reader = _read_postgresql if connection.vendor == "postgresql" else _read_portable
    arrays = reader(id_list, until)
    n = arrays.ids.shape[0]
    if n > 1:
        same = arrays.ids[1:] == arrays.ids[:-1]
        in_order = (arrays.ids[1:] > arrays.ids[:-1]) | (same & (arrays.days[1:] > arrays.days[:-1]))
        if not bool(in_order.all()):
            arrays = arrays.take(np.lexsort((arrays.days, arrays.ids)))
    return arrays


def _rows_of(table_sql: str, columns: str, ids: list[int], model_rows) -> list[tuple]:
    """Rows of many measures: on PostgreSQL the ids go as one array parameter (`= ANY`), not thousands of
    parameters each quoted on the way; elsewhere the ORM's `model_rows` (a values_list) is read."""
    if connection.vendor != "postgresql":
        return list(model_rows)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table_sql} WHERE measure_id = ANY(%s)", [ids])  # noqa: S608 (fixed)
        return cursor.fetchall()


def rebase_dates(
    ids: Iterable[int], *, until: datetime.date | None = None
) -> dict[Hashable, list[datetime.date]]:
    """The rebase dates of the measures `ids` by measure id: one query (the ids as one array on PostgreSQL, not
    thousands of parameters)."""
    id_list = list(ids)
    out: dict[Hashable, list[datetime.date]] = defaultdict(list)
    rebases = Rebase.objects.filter(measure_id__in=id_list)
    rows = _rows_of("measures_rebase", "measure_id, date", id_list, rebases.values_list("measure_id", "date"))
    rows.sort()
    for measure_id, day in rows:
        if until is None or day <= until:
            out[measure_id].append(day)
    return out


@dataclass(frozen=True)
class Gridded:
    """Measures' series laid on their period grids (gaps as NaN), end to end in (measure id, date) order."""

    ids: np.ndarray  # measure id per row
    dates: np.ndarray  # datetime64[D]
    values: np.ndarray  # numerators for p and u charts, else the values
    denominators: np.ndarray
    shown: np.ndarray  # the value as plotted: % for proportions, per N for rates; NaN where none


def _month_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _python_grid(measure: Measure, days: np.ndarray) -> np.ndarray:
    """One measure's grid (days since 1970) by measures/periods.py itself: for periods off the usual grid."""
    periods = [EPOCH + datetime.timedelta(days=int(d)) for d in days]
    grid = period_grid(periods, measure.period_kind, limit=GRID_LIMIT)
    return np.array(grid, dtype="datetime64[D]").astype(np.int64)


def lay_on_grids(arrays: StoredArrays, measures: Sequence[Measure]) -> Gridded:
    """Each measure's rows on its period grid, first to last period, with NaN in the gaps (as period_grid lays
    them). `arrays` holds only these measures' rows, sorted; measures without rows are left out."""
    n = arrays.ids.shape[0]
    if n == 0:
        empty = np.zeros(0)
        return Gridded(empty.astype(np.int64), empty.astype("datetime64[D]"), empty, empty, empty)
    starts = np.flatnonzero(np.diff(arrays.ids, prepend=np.int64(-1)) != 0)
    ends = np.append(starts[1:], n)
    pks = arrays.ids[starts]
    by_pk = {m.pk: m for m in measures}
    kinds = [by_pk[pk] for pk in pks.tolist()]
    months_apart = np.array([MONTHS_APART.get(m.period_kind, 0) for m in kinds], dtype=np.int64)
    days_apart = np.array([DAYS_APART.get(m.period_kind, 0) for m in kinds], dtype=np.int64)
    by_month = np.repeat(months_apart > 0, ends - starts)
    step = np.repeat(np.where(months_apart > 0, months_apart, np.maximum(days_apart, 1)), ends - starts)
    months = _month_of(arrays.days)
    first_of_month = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) == arrays.days
    unit = np.where(by_month, months, arrays.days)  # the row's period counted in months, or in days
    offset = unit - np.repeat(unit[starts], ends - starts)
    position = offset // step
    on_grid = (offset % step == 0) & (first_of_month | ~by_month)
    ok = np.logical_and.reduceat(on_grid, starts)
    length = np.where(ok, position[ends - 1] + 1, 0)
    ok &= length < GRID_LIMIT
    # Where the usual grid does not hold (a period off the grid, a grid too long), measures/periods.py lays it.
    grids: dict[int, np.ndarray] = {}
    for i in np.flatnonzero(~ok).tolist():
        grids[i] = _python_grid(kinds[i], arrays.days[starts[i] : ends[i]])
        length[i] = grids[i].shape[0]
    total = int(length.sum())
    gapless = not grids and total == n  # the usual case: every period has its row, nothing to lay out
    if not gapless:
        out_starts = np.concatenate(([0], np.cumsum(length)[:-1])).astype(np.int64)
        row_to = np.repeat(out_starts, ends - starts) + position
        for i, grid in grids.items():
            row_to[starts[i] : ends[i]] = out_starts[i] + np.searchsorted(
                grid, arrays.days[starts[i] : ends[i]]
            )
        k = np.arange(total, dtype=np.int64) - np.repeat(out_starts, length)
        first_unit = np.repeat(unit[starts], length)
        step_out = np.repeat(np.where(months_apart > 0, months_apart, np.maximum(days_apart, 1)), length)
        month_rows = np.repeat(months_apart > 0, length)
        units = first_unit + k * step_out
        dates = np.where(
            month_rows, units.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64), units
        )
        for i, grid in grids.items():
            dates[out_starts[i] : out_starts[i] + length[i]] = grid
    with_denominator = np.array([m.has_denominator for m in kinds], dtype=np.bool_)
    multiplier = np.array([m.multiplier for m in kinds], dtype=np.float64)
    den_rows = np.repeat(with_denominator, ends - starts)
    nums = np.where(den_rows, arrays.numerator, arrays.value)
    dens = np.where(den_rows, arrays.denominator, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = nums / dens * np.repeat(multiplier, ends - starts)
    shown_in = np.where(den_rows, np.where(np.isnan(dens) | (dens == 0), np.nan, ratio), arrays.value)
    if gapless:
        return Gridded(arrays.ids, arrays.days.astype("datetime64[D]"), nums, dens, shown_in)
    values = np.full(total, np.nan)
    denominators = np.full(total, np.nan)
    shown = np.full(total, np.nan)
    values[row_to], denominators[row_to], shown[row_to] = nums, dens, shown_in
    return Gridded(np.repeat(pks, length), dates.astype("datetime64[D]"), values, denominators, shown)


def compute_figures(
    measures: Sequence[Measure], *, until: datetime.date | None = None, arrays: StoredArrays | None = None
) -> dict[int, Figures]:
    """Icons and latest values of many measures: two queries, and one spc_batch call per chart type present.

    Measures without figures are left out (no data yet). With `until`, only periods on or before it count.
    `arrays`: their figures already read (read_figures or packed_figures), in (measure, period) order."""
    if not measures:
        return {}
    by_pk = {m.pk: m for m in measures}
    if arrays is None:
        arrays = read_figures(by_pk, until=until)
    rebases = rebase_dates(by_pk, until=None)
    grid = lay_on_grids(arrays, list(by_pk.values()))
    n = grid.ids.shape[0]
    if n == 0:
        return {}
    starts = np.flatnonzero(np.diff(grid.ids, prepend=np.int64(-1)) != 0)
    pks = grid.ids[starts]
    has_value = ~np.isnan(grid.values)
    live = np.logical_or.reduceat(has_value, starts)  # a series of blanks only has no chart
    shown_ok = ~np.isnan(grid.shown)
    points = np.add.reduceat(shown_ok.astype(np.int64), starts)
    row_index = np.where(shown_ok, np.arange(n), -1)
    last_shown = np.maximum.reduceat(row_index, starts)
    out: dict[int, Figures] = {}
    latest: dict[int, tuple[float | None, datetime.date | None, int]] = {}
    for pk, row, count in zip(pks.tolist(), last_shown.tolist(), points.tolist(), strict=True):
        if row >= 0:
            day = EPOCH + datetime.timedelta(days=int(grid.dates[row].astype(np.int64)))
            latest[pk] = (float(grid.shown[row]), day, count)
    charts = np.array([by_pk[pk].chart for pk in pks.tolist()])
    lengths = np.diff(np.append(starts, n))
    for chart in sorted(set(charts[live].tolist())):
        series = np.repeat(live & (charts == chart), lengths)
        targets: dict[Hashable, float | None] = {}
        for pk in pks[live & (charts == chart)].tolist():
            measure = by_pk[pk]
            target = measure.target
            if target is not None and measure.kind == MeasureKind.RATE:
                target = target / measure.multiplier  # the batch computes rates per 1: the icons are the same
            targets[pk] = target
        batch = spc_batch(
            grid.ids[series],
            grid.dates[series],
            grid.values[series],
            denominators=grid.denominators[series] if chart in ("p", "u") else None,
            chart=chart,
            improvement_direction="increase",
            multiplier=100.0 if chart == "p" else 1.0,
            targets=targets,
            rebases={pk: days for pk, days in rebases.items() if pk in targets},
        )
        variations, assurances = batch.variations, batch.assurances
        for series_id in batch.series_ids:
            pk = int(series_id)  # type: ignore[call-overload]
            direction = by_pk[pk].direction
            value, period, count = latest.get(pk, (None, None, 0))
            out[pk] = Figures(
                variation=directed_variation(variations[pk], direction),
                assurance=directed_assurance(assurances[pk], direction),
                latest=value,
                latest_period=period,
                points=count,
            )
    return out


# The stored summary ---------------------------------------------------------------------------------------------


_STORED_COLUMNS = ("measure_id", "variation", "assurance", "latest", "latest_period", "points")


def stored_figures(ids: Iterable[int]) -> dict[int, Figures]:
    """The stored summaries of the measures `ids` that have one, by measure id: one query, no SPC."""
    id_list = list(ids)
    model_rows = MeasureSpcSummary.objects.filter(measure_id__in=id_list).values_list(*_STORED_COLUMNS)
    rows = _rows_of("measures_measurespcsummary", ", ".join(_STORED_COLUMNS), id_list, model_rows)
    return {
        pk: Figures(
            variation=Variation(variation) if variation else None,
            assurance=Assurance(assurance) if assurance else None,
            latest=latest,
            latest_period=latest_period,
            points=points,
        )
        for pk, variation, assurance, latest, latest_period, points in rows
    }


def stored_refresh(measure_ids: Iterable[int]) -> int:
    """Compute the measures' summaries again and store them (called inside the service's transaction that
    changed their figures, rebases or definition): three queries and a bulk write, however many measures."""
    measures = list(Measure.objects.filter(pk__in=list(set(measure_ids))))
    if not measures:
        return 0
    arrays = read_figures(m.pk for m in measures)
    figures = compute_figures(measures, arrays=arrays)
    packed = pack_figures(arrays)
    now = timezone.now()
    rows = []
    for measure in measures:
        f = figures.get(measure.pk, Figures())
        rows.append(
            MeasureSpcSummary(
                measure_id=measure.pk,
                variation=f.variation.value if f.variation else "",
                assurance=f.assurance.value if f.assurance else "",
                latest=f.latest,
                latest_period=f.latest_period,
                points=f.points,
                figures=packed.get(measure.pk, b""),
                refreshed_at=now,
            )
        )
    MeasureSpcSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["measure"],
        update_fields=[
            "variation",
            "assurance",
            "latest",
            "latest_period",
            "points",
            "figures",
            "refreshed_at",
        ],
        batch_size=2000,
    )
    return len(rows)


# Each measure's figures packed in its stored summary: the period as days since 1970 (int32), then the value,
# numerator and denominator (float64, NaN for a blank), little-endian, one record a period in period order.
PACKED = np.dtype([("day", "<i4"), ("value", "<f8"), ("numerator", "<f8"), ("denominator", "<f8")])


def pack_figures(arrays: StoredArrays) -> dict[int, bytes]:
    """Each measure's figures as PACKED bytes, by measure id (the arrays in (measure, period) order)."""
    n = arrays.ids.shape[0]
    if n == 0:
        return {}
    table = np.empty(n, dtype=PACKED)
    table["day"], table["value"] = arrays.days, arrays.value
    table["numerator"], table["denominator"] = arrays.numerator, arrays.denominator
    starts = np.flatnonzero(np.diff(arrays.ids, prepend=np.int64(-1)) != 0)
    ends = np.append(starts[1:], n)
    return {
        int(arrays.ids[a]): table[a:b].tobytes() for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    }


_PACKED_SQL = (
    "SELECT array_send(array_agg(measure_id ORDER BY measure_id)), "
    "array_send(array_agg(length(figures) ORDER BY measure_id)), string_agg(figures, ''::bytea ORDER BY measure_id) "
    "FROM measures_measurespcsummary WHERE measure_id = ANY(%s) AND figures IS NOT NULL"
)


def _packed_rows(ids: list[int]) -> tuple[np.ndarray, np.ndarray, bytes]:
    """(measure ids, bytes of each, all their packed figures end to end) of the measures with packed figures."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PACKED_SQL, [ids])
            id_col, length_col, data = cursor.fetchone()
        if id_col is None:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), b""
        return (
            _column(id_col, _ELEMENT_ID).astype(np.int64),
            _column(length_col, _ELEMENT[4]).astype(np.int64),
            bytes(data or b""),
        )
    rows = [
        (pk, bytes(packed or b""))
        for pk, packed in MeasureSpcSummary.objects.filter(measure_id__in=ids, figures__isnull=False)
        .order_by("measure_id")
        .values_list("measure_id", "figures")
    ]
    return (
        np.array([pk for pk, _ in rows], dtype=np.int64),
        np.array([len(packed) for _, packed in rows], dtype=np.int64),
        b"".join(packed for _, packed in rows),
    )


def packed_figures(
    ids: Iterable[int], *, until: datetime.date | None = None
) -> tuple[StoredArrays, list[int]]:
    """The figures of the measures `ids` from their stored summaries (one query, one row a measure, not one a
    figure) as read_figures gives them, and the ids with none packed yet (to read from the figures table)."""
    id_list = sorted(set(ids))
    measure_ids, lengths, data = _packed_rows(id_list)
    table = np.frombuffer(data, dtype=PACKED)
    counts = lengths // PACKED.itemsize
    arrays = StoredArrays(
        np.repeat(measure_ids, counts),
        table["day"].astype(np.int64),
        table["value"].astype(np.float64),
        table["numerator"].astype(np.float64),
        table["denominator"].astype(np.float64),
    )
    if until is not None:
        arrays = arrays.take(np.flatnonzero(arrays.days <= (until - EPOCH).days))
    found = set(measure_ids.tolist())
    return arrays, [pk for pk in id_list if pk not in found]


def summary_arrays(ids: Iterable[int], *, until: datetime.date | None = None) -> StoredArrays:
    """The figures of many measures: packed where their stored summary has them, the rest from the figures table
    (a second query only when some are not packed), in (measure, period) order."""
    arrays, missing = packed_figures(ids, until=until)
    if not missing:
        return arrays
    rest = read_figures(missing, until=until)
    both = StoredArrays(
        *(
            np.concatenate([getattr(arrays, f), getattr(rest, f)])
            for f in ("ids", "days", "value", "numerator", "denominator")
        )
    )
    return both.take(np.lexsort((both.days, both.ids)))
