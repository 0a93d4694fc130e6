"""Financial quarters (April to March, as the national return counts them): the quarter a day falls in, and the
quarter a label such as "2024/25 Q1" names."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# The NHS financial year starts on 1 April (quarter 1: April to June).
FINANCIAL_YEAR_FIRST_MONTH = 4
# Quarters a return may be asked for: the NHS's speak-up guardians began in 2016; a bound keeps every date valid.
FIRST_YEAR, LAST_YEAR = 2000, 2199
QUARTER_LABEL = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: the year it starts in (2024 for 2024/25) and its number (1 to 4)."""

    year: int
    number: int

    @property
    def first_day(self) -> datetime.date:
        month = FINANCIAL_YEAR_FIRST_MONTH + 3 * (self.number - 1)
        return datetime.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.financial_year} Q{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return self.label


def quarter_of(day: datetime.date) -> Quarter:
    """The financial quarter the day falls in."""
    months_in = (day.month - FINANCIAL_YEAR_FIRST_MONTH) % 12
    year = day.year if day.month >= FINANCIAL_YEAR_FIRST_MONTH else day.year - 1
    return Quarter(year, months_in // 3 + 1)


def quarter_parse(text: str) -> Quarter:
    """The quarter a label names ("2024/25 Q1"); ValueError naming the expected shape otherwise."""
    found = QUARTER_LABEL.match(text or "")
    if (
        not found
        or (int(found[1]) + 1) % 100 != int(found[2])
        or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR
    ):
        raise ValueError(f"“{text}” is not a financial quarter: write it like 2024/25 Q1.")
    return Quarter(int(found[1]), int(found[3]))


def last_complete_quarter(today: datetime.date) -> Quarter:
    """The latest quarter that has ended by the day (what a return is asked for by default)."""
    current = quarter_of(today)
    return Quarter(current.year - 1, 4) if current.number == 1 else Quarter(current.year, current.number - 1)
