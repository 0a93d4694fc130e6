"""Options of an SPC calculation, as a frozen dataclass with presets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .constants import (
    IHI_SHIFT_LENGTH,
    IHI_TREND_LENGTH,
    MDC_EXCEL_SHIFT_LENGTH,
    MDC_EXCEL_TREND_LENGTH,
    MDC_SHIFT_LENGTH,
    MDC_TREND_LENGTH,
    MIN_FIX_AFTER,
    MIN_POINTS_FOR_LIMITS,
    SHORT_GROUP_THRESHOLD,
)
from .types import ChartType, Direction

DateLike = str | dt.date | dt.datetime | np.datetime64


def to_datetime64(value: DateLike) -> np.datetime64:
    """Turn one date-like value into a numpy datetime64 (ISO strings, dates, datetimes)."""
    if isinstance(value, np.datetime64):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(value)


@dataclass(frozen=True)
class Annotation:
    """A dated note, such as "new triage process", shown on the chart and carried in results."""

    date: np.datetime64
    text: str

    def __post_init__(self) -> None:
        """Normalise the date so annotations compare and sort reliably."""
        object.__setattr__(self, "date", to_datetime64(self.date))
        object.__setattr__(self, "text", str(self.text))


def annotations_from(items: Any) -> tuple[Annotation, ...]:
    """Accept a mapping {date: text}, pairs (date, text) or Annotation objects; return sorted."""
    if not items:
        return ()
    pairs = items.items() if hasattr(items, "items") else items
    out = [a if isinstance(a, Annotation) else Annotation(a[0], a[1]) for a in pairs]
    return tuple(sorted(out, key=lambda a: a.date))


@dataclass(frozen=True)
class SPCOptions:
    """Everything that changes how a series is judged; defaults reproduce NHSRplotthedots 0.2.2 for series of
    at least min_points_for_limits points (preset "nhsr" for every series)."""

    chart: ChartType = ChartType.XMR
    improvement_direction: Direction = Direction.INCREASE
    target: float | None = None
    rebase: tuple[np.datetime64, ...] = ()
    fix_after_n_points: int | None = None
    screen_outliers: bool = True
    trend_length: int | None = None
    shift_length: int | None = None
    multiplier: float = 1.0
    short_group_threshold: int = SHORT_GROUP_THRESHOLD
    # Series with fewer non-missing points get no limits and Variation.TOO_FEW_POINTS (Making Data Count's
    # minimum baseline); None reproduces NHSRplotthedots, which draws limits from two points.
    min_points_for_limits: int | None = MIN_POINTS_FOR_LIMITS

    def __post_init__(self) -> None:
        """Coerce strings to enums and dates to datetime64, and reject impossible values early."""
        set_ = object.__setattr__
        set_(self, "chart", ChartType(self.chart))
        set_(self, "improvement_direction", Direction(self.improvement_direction))
        if self.target is not None:
            target = float(self.target)
            if not np.isfinite(target):
                raise ValueError("target must be a finite number")
            set_(self, "target", target)
        rebase: Iterable[DateLike] = (
            (self.rebase,) if isinstance(self.rebase, str | dt.date | np.datetime64) else self.rebase
        )
        set_(self, "rebase", tuple(sorted({to_datetime64(d) for d in rebase})))
        if self.fix_after_n_points is not None:
            n = int(self.fix_after_n_points)
            if n != self.fix_after_n_points or n < MIN_FIX_AFTER:
                raise ValueError(f"fix_after_n_points must be a whole number of at least {MIN_FIX_AFTER}")
            set_(self, "fix_after_n_points", n)
        for name in ("trend_length", "shift_length"):
            v = getattr(self, name)
            if v is not None and (int(v) != v or v < 2):
                raise ValueError(f"{name} must be a whole number of at least 2")
        if self.min_points_for_limits is not None and (
            int(self.min_points_for_limits) != self.min_points_for_limits or self.min_points_for_limits < 1
        ):
            raise ValueError("min_points_for_limits must be a whole number of at least 1")
        if not (np.isfinite(self.multiplier) and self.multiplier > 0):
            raise ValueError("multiplier must be a positive number")

    @property
    def effective_trend_length(self) -> int:
        """Points in a trend: the option if set, else 7 (MDC) or 5 (run chart, IHI)."""
        if self.trend_length is not None:
            return int(self.trend_length)
        return IHI_TREND_LENGTH if self.chart is ChartType.RUN else MDC_TREND_LENGTH

    @property
    def effective_shift_length(self) -> int:
        """Points in a shift: the option if set, else 7 (MDC) or 6 (run chart, IHI)."""
        if self.shift_length is not None:
            return int(self.shift_length)
        return IHI_SHIFT_LENGTH if self.chart is ChartType.RUN else MDC_SHIFT_LENGTH

    def with_(self, **changes: Any) -> SPCOptions:
        """Return a copy with some options changed."""
        return replace(self, **changes)

    @classmethod
    def preset(cls, name: str, **changes: Any) -> SPCOptions:
        """Named option sets: "nhsr" (the reference exactly, short series included) and "mdc_excel" (6-point rules, no screening)."""
        presets: dict[str, dict[str, Any]] = {
            "nhsr": {"min_points_for_limits": None},
            "mdc_excel": {
                "trend_length": MDC_EXCEL_TREND_LENGTH,
                "shift_length": MDC_EXCEL_SHIFT_LENGTH,
                "screen_outliers": False,
            },
        }
        if name not in presets:
            raise ValueError(f"unknown preset {name!r}; choose from {', '.join(presets)}")
        return cls(**{**presets[name], **changes})
