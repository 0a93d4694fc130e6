"""Periods: months and quarters are stored as their first day, and a series' expected periods show its gaps."""

from __future__ import annotations

import datetime

from wellled.core.formatting import long_date, month_span, month_year

from .choices import CALENDAR_YEAR, Frequency

# A latest value more than this many periods behind the period of the "as at" date is out of date: one period is
# the usual reporting lag, two allow for a late return; beyond that the figure is not current (Making Data Count:
# read the chart as at the latest data, and say how old it is).
MAX_PERIODS_BEHIND = 2


def normalise_period(day: datetime.date, frequency: str) -> datetime.date:
    """The stored date of the period `day` falls in: the 1st for months, the quarter's first day for quarters."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if frequency == Frequency.SIX_MONTHLY:  # April to September, October to March
        if day.month >= 10:
            return datetime.date(day.year, 10, 1)
        return datetime.date(day.year, 4, 1) if day.month >= 4 else datetime.date(day.year - 1, 10, 1)
    if frequency == CALENDAR_YEAR:
        return datetime.date(day.year, 1, 1)
    if frequency == Frequency.ANNUAL:  # the financial year, from 1 April
        return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return day


def _add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def next_period(day: datetime.date, frequency: str) -> datetime.date:
    if frequency == Frequency.MONTHLY:
        return _add_months(day, 1)
    if frequency == Frequency.QUARTERLY:
        return _add_months(day, 3)
    if frequency == Frequency.SIX_MONTHLY:
        return _add_months(day, 6)
    if frequency in (Frequency.ANNUAL, CALENDAR_YEAR):
        return _add_months(day, 12)
    return day + datetime.timedelta(days=7 if frequency == Frequency.WEEKLY else 1)


def period_grid(periods: list[datetime.date], frequency: str, limit: int = 5000) -> list[datetime.date]:
    """Every period from the first to the last (sorted), including those with no value: the gaps."""
    if not periods:
        return []
    first, last = periods[0], periods[-1]
    grid: list[datetime.date] = []
    day = first
    while day <= last and len(grid) < limit:
        grid.append(day)
        day = next_period(day, frequency)
    if len(grid) >= limit:
        return periods
    return sorted(set(grid) | set(periods))


def period_label(day: datetime.date, frequency: str) -> str:
    """How a period is written: 'April 2024', 'Q1 2024/25', '2024' (a calendar year), or '3 June 2024'."""
    if frequency == CALENDAR_YEAR:
        return str(day.year)
    if frequency == Frequency.MONTHLY:
        return month_year(day)
    if frequency == Frequency.QUARTERLY:
        start = day.year if day.month >= 4 else day.year - 1
        quarter = ((day.month - 4) % 12) // 3 + 1
        return f"Q{quarter} {start}/{str(start + 1)[-2:]} ({month_span(day, _add_months(day, 2))})"
    if frequency in (Frequency.SIX_MONTHLY, Frequency.ANNUAL):
        start = day.year if day.month >= 4 else day.year - 1
        year = f"{start}/{str(start + 1)[-2:]}"
        if frequency == Frequency.ANNUAL:
            return f"{year} (Apr {start}–Mar {start + 1})"
        half = 1 if day.month >= 4 and day.month < 10 else 2
        return f"H{half} {year} ({month_span(day, _add_months(day, 5))})"
    prefix = "Week of " if frequency == Frequency.WEEKLY else ""
    return f"{prefix}{long_date(day)}"


def future_period_problem(period: datetime.date, frequency: str, today: datetime.date) -> str:
    """Why the period can have no figure yet ('' if it can): it starts after the period today falls in."""
    if normalise_period(period, frequency) <= normalise_period(today, frequency):
        return ""
    return f"{period_label(period, frequency)} has not happened yet, so it cannot have a figure."


def periods_behind(latest: datetime.date, frequency: str, as_at: datetime.date) -> int:
    """How many whole periods the latest figure's period lies before the period `as_at` falls in (capped)."""
    current = normalise_period(as_at, frequency)
    behind, day = 0, latest
    while day < current and behind <= MAX_PERIODS_BEHIND:
        day = next_period(day, frequency)
        behind += 1
    return behind


def out_of_date_text(latest: datetime.date | None, frequency: str, as_at: datetime.date) -> str:
    """'out of date (latest: July 2025)' when the latest figure is older than its frequency allows, else ''."""
    if latest is None or periods_behind(latest, frequency, as_at) <= MAX_PERIODS_BEHIND:
        return ""
    return f"out of date (latest: {period_label(latest, frequency).split(' (')[0]})"
