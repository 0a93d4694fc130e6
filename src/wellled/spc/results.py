"""Frozen result objects: one series (SPCResult) and many (BatchResult)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .options import Annotation, SPCOptions
from .segments import BoolArray, FloatArray, IntArray
from .types import (
    ASSURANCE_CODES,
    POINT_TYPE_CODES,
    RULE_CODES,
    VARIATION_CODES,
    Assurance,
    PointType,
    Rule,
    Variation,
)

Int8Array = NDArray[np.int8]


def _num(x: float) -> float | None:
    """A float for JSON: None for missing values."""
    return None if math.isnan(x) else float(x)


def format_date(d: np.datetime64) -> str:
    """ISO text of a date (YYYY-MM-DD for whole days, else date and time)."""
    if np.datetime_data(d.dtype)[0] in ("Y", "M", "W", "D"):
        return str(d.astype("datetime64[D]"))
    return str(np.datetime_as_string(d, unit="s"))


@dataclass(frozen=True)
class Point:
    """One point of a chart, as shown and as exported."""

    date: np.datetime64
    value: float | None
    group: int
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    rule: Rule | None
    point_type: PointType

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of a point, with the keys of the public output."""
        return {
            "date": format_date(self.date),
            "value": self.value,
            "group": self.group,
            "mean": self.mean,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "rule": None if self.rule is None else self.rule.value,
            "point_type": self.point_type.value,
        }


@dataclass(frozen=True)
class GroupSummary:
    """A rebase group: its number, size, dates and (first point's) centre line and limits."""

    group: int
    n: int
    start: np.datetime64
    end: np.datetime64
    mean: float
    lower_limit: float
    upper_limit: float


@dataclass(frozen=True)
class PointColumns:
    """The arrays with one entry a point, in date order: of one series, or of many series end to end."""

    dates: NDArray[np.datetime64]
    values: FloatArray
    denominators: FloatArray | None
    group: IntArray
    mean: FloatArray
    lower_limit: FloatArray
    upper_limit: FloatArray
    lower_two_sigma: FloatArray
    upper_two_sigma: FloatArray
    outside_limits: BoolArray
    close_to_limits: BoolArray
    relative_to_mean: Int8Array
    rule_code: Int8Array
    side: Int8Array
    point_type_code: Int8Array

    def freeze(self) -> None:
        """Make every array read-only: a result is shared by the pages and papers that show it."""
        for column in fields(PointColumns):
            array = getattr(self, column.name)
            if array is not None:
                array.flags.writeable = False

    def rows(self, rows: slice) -> dict[str, Any]:
        """The same arrays cut to `rows`, by field name (to build one series' result from a batch)."""
        cut: dict[str, Any] = {}
        for column in fields(PointColumns):
            array = getattr(self, column.name)
            cut[column.name] = None if array is None else array[rows]
        return cut


