"""The demo's one small loader: read a data file, and place its dates relative to the day the demo is loaded.

A date in a data file is an expression against the load day (`timezone.localdate()`), so the demo never looks
stale. An optional base, then any number of offsets:

    today               the load day
    month_end(-1)       the last day of the month before this one (month_end(0): this month's last day)
    month_start(-3)     the first day of the month three months ago (month(-3) says the same)
    day(-7, 20)         the 20th of the month seven months ago (the month's last day if it is shorter)
    -10d  +2w  -3m  +1y offsets in days, weeks, months (day kept, or the month's last) and years
    month_end(-1)+7d    a base and an offset together

Text names a date with a placeholder, `{expression}` or `{expression:format}`, where the expression may also be a
name the caller passes (`{position}`); the formats are in FORMATS ('date' by default, through
`wellled.core.formatting`).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from django.utils import timezone

from wellled.core.formatting import day_text, iso_month, month_year

DATA_DIR = Path(__file__).resolve().parent / "data"

_BASE = re.compile(r"\s*(?:(?P<name>month_end|month_start|month|day)\s*\((?P<args>[^)]*)\)|(?P<today>today))")
_OFFSET = re.compile(r"\s*(?P<sign>[+-])\s*(?P<count>\d+)\s*(?P<unit>[dwmy])")
_PLACEHOLDER = re.compile(r"\{(?P<expression>[^{}:]+)(?::(?P<format>\w+))?\}")


class Writer(Protocol):
    """Where a step says what it did: a text stream or a management command's output."""

    def write(self, text: str, /) -> Any: ...


def say_to(stdout: Writer | None):
    """A function writing one line to `stdout`, or doing nothing without one."""
    return (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)


class DemoDataFileError(ValueError):
    """A demo data file holds something the loader cannot read (a bad date expression or placeholder)."""


def data(name: str) -> dict[str, Any]:
    """The content of one data file in `wellled/demo/data/` (read once per process)."""
    return _read(name)


@functools.cache
def _read(name: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader, C or Python)


def _add_months(day: datetime.date, months: int, *, keep: int | None = None) -> datetime.date:
    """The same day `months` later (or earlier), or that month's last day if it is shorter."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    wanted = keep if keep is not None else day.day
    return datetime.date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


def financial_year(day: datetime.date) -> str:
    """The NHS financial year (1 April to 31 March) a day falls in: '2025/26'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{str(start + 1)[-2:]}"


FORMATS = {
    "date": day_text,  # 17 September 2026
    "day_month": lambda day: day_text(day).rsplit(" ", 1)[0],  # 17 September
    "month": lambda day: month_year(day).split(" ")[0],  # September
    "month_year": month_year,  # September 2026
    "year": lambda day: str(day.year),  # 2026
    "year2": lambda day: f"{day.year % 100:02d}",  # 26, as in a report number
    "year_month": iso_month,  # 2026-09, as in a file name
    "financial_year": financial_year,  # 2026/27
}


@dataclass(frozen=True)
class DemoDates:
    """Dates and text of the demo data resolved against one load day."""

    today: datetime.date = field(default_factory=timezone.localdate)

    def date(self, expression: str | datetime.date) -> datetime.date:
        """The day an expression names ('month_end(-1)+7d'); a date is returned as it is."""
        if isinstance(expression, datetime.date):
            return expression
        text = str(expression)
        day, position = self.today, 0
        base = _BASE.match(text)
        if base:
            position = base.end()
            if base["name"]:
                day = self._base(base["name"], base["args"], text)
        while position < len(text.rstrip()):
            offset = _OFFSET.match(text, position)
            if not offset:
                raise DemoDataFileError(f"Cannot read the demo date {text!r} (at {text[position:]!r}).")
            count = int(offset["count"]) * (-1 if offset["sign"] == "-" else 1)
            unit = offset["unit"]
            if unit == "d":
                day += datetime.timedelta(days=count)
            elif unit == "w":
                day += datetime.timedelta(weeks=count)
            else:
                day = _add_months(day, count * (12 if unit == "y" else 1))
            position = offset.end()
        return day

    def _base(self, name: str, args: str, text: str) -> datetime.date:
        try:
            numbers = [int(a) for a in args.split(",")]
        except ValueError:
            raise DemoDataFileError(f"Cannot read the demo date {text!r}: {name}() takes whole numbers.")
        if name == "day":
            if len(numbers) != 2:
                raise DemoDataFileError(f"Cannot read the demo date {text!r}: day(months, day of month).")
            return _add_months(self.today, numbers[0], keep=numbers[1])
        if len(numbers) != 1:
            raise DemoDataFileError(f"Cannot read the demo date {text!r}: {name}(months).")
        first = _add_months(self.today, numbers[0], keep=1)
        return _add_months(first, 0, keep=31) if name == "month_end" else first

    def moment(self, expression: str | datetime.date, hour: int = 10) -> datetime.datetime:
        """A moment on the day an expression names, at `hour` in the trust's time zone."""
        day = self.date(expression)
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))

    def text(self, template: str, **named: datetime.date) -> str:
        """Text with its placeholders filled: `{month_end(-2):month}` -> 'October', `{position}` -> a long date."""

        def fill(match: re.Match) -> str:
            expression = match["expression"].strip()
            day = named[expression] if expression in named else self.date(expression)
            kind = match["format"] or "date"
            if kind not in FORMATS:
                raise DemoDataFileError(f"Unknown date format {kind!r} in {template!r}.")
            return FORMATS[kind](day)

        return _PLACEHOLDER.sub(fill, template)
