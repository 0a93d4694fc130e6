"""Timescales as people type them (months, quarters, revisions written as a list of dates) and update dates."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from wellled.core.formatting import implausible_date, month_year

from ..choices import DatePrecision
from ..timescales import month_end
from .heading_rules import as_text
from .limits import EARLIEST_YEAR, LATEST_YEAR
from .problems import (
    QUARTER_READ_AS,
    TIMESCALE_IMPLAUSIBLE,
    TIMESCALE_NO_DATE,
    TIMESCALE_NO_MONTH,
    TIMESCALE_NO_YEAR,
    TIMESCALE_UNREADABLE,
    TIMESCALE_YEAR_RANGE,
)
from .read import MonthCell

MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
NO_DATE_WORDS = frozenset(
    {
        "ongoing",
        "on going",
        "on-going",
        "continuous",
        "continual",
        "tbc",
        "tba",
        "tbd",
        "n/a",
        "na",
        "bau",
        "as required",
        "monthly",
        "quarterly",
        "annually",
        "annual",
        "rolling",
        "in place",
        "complete",
        "completed",
    }
)
TIMESCALE_TOKEN_RE = re.compile(
    r"(?P<numeric>\b(?P<nd>\d{1,2})[/.\-](?P<nm>\d{1,2})[/.\-](?P<ny>\d{4}|\d{2})\b)"
    r"|(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b)"
    r"|(?P<quarter>\bq(?P<q>[1-4])\s*(?:of\s+)?(?:fy\s*)?(?P<qy>\d{4}|\d{2})(?:\s*[/\-]\s*(?P<qy2>\d{4}|\d{2}))?\b)"
    r"|(?P<span>\b(?P<sy>\d{4})\s*[/\-]\s*(?P<sy2>\d{2}|\d{4})\b)"
    rf"|(?P<dayword>\b(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH_NAMES})\b\.?)"
    rf"|(?P<month>\b(?P<mn>{_MONTH_NAMES})\b\.?)"
    r"|(?P<year>\b(?P<yy>\d{4})\b)"
    r"|(?P<short>(?<=[\s\-'’])'?(?P<sy4>\d{2})\b)"
    r"|(?P<filler>→|->|=>|[,;&+/\-–—()\[\]:'’.]|\b(?:and|then|to|by|end|of|the|in|from|revised|revision|"
    r"originally|original|now|extended|delayed|new|date|due|deadline|fy|financial|year|was|before|w/c|"
    r"moved|slipped|expected|target|approx)\b)"
    r"|(?P<space>\s+)"
    r"|(?P<other>\S+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Timescale:
    """An action's timescales as the file gives them, the original first and each revision after it."""

    dates: tuple[tuple[datetime.date, str], ...] = ()
    note: str = ""


class TimescaleError(ValueError):
    """A timescale that cannot be read; the message says why."""


def parse_timescale(values: list) -> tuple[Timescale, list[str]]:
    """Read a timescale cell (or its pieces over a page break): 'March 2019 July 2019' is an original and a
    revision, 'February June 2019' share the year, '31/03/2019' is a day, 'Q3 2019/20' a quarter's end, 'Ongoing'
    no date. Returns the timescale and any warnings; raises TimescaleError."""
    dates: list[tuple[datetime.date, str]] = []
    warnings: list[str] = []
    texts = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, MonthCell):
            dates.append((month_end(value.year, value.month), DatePrecision.MONTH))
        elif isinstance(value, datetime.date):
            dates.append((value, DatePrecision.DAY))
        elif isinstance(value, int | float):
            raise TimescaleError(TIMESCALE_UNREADABLE.format(text=as_text(value)))
        else:
            text = " ".join(str(value).split())
            texts.append(text)
            found, note = _timescale_text(text, warnings)
            dates.extend(found)
            if note and not found:
                warnings.append(TIMESCALE_NO_DATE.format(text=text))
    unique: list[tuple[datetime.date, str]] = []
    for item in dates:
        if not unique or unique[-1] != item:
            unique.append(item)
    today = timezone.localdate()
    for day, _ in unique:
        if problem := implausible_date(day, today=today):  # a date cell's problem names the date itself
            raise TimescaleError(
                TIMESCALE_IMPLAUSIBLE.format(text=" ".join(texts)) + problem if texts else problem
            )
    undated = " ".join(texts) if not unique and texts else ""
    return Timescale(tuple(unique), undated), warnings


