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
    """Every date the rule compares with the position date or today: each date itself and the day after (a date
    counts on it, a cut-off the day after)."""
    days: list[datetime.date] = []
    days += [u.update_date for u in facts.updates]
    days += [t.position_date for t in facts.revisions if t.position_date is not None]
    days += [timezone.localdate(t.created_at) for t in facts.revisions]
    days += [timezone.localdate(c.created_at) for c in facts.state_changes or ()]
    for c in cycles:
        days.append(c.position_as_at)
        days.append(timezone.localdate(c.opened_at))
        if c.closed_at is not None:
            days.append(timezone.localdate(c.closed_at))
    return days + [d + ONE_DAY for d in days]


def stands_until(facts: ActionFacts, *, cycles: Iterable, today: datetime.date) -> datetime.date | None:
    """The first day after `today` on which the action's standing position may read differently with nothing new
    recorded (None: it holds for good). Cautious: a day it names may well change nothing."""
    later = [d for d in _moments(facts, cycles) if d > today]
    return min(later, default=None)
