"""The lines above a board paper's tables that date it: "Position as at end of September 2019" dates every imported
update (ADR 0033), and "Part B: CQC inspection findings: October 2018" names where the findings came from."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from wellled.core.formatting import long_date

from ..choices import FindingSource

# A paper describes a plan kept in the 21st century; the same range the board paper accepts (reports.board_paper).
EARLIEST_POSITION = datetime.date(2000, 1, 1)

POSITION_LINE_RE = re.compile(
    r"^\s*(?:the\s+)?position\s+(?:as\s+)?at\b\s*[:\-–—]?\s*(.+?)\s*$", re.IGNORECASE
)
MONTHS = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name
}
MONTH_YEAR_RE = re.compile(r"^(?:(?:the\s+)?end\s+of\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})$", re.IGNORECASE)
DAY_MONTH_YEAR_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?\s+(\d{4})$", re.IGNORECASE)
NUMERIC_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

POSITION_UNREADABLE = (
    "‘{text}’ is not a position date Wellled can read: write it as 30 September 2019, 30/09/2019 or "
    "end of September 2019."
)
POSITION_OUT_OF_RANGE = "The position date {day} is outside {earliest} to today ({today}): check the year."

# "Part B CQC inspection findings: October 2018" → the source and the month of the findings.
PART_B_RE = re.compile(r"^\s*part\s+b\b[\s:.\-–—]*(.*)$", re.IGNORECASE)
SOURCE_WORDS = (
    ("mock inspection", FindingSource.MOCK_INSPECTION),
    ("peer review", FindingSource.PEER_REVIEW),
    ("self-review", FindingSource.SELF_REVIEW),
    ("self review", FindingSource.SELF_REVIEW),
    ("cqc", FindingSource.CQC_INSPECTION),
    ("inspection", FindingSource.CQC_INSPECTION),
)
MONTH_IN_TEXT_RE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")


def parse_position(text: str) -> datetime.date:
    """'end of September 2019' → 30 September 2019; '30 September 2019', '30/09/2019', '2019-09-30'; else ValueError."""
    text = " ".join(str(text).split()).rstrip(".")
    if m := ISO_RE.match(text):
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    if m := NUMERIC_RE.match(text):
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    if (m := DAY_MONTH_YEAR_RE.match(text)) and m[2].casefold() in MONTHS:
        return datetime.date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))
    if (m := MONTH_YEAR_RE.match(text)) and m[1].casefold() in MONTHS:
        year, month = int(m[2]), MONTHS[m[1].casefold()]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(text)


def position_line(text: str) -> str | None:
    """The date part of a 'Position as at …' line, or None if the line is not one."""
    m = POSITION_LINE_RE.match(" ".join(str(text).split()))
    return m[1] if m else None


def position_problem(day: datetime.date, *, today: datetime.date | None = None) -> str:
    """Why an import cannot be positioned at this date ('' if it can): none before 2000, none in the future."""
    today = today or timezone.localdate()
    if EARLIEST_POSITION <= day <= today:
        return ""
    return POSITION_OUT_OF_RANGE.format(
        day=long_date(day), earliest=long_date(EARLIEST_POSITION), today=long_date(today)
    )


@dataclass(frozen=True)
class FindingsSource:
    """Where a workbook's Part B findings came from: a source and the month of the report, when it says so."""

    source: str
    source_date: datetime.date | None


def findings_source(text: str) -> FindingsSource | None:
    """'PART B CQC Inspection findings: October 2018: Delivery Status' → CQC inspection, 31 October 2018."""
    m = PART_B_RE.match(" ".join(str(text).split()))
    if not m:
        return None
    rest = m[1].casefold()
    source = next((s for word, s in SOURCE_WORDS if word in rest), None)
    if source is None:
        return None
    day = None
    for month_name, year in MONTH_IN_TEXT_RE.findall(m[1]):
        if month_name.casefold() in MONTHS:
            month = MONTHS[month_name.casefold()]
            day = datetime.date(int(year), month, calendar.monthrange(int(year), month)[1])
            break
    return FindingsSource(source=source, source_date=day)


LEGEND_CODE_RE = re.compile(r"^[A-Za-z]{1,2}(?:/[A-Za-z]{1,2})?$")  # G, A/G, AG, A/R, R, B


def legend_pairs(texts: list[str]) -> list[tuple[str, str]]:
    """A status key's cells ('Status G', 'Action completed…', 'A/G', 'Clear plan…') as (code, wording) pairs."""
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if texts and texts[0].casefold().startswith(("status", "key")):
        rest = texts[0].split(None, 1)
        texts = ([rest[1]] if len(rest) > 1 else []) + texts[1:]
    pairs = []
    for code, wording in zip(texts[::2], texts[1::2], strict=False):
        if not LEGEND_CODE_RE.match(code):
            break
        pairs.append((code, wording))
    return pairs
