"""Charts drawn once per issue: every format of one paper asks the same cache, keyed by the chart's identity.

A chart is drawn once (the SPC renderer's SVG); each format then takes it the way it can show it, converted once
too: the PDF as vector shapes, Word as one PNG (reports.papers.vector, ADR 0053)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class ChartCache:
    """What was drawn while one paper is issued, by key (for example ("ipr-svg", measure id)): the PDF and the
    Word file take the same drawing. Lives for one issue only, so nothing stale is reused."""

    def __init__(self) -> None:
        self._drawn: dict[Hashable, Any] = {}
        self.draws = 0  # how many charts were actually drawn (the rest were reused)
        self.conversions = 0  # how many drawings were turned into a format's form (vector shapes, a PNG)

    def draw(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The chart: drawn by `make()` the first time the key is asked for, reused after."""
        if key not in self._drawn:
            self._drawn[key] = make()
            self.draws += 1
        return self._drawn[key]

    def convert(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A drawn chart in one format's form (its PDF shapes, its PNG): made once, reused after."""
        if key not in self._drawn:
            self._drawn[key] = make()
            self.conversions += 1
        return self._drawn[key]


def chart_cache(charts: ChartCache | None) -> ChartCache:
    """The given cache, or a fresh one for a renderer called on its own (a download of today's position)."""
    return charts if charts is not None else ChartCache()
