"""The demo's load steps, in order: each reads its own data file and writes through its app's services.

A new app adds its demo by writing `data/<app>.yaml`, a module here with a `<app>_demo_load(*, stdout, dates)`
function that does nothing when its content is already there, and one line below (docs/demo.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .assessments import assessments_demo_load
from .committees import committees_demo_load
from .committees_cycle import committees_cycle_demo_load
from .committees_reports import committees_reports_demo_load
from .ftsu import ftsu_demo_load
from .improvement import improvement_demo_load
from .information import information_demo_load
from .loader import DemoDates, Writer
from .measures import measures_demo_load
from .oversight import oversight_demo_load
from .papers import papers_demo_load
from .plans import demo_load
from .risks import risks_demo_load


@dataclass(frozen=True)
class Step:
    """One part of the demo: what it loads, from which data files, with which function."""

    name: str
    data_files: tuple[str, ...]
    load: Callable[..., Any]


STEPS: tuple[Step, ...] = (
    Step("trusts, people and plans", ("trusts.yaml", "plans.yaml"), demo_load),
    Step("assessments", ("assessments.yaml",), assessments_demo_load),
    Step("measures", ("measures.yaml",), measures_demo_load),
    Step(
        "risk registers and the BAF", ("risks.yaml",), risks_demo_load
    ),  # after measures: key risk indicators
    # After risks: each committee's terms of reference own principal risks of the BAF.
    Step("committees, terms of reference and meetings", ("committees.yaml",), committees_demo_load),
    Step("wards, QI projects and commentary", ("improvement.yaml",), improvement_demo_load),  # after measures
    Step("board papers", ("papers.yaml",), papers_demo_load),  # the papers carry the success measures
    # Last: its exit criteria name the trust's actions, measures, assessments and issued papers as evidence.
    Step("oversight region, exit criteria and improvement boards", ("oversight.yaml",), oversight_demo_load),
    Step(
        "information requests", ("information.yaml",), information_demo_load
    ),  # after plans, measures, papers
    Step("Freedom to Speak Up cases", ("ftsu.yaml",), ftsu_demo_load),
    # After the committees step (its committees and meetings are looked up by name; none, and it adds nothing).
    Step(
        "committees' cycle of business and last month's board pack",
        ("committees_cycle.yaml",),
        committees_cycle_demo_load,
    ),
    # After the committees step (cmt-meet): it looks the committees up by name and does nothing without them.
    Step("chair's reports, escalation and the BAF by committee", (), committees_reports_demo_load),
)

# Data files read outside STEPS: `wellled demo --scale N` only (scale.py).
OPTIONAL_DATA_FILES: tuple[str, ...] = ("scale.yaml",)


def demo_run(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> list[Any]:
    """Run every step against one load day; each step's result, in order (the first is a DemoResult)."""
    dates = dates or DemoDates()
    return [step.load(stdout=stdout, dates=dates) for step in STEPS]
