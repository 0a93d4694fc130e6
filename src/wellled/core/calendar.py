"""Calendar arithmetic the apps share: months added to a day, the day kept where the month has it."""

from __future__ import annotations

import calendar
import datetime


def months_add(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the month's last day where it is shorter: 31 Jan + 1 = 28 Feb."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
