"""How Wellled writes dates, months, counts and figures, in pages, papers and exports alike.

Dates follow the NHS.UK content style (GOV.UK style: '30 September 2026', no leading zero, no ordinal); boards
write timescales as a month ('March 2027'). Figures keep sensible precision and separate thousands.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.utils import timezone

NO_FIGURE = "—"
# The ways people type a date in a spreadsheet or a CSV (day first, as in the UK), tried in this order.
TYPED_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")
ISO_OR_NUMERIC_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # '2026-11-30' or '30/11/2026' only
# The span of dates an import takes (docs/import-export.md). The NHS began on 5 July 1948: nothing a trust records
# is dated before that year. Nor does any plan, risk or review run more than ten years ahead: a typed 9999-12-31
# could never fall due, and is refused rather than stored.
EARLIEST_PLAUSIBLE = datetime.date(1948, 1, 1)
PLAUSIBLE_YEARS_AHEAD = 10


def _local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """'30 September 2026'; a moment is given with its local time: '30 September 2026 at 14:05'."""
    if value is None:
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        return f"{value.day} {value:%B %Y} at {value:%H:%M}"
    return f"{value.day} {value:%B %Y}"


def _day_words(value: datetime.date | datetime.datetime | None, month: str) -> str:
    """The day a date names (a moment's local day) in words, its month written with the strftime code `month`."""
    if value is None:
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, datetime.datetime) else value
    return f"{day.day} {day:{month} %Y}"


def day_text(value: datetime.date | datetime.datetime | None) -> str:
    """'30 September 2026', for a moment too (its local day, without the time)."""
    return _day_words(value, "%B")


def short_date(value: datetime.date | datetime.datetime | None) -> str:
    """A compact date for tables: '30 Sep 2026'."""
    return _day_words(value, "%b")


def month_year(value: datetime.date | None) -> str:
    """A month as boards write timescales: 'March 2027'."""
    return f"{value:%B %Y}" if value else ""


def short_month(value: datetime.date | None) -> str:
    """A month in a chart label or a narrow column: 'Mar 2027'."""
    return f"{value:%b %Y}" if value else ""


def month_span(first: datetime.date, last: datetime.date) -> str:
    """The months of a quarter or half-year, as a period's label writes them: 'Apr–Jun 2026'."""
    return f"{first:%b}–{last:%b %Y}"


def padded_date(value: datetime.date) -> str:
    """'01 January 2025': the day always two digits, as record titles and some messages have long written it
    (tests hold them to it; new text uses day_text)."""
    return f"{value:%d %B %Y}"


def padded_short_date(value: datetime.date) -> str:
    """'09 Nov 2022': padded_date with the month shortened, as a published rating's title writes it."""
    return f"{value:%d %b %Y}"


def numeric_date(value: datetime.date) -> str:
    """A date as people type it in a spreadsheet, echoed back in an import's problem: '05/03/2027'."""
    return f"{value:%d/%m/%Y}"


def iso_day(value: datetime.date | datetime.datetime) -> str:
    """A date as file names, record titles and machine-read text write it: '2026-09-30' (a moment: its day)."""
    return f"{value:%Y-%m-%d}"


def iso_month(value: datetime.date) -> str:
    """A month as file names and record titles write it: '2026-09'."""
    return f"{value:%Y-%m}"


def iso_minute(value: datetime.datetime) -> str:
    """A moment to the minute, for a command's table: '2026-09-30 14:05'."""
    return f"{value:%Y-%m-%d %H:%M}"


def typed_date(text: str, formats: tuple[str, ...] = TYPED_DATE_FORMATS) -> datetime.date | None:
    """The date a person typed, read with the first of the formats it fits; None when it fits none."""
    for fmt in formats:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def latest_plausible(today: datetime.date) -> datetime.date:
    """The last date an import takes: ten years after today (28 February for a 29 February)."""
    year = today.year + PLAUSIBLE_YEARS_AHEAD
    return (
        today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)
    )


def implausible_date(day: datetime.date, *, today: datetime.date) -> str | None:
    """Why an imported date cannot be right (before 1948, or more than ten years after today), else None; the
    import puts the row and the column before it."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    latest = latest_plausible(today)
    if EARLIEST_PLAUSIBLE <= day <= latest:
        return None
    when = "before 1948" if day < EARLIEST_PLAUSIBLE else "more than ten years ahead"
    return (
        f"{long_date(day)} is {when}, so it cannot be right: enter a date from {long_date(EARLIEST_PLAUSIBLE)} "
        f"to {long_date(latest)}."
    )


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun agreeing: '1 action', '2 actions', '1,204 actions' ('plural' when not noun + 's')."""
    return f"{number:,} {noun if number == 1 else (plural or noun + 's')}"


def figure(value: Any) -> str:
    """A number with sensible precision: 3 significant places below 1, thousands separated, no trailing zeros."""
    if value is None:
        return NO_FIGURE
    number = float(value)
    if not math.isfinite(number):
        return NO_FIGURE
    size = abs(number)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def measure_number(value: Any, unit_label: str = "") -> str:
    """A figure as its measure's unit writes it: '36.2%', '268', '4.1 per 1,000'."""
    if value is None:
        return NO_FIGURE
    text = figure(value)
    if unit_label == "%":
        return text + "%"
    return f"{text} {unit_label}" if unit_label else text
