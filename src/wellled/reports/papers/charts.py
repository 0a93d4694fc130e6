"""Charts drawn once per issue: every format of one paper asks the same cache, keyed by the chart's identity."""

from __future__ import annotations

from collections.abc import Callable, Hashable


class ChartCache:
    """The images drawn while one paper is issued, by key (for example ("ipr-png", measure id, scale)): the PDF
    draws a chart, the Word file reuses the same bytes. Lives for one issue only, so nothing stale is reused."""

    def __init__(self) -> None:
        self._drawn: dict[Hashable, bytes] = {}
        self.draws = 0  # how many charts were actually drawn (the rest were reused)

    def draw(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """The chart's bytes: drawn by `make()` the first time the key is asked for, reused after."""
        if key not in self._drawn:
            self._drawn[key] = make()
            self.draws += 1
        return self._drawn[key]


def chart_cache(charts: ChartCache | None) -> ChartCache:
    """The given cache, or a fresh one for a renderer called on its own (a download of today's position)."""
    return charts if charts is not None else ChartCache()
