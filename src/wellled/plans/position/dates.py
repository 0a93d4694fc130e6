"""Which position a new progress update may report (ADR 0032): the open cycle's date by default, never in the
future, at most a quarter back."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

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
