"""Which reporting cycle a position as at a date answers, the previous one it moved from, and the recording
cut-off of each (ADR 0032)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Baseline:
    """The previous paper a position's movement is measured from: its date and its recording cut-off."""

    as_at: datetime.date
    recorded_by: datetime.datetime


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a local day: the cut-off of a paper 'as at' that day."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start, timezone.get_current_timezone()) - datetime.timedelta(microseconds=1)


def recorded_by_for(cycle, *, as_at: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """A paper's recording cut-off: a closed cycle's own paper takes what was recorded before the cycle closed
    (so it never changes); any other paper takes what is recorded when it is produced."""
    if cycle is not None and cycle.position_as_at == as_at and cycle.closed_at is not None:
        return min(cycle.closed_at, now)
    return now


def cycle_of(cycles: Iterable, *, as_at: datetime.date):
    """The cycle a position as at this date answers: the one with that position date (the newest opened if two
    share it), else the latest one still collecting updates at the end of that day (opened by then, not closed)."""
    cycles = sorted(cycles, key=lambda c: c.opened_at, reverse=True)
    exact = [c for c in cycles if c.position_as_at == as_at]
    if exact:
        return exact[0]
    cutoff = end_of_day(as_at)
    collecting = [
        c for c in cycles if c.opened_at <= cutoff and (c.closed_at is None or c.closed_at > cutoff)
    ]
    return collecting[0] if collecting else None


def previous_cycle(cycles: Iterable, *, as_at: datetime.date):
    """The cycle of the previous paper: the latest whose position date is before this one's."""
    earlier = [c for c in cycles if c.position_as_at < as_at]
    return max(earlier, key=lambda c: (c.position_as_at, c.opened_at)) if earlier else None


def baseline_of(previous, *, now: datetime.datetime) -> Baseline | None:
    """The previous paper as the same rule built it: its own date and its own cut-off (ADR 0032, point 5)."""
    if previous is None:
        return None
    return Baseline(
        previous.position_as_at, recorded_by_for(previous, as_at=previous.position_as_at, now=now)
    )