@dataclass(frozen=True)
class SPCResult(PointColumns):
    """Everything known about one series after the calculation; arrays are read-only, in date order."""

    series: Hashable | None
    options: SPCOptions
    target: float | None
    variation: Variation
    assurance: Assurance | None
    groups: tuple[GroupSummary, ...]
    annotations: tuple[Annotation, ...]
    warnings: tuple[str, ...]

    def __len__(self) -> int:
        """Number of points."""
        return int(self.values.shape[0])

    @property
    def missing(self) -> BoolArray:
        """Rows whose value is missing."""
        return np.isnan(self.values)

    @property
    def rules(self) -> list[Rule | None]:
        """The rule labelling each point (None for common cause)."""
        return [RULE_CODES[c] for c in self.rule_code.tolist()]

    @property
    def point_types(self) -> list[PointType]:
        """The type (colour) of each point."""
        return [POINT_TYPE_CODES[c] for c in self.point_type_code.tolist()]

    @property
    def special_cause_indices(self) -> list[int]:
        """0-based positions of the points flagged by any rule."""
        return np.flatnonzero(self.rule_code != 0).tolist()

    def points(self) -> list[Point]:
        """The points as objects (for templates and exports)."""
        nums = [self.values, self.mean, self.lower_limit, self.upper_limit]
        cols = [[_num(v) for v in a.tolist()] for a in nums]
        return [
            Point(d, v, g, m, lo, hi, RULE_CODES[r], POINT_TYPE_CODES[p])
            for d, v, g, m, lo, hi, r, p in zip(
                self.dates,
                *cols[:1],
                self.group.tolist(),
                *cols[1:],
                self.rule_code.tolist(),
                self.point_type_code.tolist(),
                strict=True,
            )
        ]

    @property
    def n_points(self) -> int:
        """How many points have a value (missing periods do not count towards a baseline)."""
        return int(np.count_nonzero(~np.isnan(self.values)))

    @property
    def too_few_points(self) -> bool:
        """Whether the series is too short for process limits (shown as a run chart, never "common cause")."""
        return self.variation is Variation.TOO_FEW_POINTS

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the series, with the keys of the public output."""
        return {
            "series": self.series,
            "variation": self.variation.value,
            "assurance": None if self.assurance is None else self.assurance.value,
            "n_points": self.n_points,
            "points": [p.to_dict() for p in self.points()],
        }


@dataclass(frozen=True)
class BatchResult(PointColumns):
    """Many series computed in one pass: long arrays in (series, date) order plus per-series icons."""

    series_ids: tuple[Hashable, ...]
    options: SPCOptions
    series_starts: IntArray
    targets: FloatArray
    variation_code: Int8Array
    assurance_code: Int8Array
    segment_starts: IntArray
    segment_lengths: IntArray
    annotations: dict[int, tuple[Annotation, ...]]
    warnings: dict[int, tuple[str, ...]]

    def __post_init__(self) -> None:
        """A batch is read-only from the moment it is made."""
        self.freeze()

    def __len__(self) -> int:
        """Number of series."""
        return len(self.series_ids)

    def __iter__(self) -> Iterator[SPCResult]:
        """Each series' result, in the order of series_ids."""
        return (self.result(i) for i in range(len(self)))

    def __getitem__(self, series: Hashable) -> SPCResult:
        """The result of one series by its id."""
        try:
            i = self._index[series]
        except KeyError:
            raise KeyError(f"no series {series!r} in this batch") from None
        return self.result(i)

    @cached_property
    def _index(self) -> dict[Hashable, int]:
        return {s: i for i, s in enumerate(self.series_ids)}

    @property
    def variations(self) -> dict[Hashable, Variation]:
        """Variation icon of every series."""
        return {
            s: VARIATION_CODES[c] for s, c in zip(self.series_ids, self.variation_code.tolist(), strict=True)
        }

    @property
    def point_counts(self) -> dict[Hashable, int]:
        """How many points with a value each series has."""
        counts = np.add.reduceat((~np.isnan(self.values)).astype(np.int64), self.series_starts)
        return dict(zip(self.series_ids, counts.tolist(), strict=True))

    @property
    def assurances(self) -> dict[Hashable, Assurance | None]:
        """Assurance icon of every series (None without a target)."""
        codes = self.assurance_code.tolist()
        return {s: ASSURANCE_CODES[c] for s, c in zip(self.series_ids, codes, strict=True)}

    @property
    def all_warnings(self) -> list[str]:
        """Every warning of every series, in series order."""
        return [w for i in sorted(self.warnings) for w in self.warnings[i]]

    def result(self, i: int) -> SPCResult:
        """The result of the i-th series (by position in series_ids)."""
        n = self.values.shape[0]
        lo = int(self.series_starts[i])
        hi = int(self.series_starts[i + 1]) if i + 1 < len(self.series_starts) else n
        sl = slice(lo, hi)
        seg_lo, seg_hi = np.searchsorted(self.segment_starts, [lo, hi])
        groups = tuple(
            GroupSummary(
                group=int(self.group[s]),
                n=int(ln),
                start=self.dates[s],
                end=self.dates[s + ln - 1],
                mean=float(self.mean[s]),
                lower_limit=float(self.lower_limit[s]),
                upper_limit=float(self.upper_limit[s]),
            )
            for s, ln in zip(
                self.segment_starts[seg_lo:seg_hi].tolist(),
                self.segment_lengths[seg_lo:seg_hi].tolist(),
                strict=True,
            )
        )
        target = float(self.targets[i])
        return SPCResult(
            series=self.series_ids[i],
            options=self.options,
            target=None if math.isnan(target) else target,
            **self.rows(sl),
            variation=VARIATION_CODES[int(self.variation_code[i])],
            assurance=ASSURANCE_CODES[int(self.assurance_code[i])],
            groups=groups,
            annotations=self.annotations.get(i, ()),
            warnings=self.warnings.get(i, ()),
        )

    def to_list(self) -> list[dict[str, Any]]:
        """The JSON objects of every series."""
        return [r.to_dict() for r in self]
