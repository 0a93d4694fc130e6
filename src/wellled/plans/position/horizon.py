"""How long an action's standing position holds with nothing new recorded (ADR 0061): the rule reads dates, so a
dated update, timescale revision or cycle may change it on a later day; every other day it reads the same, except
overdue, which the stored position leaves to the day it is read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from .action import ActionFacts

ONE_DAY = datetime.timedelta(days=1)


def _moments(facts: ActionFacts, cycles: Iterable) -> list[datetime.date]:
    """Every day on which a comparison of the rule may turn: an update counts from its date, and stops being the
    one reported "for this very date" the day after; a revision stands from its position; a cycle is answered
    from its opening, stops collecting on its closing day, is matched exactly on its date and left behind the
    day after."""
    days: list[datetime.date] = []
    for u in facts.updates:
        days += [u.update_date, u.update_date + ONE_DAY]
    days += [t.position_date for t in facts.revisions if t.position_date is not None]
    for c in cycles:
        days += [c.position_as_at, c.position_as_at + ONE_DAY, timezone.localdate(c.opened_at)]
        if c.closed_at is not None:
            days.append(timezone.localdate(c.closed_at))
    return days


def stands_until(facts: ActionFacts, *, cycles: Iterable, today: datetime.date) -> datetime.date | None:
    """The first day after `today` on which the action's standing position may read differently with nothing new
    recorded (None: it holds for good). Cautious: a day it names may well change nothing."""
    later = [d for d in _moments(facts, cycles) if d > today]
    return min(later, default=None)
