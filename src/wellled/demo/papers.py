"""Demo step: the demo trust's issued board papers for its latest closed cycles (settings in `data/papers.yaml`).

It runs last, so the issued papers carry the success measures too."""

from __future__ import annotations

from wellled.core.models import User
from wellled.plans.choices import CycleState
from wellled.reports.models import IssuedPaper
from wellled.reports.services import paper_issue

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_plan

PAPERS = data("papers.yaml")


def papers_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Issue the demo plan's papers for its latest closed cycles, once; returns how many were issued."""
    say = say_to(stdout)
    plan = demo_plan()
    secretary = User.objects.filter(username=PAPERS["secretary"]).first()
    if plan is None or secretary is None:
        say("The demo trust is not loaded; no demo papers issued.")
        return 0
    if IssuedPaper.objects.filter(plan=plan).exists():
        say("Demo papers are already issued; nothing changed.")
        return 0
    cycles = list(plan.cycles.filter(state=CycleState.CLOSED).order_by("position_as_at"))
    cycles = cycles[-PAPERS["closed_cycles"] :]
    for cycle in cycles:
        paper_issue(plan=plan, cycle_or_as_at=cycle, by=secretary)
    say(f"Demo papers issued: {', '.join(c.name for c in cycles)}.")
    return len(cycles)
