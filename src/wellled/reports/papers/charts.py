"""Charts drawn once per issue: every format of one paper asks the same cache, keyed by the chart's identity.

A chart is drawn once (the SPC renderer's SVG); each format then takes it the way it can show it, converted once
too: the PDF as vector shapes, Word as one PNG (reports.papers.vector, ADR 0053)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class ChartCache:
    """What was drawn while one paper is issued, by key (for example ("ipr-svg", measure id)): the PDF and the
    Word file take the same drawing. Lives for one issue only, so nothing stale is reused."""

    def __init__(self) -> None:
        self._drawn: dict[Hashable, Any] = {}
        self.draws = 0  # how many charts were actually drawn (the rest were reused)
        self.conversions = 0  # how many drawings were turned into a format's form (vector shapes, a PNG)
        self._pending: dict[Hashable, Future] = {}
        self._worker: ThreadPoolExecutor | None = None

    def draw(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The chart: drawn by `make()` the first time the key is asked for, reused after."""
        if key not in self._drawn:
            self._drawn[key] = make()
            self.draws += 1
        return self._drawn[key]

    def convert(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A drawn chart in one format's form (its PDF shapes, its PNG): made once, reused after; if it was asked
        for ahead, the one made in the background."""
        if key not in self._drawn:
            pending = self._pending.pop(key, None)
            self._drawn[key] = pending.result() if pending is not None else make()
            self.conversions += 1
        return self._drawn[key]

    def ahead(self, key: Hashable, make: Callable[[], Any]) -> None:
        """Start making a form a later format will ask for, on one background thread, while this format is laid
        out (Word's pictures while the PDF is drawn: cairo and zlib run outside Python's lock). `make` must use
        only what it is given: the chart must be drawn already."""
        if key in self._drawn or key in self._pending:
            return
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wellled-charts")
        self._pending[key] = self._worker.submit(make)

    def close(self) -> None:
        """Let the background thread go (the issue's formats are all rendered); anything not asked for is dropped."""
        if self._worker is not None:
            for pending in self._pending.values():
                pending.cancel()
            self._worker.shutdown(wait=True)
            self._worker = None
            self._pending.clear()


def chart_cache(charts: ChartCache | None) -> ChartCache:
    """The given cache, or a fresh one for a renderer called on its own (a download of today's position)."""
    return charts if charts is not None else ChartCache()
