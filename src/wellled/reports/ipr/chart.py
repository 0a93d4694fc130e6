"""A measure's SPC result as plain data (dates, numbers, codes), so an issued report keeps the charts it drew.

An `SPCResult` holds numpy arrays, which a JSON snapshot cannot; `IPRChart` holds the same arrays as tuples, reads
back equal (==), and rebuilds the `SPCResult` the renderers draw from. Missing values (NaN) are kept as None, and so
are limits that could not be computed (too few points), so the snapshot is valid JSON.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from functools import partial

import numpy as np
from reportlab.graphics.shapes import Drawing

from wellled.spc import SPCResult
from wellled.spc import render as spc_render
from wellled.spc.options import Annotation, SPCOptions
from wellled.spc.results import GroupSummary
from wellled.spc.types import Assurance, ChartType, Direction, Variation

from ..papers.charts import chart_cache
from ..papers.vector import ChartFonts, svg_drawing, svg_png, word_picture_scale

DAY = "datetime64[D]"  # measures are charted by day (measures.selectors.measure_spc)
WORD_CHART_WIDTH_MM = 165  # the width Word prints a measure's chart at
CHART_SCALE = word_picture_scale(WORD_CHART_WIDTH_MM)  # 1.35: 975 × 515 pixels at 150 dpi (ADR 0064)


def _days(values) -> tuple[datetime.date, ...]:
    return tuple(np.asarray(values).astype(DAY).astype(object).tolist())


def _day(value) -> datetime.date:
    return np.datetime64(value, "D").astype(object)


def _floats(values) -> tuple[float | None, ...]:
    return tuple(_float(v) for v in np.asarray(values, dtype=np.float64).tolist())


def _float(value) -> float | None:
    """A number for the snapshot: None where it is missing or could not be computed (NaN)."""
    return None if value is None or math.isnan(value) else float(value)


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _ints(values) -> tuple[int, ...]:
    return tuple(int(v) for v in np.asarray(values).tolist())


def _array(values, dtype) -> np.ndarray:
    if dtype is np.float64:
        values = [np.nan if v is None else v for v in values]
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class ChartGroup:
    """One rebase group of the chart: its number, size, dates, centre line and limits (None where there were too
    few points to compute them)."""

    group: int
    n: int
    start: datetime.date
    end: datetime.date
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None


@dataclass(frozen=True)
class ChartNote:
    """A dated note on the chart (a PDSA cycle, a change made)."""

    date: datetime.date
    text: str


@dataclass(frozen=True)
class IPRChart:
    """Everything the chart of one measure is drawn from, as it stood when the report was made."""

    chart: ChartType
    direction: Direction
    multiplier: float
    rebase: tuple[datetime.date, ...]
    target: float | None
    dates: tuple[datetime.date, ...]
    values: tuple[float | None, ...]
    denominators: tuple[float | None, ...] | None
    group: tuple[int, ...]
    mean: tuple[float | None, ...]
    lower_limit: tuple[float | None, ...]
    upper_limit: tuple[float | None, ...]
    lower_two_sigma: tuple[float | None, ...]
    upper_two_sigma: tuple[float | None, ...]
    outside_limits: tuple[bool, ...]
    close_to_limits: tuple[bool, ...]
    relative_to_mean: tuple[int, ...]
    rule_code: tuple[int, ...]
    side: tuple[int, ...]
    point_type_code: tuple[int, ...]
    variation: Variation
    assurance: Assurance | None
    groups: tuple[ChartGroup, ...]
    notes: tuple[ChartNote, ...]
    warnings: tuple[str, ...]

    @classmethod
    def from_result(cls, result: SPCResult) -> IPRChart:
        options = result.options
        return cls(
            chart=options.chart,
            direction=options.improvement_direction,
            multiplier=float(options.multiplier),
            rebase=_days(options.rebase) if options.rebase else (),
            target=None if result.target is None else float(result.target),
            dates=_days(result.dates),
            values=_floats(result.values),
            denominators=None if result.denominators is None else _floats(result.denominators),
            group=_ints(result.group),
            mean=_floats(result.mean),
            lower_limit=_floats(result.lower_limit),
            upper_limit=_floats(result.upper_limit),
            lower_two_sigma=_floats(result.lower_two_sigma),
            upper_two_sigma=_floats(result.upper_two_sigma),
            outside_limits=tuple(bool(v) for v in result.outside_limits.tolist()),
            close_to_limits=tuple(bool(v) for v in result.close_to_limits.tolist()),
            relative_to_mean=_ints(result.relative_to_mean),
            rule_code=_ints(result.rule_code),
            side=_ints(result.side),
            point_type_code=_ints(result.point_type_code),
            variation=result.variation,
            assurance=result.assurance,
            groups=tuple(
                ChartGroup(
                    group=int(g.group),
                    n=int(g.n),
                    start=_day(g.start),
                    end=_day(g.end),
                    mean=_float(g.mean),
                    lower_limit=_float(g.lower_limit),
                    upper_limit=_float(g.upper_limit),
                )
                for g in result.groups
            ),
            notes=tuple(ChartNote(date=_day(a.date), text=a.text) for a in result.annotations),
            warnings=tuple(result.warnings),
        )

    @property
    def points(self) -> int:
        """How many values the chart plots (missing ones aside)."""
        return sum(value is not None for value in self.values)

    @property
    def too_few_points(self) -> bool:
        """True when the chart should have process limits but has too few points to compute them (the SPC engine
        leaves them missing), so its variation says nothing yet."""
        if self.variation is Variation.TOO_FEW_POINTS:  # the engine's verdict (MIN_POINTS_FOR_LIMITS)
            return True
        latest = self.groups[-1] if self.groups else None
        return self.chart is not ChartType.RUN and (latest is None or latest.upper_limit is None)

    def to_result(self) -> SPCResult:
        """The SPC result this chart was taken from, for the SVG and PNG renderers."""
        options = SPCOptions(
            chart=self.chart,
            improvement_direction=self.direction,
            target=self.target,
            rebase=tuple(np.datetime64(day, "D") for day in self.rebase),
            multiplier=self.multiplier,
        )
        return SPCResult(
            series=None,
            options=options,
            target=self.target,
            dates=_array(self.dates, DAY),
            values=_array(self.values, np.float64),
            denominators=None if self.denominators is None else _array(self.denominators, np.float64),
            group=_array(self.group, np.int64),
            mean=_array(self.mean, np.float64),
            lower_limit=_array(self.lower_limit, np.float64),
            upper_limit=_array(self.upper_limit, np.float64),
            lower_two_sigma=_array(self.lower_two_sigma, np.float64),
            upper_two_sigma=_array(self.upper_two_sigma, np.float64),
            outside_limits=_array(self.outside_limits, np.bool_),
            close_to_limits=_array(self.close_to_limits, np.bool_),
            relative_to_mean=_array(self.relative_to_mean, np.int8),
            rule_code=_array(self.rule_code, np.int8),
            side=_array(self.side, np.int8),
            point_type_code=_array(self.point_type_code, np.int8),
            variation=self.variation,
            assurance=self.assurance,
            groups=tuple(
                GroupSummary(
                    group=g.group,
                    n=g.n,
                    start=np.datetime64(g.start, "D"),
                    end=np.datetime64(g.end, "D"),
                    mean=_nan(g.mean),
                    lower_limit=_nan(g.lower_limit),
                    upper_limit=_nan(g.upper_limit),
                )
                for g in self.groups
            ),
            annotations=tuple(Annotation(np.datetime64(n.date, "D"), n.text) for n in self.notes),
            warnings=self.warnings,
        )


def measure_svg(measure, charts=None) -> str:
    """A report measure's SPC chart, drawn once per issue as SVG by the SPC renderer: every format asks the same
    ChartCache (reports.papers.charts), keyed by the measure, so the PDF and the Word file share one drawing."""

    def draw() -> str:
        return spc_render.render_svg(measure.result, title=measure.name, y_label=measure.unit_label or None)

    return chart_cache(charts).draw(("ipr-svg", measure.measure_id), draw)


def measure_drawing(measure, charts=None, *, width: float, fonts: ChartFonts) -> Drawing:
    """The measure's chart for the PDF: its one drawing as vector shapes `width` points wide, made once."""
    charts = chart_cache(charts)
    return charts.convert(
        ("ipr-pdf", measure.measure_id, width, fonts),
        lambda: svg_drawing(measure_svg(measure, charts), width=width, fonts=fonts),
    )


def measure_png(measure, charts=None) -> bytes:
    """The measure's chart for Word: its one drawing rasterised once (Word shows pictures, not vector shapes)."""
    charts = chart_cache(charts)
    return charts.convert(
        ("ipr-png", measure.measure_id, CHART_SCALE),
        lambda: svg_png(measure_svg(measure, charts), scale=CHART_SCALE),
    )


def pictures_ahead(measures, charts) -> None:
    """Start Word's pictures of the measures' charts in the background while the PDF is laid out: each chart is
    drawn here first (once, on this thread), and only its rasterising runs beside the PDF."""
    for measure in measures:
        if measure.chart is None:
            continue
        svg = measure_svg(measure, charts)
        charts.ahead(("ipr-png", measure.measure_id, CHART_SCALE), partial(svg_png, svg, scale=CHART_SCALE))
