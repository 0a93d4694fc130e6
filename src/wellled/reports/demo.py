"""Demo: the board papers the demo trust issued for its two most recent closed reporting cycles, so the list of
past papers and the comparison ("what changed since the last board") have something to show."""

from __future__ import annotations

from typing import TextIO

from wellled.core.models import Organisation, User
from wellled.plans.choices import CycleState
from wellled.plans.demo import DEMO_ODS_CODE, SELF_REVIEW_PLAN
from wellled.plans.models import Plan

from .models import IssuedPaper
from .services import paper_issue

BOARD_SECRETARY = "grace.mcallister"  # the demo trust's head of corporate governance issues its papers
PAPERS = 2


def papers_demo_load(*, stdout: TextIO | None = None) -> int:
    """Issue the demo plan's papers for its last PAPERS closed cycles, once; returns how many were issued."""
    say = (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)
    organisation = Organisation.objects.filter(ods_code=DEMO_ODS_CODE).first()
    plan = (
        Plan.objects.filter(organisation=organisation, name=SELF_REVIEW_PLAN).first()
        if organisation
        else None
    )
    secretary = User.objects.filter(username=BOARD_SECRETARY).first()
    if plan is None or secretary is None:
        say("The demo trust is not loaded; no demo papers issued.")
        return 0
    if IssuedPaper.objects.filter(plan=plan).exists():
        say("Demo papers are already issued; nothing changed.")
        return 0
    cycles = list(plan.cycles.filter(state=CycleState.CLOSED).order_by("position_as_at"))[-PAPERS:]
    for cycle in cycles:
        paper_issue(plan=plan, cycle_or_as_at=cycle, by=secretary)
    say(f"Demo papers issued: {', '.join(c.name for c in cycles)}.")
    return len(cycles)
