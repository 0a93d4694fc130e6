"""Which progress update and timescale a paper shows: the rule of ADR 0032, written once.

Every progress update carries the position it reports (`update_date`: the cycle's position date when it answers
a cycle, or a date of its own) and when it was recorded (`created_at`). A paper as at a date shows, per action,
the latest update for a position on or before that date that was recorded by the paper's recording cut-off. An
action's current status is its latest update by position, then by recording time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from django.utils import timezone

from wellled.core.formatting import long_date

# How far back a progress update may report a position: a quarter, the longest reporting cycle trusts use, so a
# late update for last month or last quarter can still be filed under its own date.
BACKDATE_WINDOW = datetime.timedelta(days=92)

POSITION_IN_FUTURE = (
    "The position date cannot be in the future: give the date the update describes, today or earlier."
)
POSITION_TOO_EARLY = (
    "The position date can be at most {days} days back, so from {earliest}: for an older position, ask a "
    "governance editor to import it with the paper it belongs to."
)


class Positioned(Protocol):
    """A progress update as the rule reads it: its position, when it was recorded, and its id."""

    @property
    def update_date(self) -> datetime.date: ...

    @property
    def created_at(self) -> datetime.datetime: ...

    @property
    def pk(self) -> Any: ...


T = TypeVar("T", bound=Positioned)


def default_position(*, cycle_position: datetime.date | None, today: datetime.date) -> datetime.date:
    """The position an update reports when its lead gives none: the open cycle's position date (an update
    collected in the week after a month end reports the month end), or today if that date is still ahead."""
    if cycle_position is not None and cycle_position <= today:
        return cycle_position
    return today


def position_problem(
    day: datetime.date, *, today: datetime.date, allowed: Iterable[datetime.date] = ()
) -> str:
    """Why an update cannot report this position ('' if it can); the open cycle's own date is always allowed."""
    if day in set(allowed):
        return ""
    if day > today:
        return POSITION_IN_FUTURE
    earliest = today - BACKDATE_WINDOW
    if day < earliest:
        return POSITION_TOO_EARLY.format(days=BACKDATE_WINDOW.days, earliest=long_date(earliest))
    return ""


def position_key(update: Positioned) -> tuple:
    """How updates are ordered: by position, then by when they were recorded."""
    return (update.update_date, update.created_at, update.pk or 0)


def latest_update(updates: Iterable[T]) -> T | None:
    """The update that states an action's status: the latest by position, then by recording time."""
    return max(updates, key=position_key, default=None)


def update_as_at(updates: Iterable[T], *, as_at: datetime.date, recorded_by: datetime.datetime) -> T | None:
    """The update a paper as at a date shows: for a position on or before it, recorded by the cut-off."""
    return latest_update(u for u in updates if u.update_date <= as_at and u.created_at <= recorded_by)


def revision_position(revision) -> datetime.date:
    """The position from which a timescale revision stands: its own date, else the day it was recorded."""
    return revision.position_date or timezone.localdate(revision.created_at)


def recorded_by_for(cycle, *, as_at: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """A paper's recording cut-off: a closed cycle's own paper takes what was recorded before the cycle closed
    (so it never changes); any other paper takes what is recorded when it is produced."""
    if cycle is not None and cycle.position_as_at == as_at and cycle.closed_at is not None:
        return min(cycle.closed_at, now)
    return now
