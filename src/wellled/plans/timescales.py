"""Timescales as boards write them: a month ("March 2026", due by its last day) or a day ("31 March 2026")."""

from __future__ import annotations

import calendar
import datetime

from wellled.core.formatting import long_date, month_year

from .choices import DatePrecision


def month_end(year: int, month: int) -> datetime.date:
    """Month-precision timescales are held as the month's last day (due by the end of it)."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def due_by(day: datetime.date, precision: str) -> datetime.date:
    """The date a timescale is held as: a month's last day whichever day of it was picked, or the day itself."""
    return month_end(day.year, day.month) if precision == DatePrecision.MONTH else day


def timescale_text(due_date: datetime.date, precision: str) -> str:
    """A timescale as boards write it, and as the import reads it back: 'March 2026' or '31 March 2026'."""
    return month_year(due_date) if precision == DatePrecision.MONTH else long_date(due_date)
