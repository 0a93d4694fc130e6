"""Python's cyclic garbage collector, as Wellled uses it: settled once in a long-lived web worker, and paused
while one big piece of work (a spreadsheet read, a paper laid out) makes and frees many short-lived objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# The youngest generation is collected after this many new objects rather than Python's 700, so a page is not
# interrupted a dozen times; with what was loaded at start frozen out of the passes, about a tenth of a page's CPU
# (issue 24, ADR 0068). Cycles are still collected.
YOUNGEST_GENERATION_THRESHOLD = 20_000


def settle_collector() -> None:
    """Collect once, freeze what survives (it lives as long as the process), and raise the first threshold."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector while a big file is read or written or a paper laid out: the hundreds of thousands of
    short-lived objects otherwise set off full collections that cost a third of the time, and create no cycles
    that cannot wait a few seconds to be collected. Left paused if it was paused before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
