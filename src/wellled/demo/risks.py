"""The risks step: each demo trust's risk register and BAF, from the risks app's own data file
(`risks/data/demo.yaml`, days counted from the load day), loaded through `risks.demo`."""

from __future__ import annotations

from wellled.risks.demo import risks_demo_load_all

from .loader import DemoDates, Writer


def risks_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Load the registers once, against the demo's load day; returns how many risks were added."""
    return risks_demo_load_all(stdout=stdout, today=(dates or DemoDates()).today)