def _timescale_text(text: str, warnings: list[str]) -> tuple[list[tuple[datetime.date, str]], bool]:
    if text.lower().strip(" .") in NO_DATE_WORDS:
        return [], True
    found: list[tuple[datetime.date, str]] = []
    pending: list[tuple[int, int | None]] = []  # months (and days) waiting for the year that follows them
    last_kind = None
    saw_no_date_word = False

    def settle(year: int) -> None:
        # "November February 2020": the year belongs to the last month; earlier months that come later in the
        # calendar than the month after them are in the year before.
        settled, current = [], year
        for i in range(len(pending) - 1, -1, -1):
            month, day = pending[i]
            if i < len(pending) - 1 and month > pending[i + 1][0]:
                current -= 1
            settled.append((current, month, day))
        for y, month, day in reversed(settled):
            found.append(_dated(text, y, month, day))
        pending.clear()

    for m in TIMESCALE_TOKEN_RE.finditer(text):
        kind = (
            m.lastgroup
            if m.lastgroup in ("space", "filler", "other")
            else next(
                k for k in ("numeric", "iso", "quarter", "span", "dayword", "month", "year", "short") if m[k]
            )
        )
        if kind == "space":
            continue
        if kind == "filler":
            last_kind = None if m[0] not in "-'’" else last_kind
            continue
        if kind == "other":
            if m[0].lower().strip(".") in NO_DATE_WORDS:
                saw_no_date_word = True
                continue
            raise TimescaleError(TIMESCALE_UNREADABLE.format(text=text))
        if kind in ("numeric", "iso", "quarter", "span") and pending:
            raise TimescaleError(TIMESCALE_NO_YEAR.format(text=text))
        if kind == "numeric":
            found.append(_dated(text, _full_year(m["ny"]), int(m["nm"]), int(m["nd"])))
        elif kind == "iso":
            found.append(_dated(text, int(m["iy"]), int(m["im"]), int(m["id"])))
        elif kind == "quarter":
            found.append(_quarter(text, m, warnings))
        elif kind == "span":
            first, second = int(m["sy"]), int(m["sy2"])
            if second % 100 == (first + 1) % 100:  # a financial year, 2019/20: due by its end, March 2020
                found.append(_dated(text, first + 1, 3, None))
            elif 1 <= second <= 12 and len(m["sy2"]) == 2:  # 2019-03
                found.append(_dated(text, first, second, None))
            else:
                raise TimescaleError(TIMESCALE_UNREADABLE.format(text=text))
        elif kind == "dayword":
            pending.append((MONTHS[m["dm"].lower()], int(m["dd"])))
        elif kind == "month":
            pending.append((MONTHS[m["mn"].lower()], None))
        elif kind == "year":
            if not pending:
                raise TimescaleError(TIMESCALE_NO_MONTH.format(text=text))
            settle(int(m["yy"]))
        elif kind == "short":
            if not pending or last_kind not in ("month", "dayword"):
                raise TimescaleError(TIMESCALE_UNREADABLE.format(text=text))
            settle(2000 + int(m["sy4"]))
        last_kind = kind
    if pending:
        raise TimescaleError(TIMESCALE_NO_YEAR.format(text=text))
    return found, saw_no_date_word


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _dated(text: str, year: int, month: int, day: int | None) -> tuple[datetime.date, str]:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise TimescaleError(
            TIMESCALE_YEAR_RANGE.format(text=text, earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
        )
    try:
        if day is None:
            return month_end(year, month), DatePrecision.MONTH
        return datetime.date(year, month, day), DatePrecision.DAY
    except ValueError:
        raise TimescaleError(TIMESCALE_UNREADABLE.format(text=text)) from None


def _quarter(text: str, m: re.Match, warnings: list[str]) -> tuple[datetime.date, str]:
    """NHS financial-year quarters: Q1 April–June … Q4 January–March of the following calendar year."""
    quarter, start = int(m["q"]), _full_year(m["qy"])
    if m["qy2"] is not None and int(m["qy2"]) % 100 != (start + 1) % 100:
        raise TimescaleError(TIMESCALE_UNREADABLE.format(text=text))
    end_month = (3 + 3 * quarter - 1) % 12 + 1
    year = start + (1 if quarter == 4 else 0)
    due = _dated(text, year, end_month, None)
    if m["qy2"] is None:
        warnings.append(
            QUARTER_READ_AS.format(
                text=m[0], quarter=quarter, year=start, next=(start + 1) % 100, due=month_year(due[0])
            )
        )
    return due


def parse_date(value) -> datetime.date:
    """A single day (an update's date): a date cell, 30/09/2026, 2026-09-30 or 30 September 2026."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, MonthCell):
        return month_end(value.year, value.month)
    text = as_text(value).strip()
    try:
        timescale, _ = parse_timescale([text])
    except TimescaleError:
        raise ValueError(text) from None
    if len(timescale.dates) != 1:
        raise ValueError(text)
    return timescale.dates[0][0]
