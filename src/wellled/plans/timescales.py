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


def timescale_texts(revisions, *, due_date: datetime.date | None, precision: str) -> list[str]:
    """Each timescale an action has had, as boards write them, repeats dropped; the due date alone when the
    revisions are not known. The papers and the export write a revised timescale 'March 2026 → July 2026'."""
    texts: list[str] = []
    for revision in revisions:
        text = timescale_text(revision.due_date, revision.precision)
        if not texts or texts[-1] != text:
            texts.append(text)
    if not texts and due_date:
        texts = [timescale_text(due_date, precision)]
    return texts
