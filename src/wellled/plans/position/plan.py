"""A plan's position as at a date (or as it stands): its cycle, the previous paper, and each action's position."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..choices import CycleState
from .action import ActionFacts, ActionPosition, action_position
from .cycles import Baseline, baseline_of, cycle_of, end_of_day, previous_cycle, recorded_by_for

if TYPE_CHECKING:  # the models import this package (position dates), so only the type checker reads them here
    from ..models import ReportingCycle


def standing_date(cycles: Iterable, *, today: datetime.date) -> datetime.date:
    """The date a plan stands at now: today, or the open cycle's position date if that is still ahead (an update
    may report the open cycle's date before it comes)."""
    ahead = [c.position_as_at for c in cycles if c.state == CycleState.OPEN and c.position_as_at > today]
    return max([today, *ahead])


@dataclass(frozen=True)
class PlanPosition:
    """A plan as at a date: the cycle the date answers, the previous paper, and every action's position."""

    as_at: datetime.date
    recorded_by: datetime.datetime  # updates recorded after this are left out (ADR 0032)
    cycle: ReportingCycle | None  # the cycle the date answers
    previous: ReportingCycle | None  # the cycle of the previous paper
    baseline: Baseline | None
    actions: Mapping[int, ActionPosition] = field(repr=False)

    def __getitem__(self, pk: int) -> ActionPosition:
        return self.actions[pk]


def plan_position(
    *,
    cycles: Iterable,
    facts: Iterable[ActionFacts],
    complete_ids: Iterable[int],
    now: datetime.datetime,
    today: datetime.date,
    as_at: datetime.date | None = None,
    overdue_on: datetime.date | None = None,
) -> PlanPosition:
    """The position of a plan's actions as at a date; with no date, as the plan stands now. Overdue is judged on
    `overdue_on` (default: the date, or today for the plan as it stands)."""
    cycles = list(cycles)
    if as_at is None:
        as_at = standing_date(cycles, today=today)
        overdue_on = overdue_on or today
    cycle = cycle_of(cycles, as_at=as_at)
    previous = previous_cycle(cycles, as_at=as_at)
    baseline = baseline_of(previous, now=now)
    recorded_by = recorded_by_for(cycle, as_at=as_at, now=now)
    # Without a previous paper, "this cycle" covers what was recorded since the date's cycle opened.
    window_start = None if baseline else (cycle.opened_at if cycle else None)
    complete = frozenset(complete_ids)
    state_moment = end_of_day(as_at)
    actions = {
        f.pk: action_position(
            f,
            as_at=as_at,
            recorded_by=recorded_by,
            state_moment=state_moment,
            overdue_on=overdue_on or as_at,
            cycle=cycle,
            baseline=baseline,
            window_start=window_start,
            complete_ids=complete,
        )
        for f in facts
    }
    return PlanPosition(
        as_at=as_at,
        recorded_by=recorded_by,
        cycle=cycle,
        previous=previous,
        baseline=baseline,
        actions=actions,
    )
