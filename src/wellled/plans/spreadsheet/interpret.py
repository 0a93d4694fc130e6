"""The rules for reading what people really type into action-plan tables, and the walk over a sheet's rows.

A table starts at a header row, found by column names and their synonyms (a header repeated on every printed
page is skipped). Under it, a row with a reference is an action; a row with only a heading ("W1 Is there a clear
vision…", "Part B: CQC findings") starts a section; a row with no reference, lead or status continues the action
above (a page break split it); a status key is skipped. Cells are then read by the rules below: timescales with
their revisions, several leads by initials, the organisation's delivery-status scale in any common spelling, and
"UPDATE AWAITED". Every problem names its row and column; errors stop the import, warnings only inform.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from wellled.core.models import DeliveryStatus, User

from ..choices import DatePrecision
from ..timescales import month_end, timescale_text  # noqa: F401 (timescale_text: read by export and importer)
from .read import MonthCell, Sheet, Spreadsheet

MAX_REFERENCE_LENGTH = 20  # Action.reference
MAX_LEAD_NOTE_LENGTH = 100  # Action.lead_note
MAX_SECTION_TITLE_LENGTH = 300  # Section.title
MAX_INITIALS_LENGTH = 8  # User.initials
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MIN_HEADER_COLUMNS = 3  # a header row names the planned action and at least two other known columns
PROGRESS_EVERY = 250  # rows between calls of a progress callback
MAX_HEADING_LENGTH = 80  # a longer cell is data, never a column heading

# Problems -----------------------------------------------------------------------------------------------------


class ColumnLetter(str):
    """A column named by its letter because its heading is blank ('column A' in messages)."""

    __slots__ = ()


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something about the file: an error stops the import, a warning does not. Row numbers are Excel's."""

    level: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Sheet ‘{self.sheet}’")
        if self.row is not None:
            parts.append(f"row {self.row}" if parts else f"Row {self.row}")
        if self.column:
            is_letter = isinstance(self.column, ColumnLetter)
            parts.append(f"column {self.column}" if is_letter else f"column ‘{self.column}’")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


# Messages (each is shown as written, after "Row N, column ‘X’: ").
NO_TABLE = (
    "No table of actions was found: the sheet needs a header row naming its columns, with at least ‘Ref’, "
    "‘Planned action’ and one more (such as ‘Timescale’, ‘Lead’ or ‘Status’)."
)
NO_ACTIONS = "The file has a header row but no actions under it."
NO_REF_COLUMN = "This table has no ‘Ref’ column: add one, with a reference for each action (for example W1a)."
UNKNOWN_COLUMN = "‘{name}’ is not a column Wellled imports, so it is left out."
SAME_COLUMN_TWICE = "‘{name}’ and ‘{first}’ both look like the {what} column; only ‘{first}’ is imported."
MISSING_REFERENCE = (
    "This row has a lead or a status but no reference: give the action a reference (for example W1a)."
)
ORPHAN_ROW = "This row has no reference and there is no action above it to continue: give it a reference."
CONTINUATION = (
    "This row has no reference, lead or status, so it is read as the rest of {reference} (row {row}), split by "
    "a page break."
)
DUPLICATE_REFERENCE = "{reference} is also on row {first}: each action needs its own reference."
DUPLICATE_REFERENCE_SHEET = (
    "{reference} is also on sheet ‘{sheet}’, row {first}: each action needs its own reference."
)
REFERENCE_TOO_LONG = "‘{reference}’ is longer than {limit} characters: use a short reference such as W1a."
MISSING_TITLE = "{reference} has no planned action: write what will be done."
HEADING_UNUSED = "The heading ‘{text}’ has no actions under it, so no section is made for it."
TIMESCALE_UNREADABLE = (
    "‘{text}’ is not a timescale Wellled can read: write a month and year (March 2026), a date (31/03/2026) or a "
    "financial-year quarter (Q3 2026/27)."
)
TIMESCALE_NO_YEAR = "‘{text}’ has a month without a year: add the year (for example March 2026)."
TIMESCALE_NO_MONTH = "‘{text}’ has a year without a month: add the month (for example March 2026)."
TIMESCALE_YEAR_RANGE = "‘{text}’ has a year outside {earliest} to {latest}: check the year."
TIMESCALE_NO_DATE = "‘{text}’ is not a date, so no timescale is taken from it."
QUARTER_READ_AS = (
    "‘{text}’ is read as Q{quarter} of the financial year {year}/{next:02d}, due by the end of {due}."
)
STATUS_UNKNOWN = "‘{text}’ is not on {organisation}’s delivery-status scale: use one of {codes}."
STATUS_NOT_IN_USE = (
    "{code} is no longer in use on {organisation}’s delivery-status scale: use one of {codes}."
)
UPDATE_NEEDS_STATUS = "{reference} has a progress update but no status: add its delivery status ({codes})."
UPDATE_AWAITED_ONLY = (
    "UPDATE AWAITED: no progress update is imported for {reference}, and its lead still owes one."
)
UPDATE_AWAITED_WITH_TEXT = (
    "Marked UPDATE AWAITED: the rest of the text is imported as {reference}’s latest update, and its lead still "
    "owes a new one."
)
UPDATE_DATE_UNREADABLE = "‘{text}’ is not a date: write the date of the update, for example 30/09/2026."
UPDATE_DATE_FUTURE = "‘{text}’ is in the future: give the date the update describes, today or earlier."
ACTION_CLOSED = (
    "{reference} is closed with evidence of assurance, so it takes no new progress update or status: "
    "reopen it first, or leave its progress and status cells as they are."
)
LEAD_INVITED = (
    "‘{token}’ is not anyone at {organisation}, so they become a person to invite (initials {initials})."
)
LEAD_AMBIGUOUS = "‘{token}’ could be {names}: write the person’s full name instead."
LEAD_UNREADABLE = (
    "‘{token}’ is not a person’s initials or name: put a note about who leads in brackets, for example (Estates "
    "team)."
)
LEAD_NOTE_TOO_LONG = "The lead ‘{text}’ is longer than {limit} characters."

# Columns ------------------------------------------------------------------------------------------------------

REF, ACTION, TIMESCALE, LEAD, SUCCESS, PROGRESS, UPDATE_DATE, STATUS, SECTION, FINDING = (
    "ref",
    "action",
    "timescale",
    "lead",
    "success_measure",
    "progress",
    "update_date",
    "status",
    "section",
    "finding",
)
# Headings Wellled recognises, compared in lower case with punctuation taken out.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    REF: (
        "ref",
        "refs",
        "reference",
        "ref no",
        "ref number",
        "reference number",
        "no",
        "number",
        "action ref",
        "action reference",
        "action no",
        "action number",
        "item",
        "item no",
        "id",
        "action id",
    ),
    ACTION: (
        "planned action",
        "planned actions",
        "action",
        "actions",
        "action planned",
        "actions planned",
        "agreed action",
        "agreed actions",
        "improvement action",
        "improvement actions",
        "what we will do",
        "action description",
        "description",
    ),
    TIMESCALE: (
        "timescale",
        "timescales",
        "time scale",
        "due",
        "due date",
        "date due",
        "deadline",
        "target date",
        "completion date",
        "target completion date",
        "by when",
        "when",
        "timeframe",
        "time frame",
    ),
    LEAD: (
        "lead",
        "leads",
        "exec lead",
        "exec leads",
        "executive lead",
        "executive leads",
        "lead director",
        "lead executive",
        "lead officer",
        "responsible",
        "responsible lead",
        "responsible person",
        "responsible officer",
        "owner",
        "action owner",
        "accountable lead",
        "who",
    ),
    SUCCESS: (
        "success measure",
        "success measures",
        "measure of success",
        "measures of success",
        "outcome",
        "outcomes",
        "expected outcome",
        "expected outcomes",
        "success criteria",
        "evidence of success",
        "how will we know",
    ),
    PROGRESS: (
        "progress update",
        "progress updates",
        "update",
        "updates",
        "progress",
        "latest update",
        "progress to date",
        "current position",
        "latest position",
        "position",
        "progress report",
    ),
    UPDATE_DATE: (
        "update date",
        "date of update",
        "updated",
        "last updated",
        "date updated",
        "update as at",
        "as at",
        "position as at",
    ),
    STATUS: (
        "status",
        "delivery status",
        "rag",
        "rag status",
        "rag rating",
        "brag",
        "brag status",
        "rating",
        "delivery rag",
        "progress rag",
        "current status",
    ),
    SECTION: (
        "section",
        "kloe",
        "kloes",
        "key line of enquiry",
        "workstream",
        "work stream",
        "theme",
        "domain",
        "key question",
        "area",
        "part",
        "standard",
        "quality statement",
    ),
    FINDING: (
        "finding",
        "findings",
        "cqc finding",
        "cqc findings",
        "inspection finding",
        "issue",
        "issues",
        "concern",
        "recommendation",
        "must do",
        "should do",
    ),
}
COLUMN_WHAT = {
    REF: "reference",
    ACTION: "planned action",
    TIMESCALE: "timescale",
    LEAD: "lead",
    SUCCESS: "success measure",
    PROGRESS: "progress update",
    UPDATE_DATE: "update date",
    STATUS: "status",
    SECTION: "section",
    FINDING: "finding",
}
DATA_FIELDS = (ACTION, TIMESCALE, LEAD, SUCCESS, PROGRESS, UPDATE_DATE, STATUS, FINDING)
_SYNONYM_FIELD = {name: key for key, names in COLUMN_SYNONYMS.items() for name in names}
_SYNONYM_MOST_WORDS = max(len(name.split()) for name in _SYNONYM_FIELD)


def heading_key(text: str) -> str:
    """A column heading compared loosely: lower case, '&' as 'and', '#' as 'number', no punctuation."""
    text = str(text).lower().replace("(s)", "s").replace("&", " and ").replace("#", " number ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@functools.lru_cache(maxsize=4096)
def column_field(text) -> str | None:
    """The field a heading names, exactly or as its start ('Progress update (September)'), else None."""
    key = heading_key(text) if text is not None else ""
    if not key:
        return None
    if key in _SYNONYM_FIELD:
        return _SYNONYM_FIELD[key]
    words = key.split(" ")
    # A heading that starts with a synonym and adds a little ('Progress update (September)', 'RAG status Q2'); a
    # sentence that merely starts with one ('Action completed and improvement achieved') is not a heading.
    for count in range(min(len(words) - 1, _SYNONYM_MOST_WORDS), 0, -1):
        found = _SYNONYM_FIELD.get(" ".join(words[:count]))
        if found is not None:
            return found if count * 2 >= len(words) else None
    return None


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB'."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Columns:
    """Where each field is in a table, and the heading it has there (for messages)."""

    index: dict[str, int]
    names: dict[str, str]
    unknown: list[str] = field(default_factory=list)
    doubled: list[tuple[str, str, str]] = field(default_factory=list)  # (heading, first heading, field)

    def cell(self, cells: tuple, name: str):
        i = self.index.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def signature(self) -> tuple:
        return tuple(sorted(self.index.items()))


def match_header(cells: tuple) -> Columns | None:
    """The columns a row names, if it is a header row (a planned-action column and two more known ones)."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown, doubled = [], []
    texts = [c for c in cells if isinstance(c, str)]
    filled = sum(c is not None for c in cells)
    if len(texts) < MIN_HEADER_COLUMNS or any(len(t) > MAX_HEADING_LENGTH for t in texts):
        return None
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        name = column_field(cell) if isinstance(cell, str) else None
        shown = str(cell).strip().rstrip(":").strip()
        if name is None:
            unknown.append(shown)
            if 2 * len(unknown) >= filled:
                return None  # most cells name no column: a row of data
        elif name in index:
            doubled.append((shown, names[name], name))
        else:
            index[name], names[name] = i, shown
    if ACTION not in index or len(index) < MIN_HEADER_COLUMNS or len(unknown) >= len(index):
        return None
    if REF not in index and (not cells or cells[0] is None) and 0 not in index.values():
        index[REF], names[REF] = 0, ColumnLetter("A")  # a blank heading over the numbers ("1.", "2.")
    return Columns(index=index, names=names, unknown=unknown, doubled=doubled)


# Headings and references --------------------------------------------------------------------------------------

PART_RE = re.compile(r"^part\s+([a-z0-9]{1,3})\b[\s:.\-–—]*(.*)$", re.IGNORECASE)
LABEL_RE = re.compile(
    r"^(kloe|key line of enquiry|key question|section|workstream|work stream|theme|domain|standard)\b"
    r"\s*[:.\-–—]?\s*(.*)$",
    re.IGNORECASE,
)
LABEL_CODES = {
    "kloe": "KLOE",
    "key line of enquiry": "KLOE",
    "key question": "KQ",
    "section": "S",
    "workstream": "WS",
    "work stream": "WS",
    "theme": "T",
    "domain": "D",
    "standard": "S",
}
CODE_RE = re.compile(r"^([A-Za-z]{1,4}\d{1,3}[a-z]?(?:\.\d{1,3})?)(?:\s*[:.\-–—)]\s*|\s+)(.+)$")
CODE_ONLY_RE = re.compile(r"^[A-Za-z]{1,4}\d{1,3}[a-z]?(?:\.\d{1,3})?$")
PLAIN_CODE_RE = re.compile(r"^([^\s:]{1,20}):\s+(.+)$")  # 'Governance: …', a code as a trust wrote it
NUMBER_RE = re.compile(r"^(\d{1,3})(?:\s*[:.\-–—)]\s*|\s+|$)(.*)$")
RULE_RE = re.compile(r"^[\s\-_=*.~]+$")  # a line of dashes or underscores drawn between parts of a table
LEGEND_START_RE = re.compile(r"^(status|key|rag key|status key|legend|rag)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """A section as a file names it: a code (W1, WS2, Part B) when it has one, and a title."""

    code: str
    title: str
    text: str

    @property
    def key(self) -> str:
        return (self.code or self.title).casefold()


def parse_heading(text: str) -> Heading:
    """'KLOE W1: Is there…' → W1; 'W2 Is there…' → W2; 'Part B: CQC findings' → Part B; else a title only."""
    text = " ".join(str(text).split())
    m = PART_RE.match(text)
    if m:
        code = f"Part {m[1].upper()}"
        return Heading(code, m[2].strip() or code, text)
    rest, label = text, None
    m = LABEL_RE.match(text)
    if m:
        label, rest = m[1].lower(), m[2]
    m = CODE_RE.match(rest)
    if m:
        return Heading(_code(m[1]), m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    if CODE_ONLY_RE.match(rest):
        return Heading(_code(rest), "", text)
    m = NUMBER_RE.match(rest)
    if label and m:
        return Heading(f"{LABEL_CODES[label]}{m[1]}", m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    m = PLAIN_CODE_RE.match(text)
    if m and not label:
        return Heading(m[1], m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    return Heading("", text[:MAX_SECTION_TITLE_LENGTH], text)


def _code(code: str) -> str:
    letters = re.match(r"[A-Za-z]*", code)[0]
    return letters.upper() + code[len(letters) :]


def as_text(value) -> str:
    """A cell as text ('' for blank); dates as boards write them."""
    if value is None:
        return ""
    if isinstance(value, MonthCell):
        return datetime.date(value.year, value.month, 1).strftime("%B %Y")
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def reference_of(value) -> str | None:
    """The reference in a ref cell ('W1a', '1.' → '1'), or None if the cell does not hold one."""
    text = as_text(value).strip()
    if not text or any(c.isspace() for c in text) or not any(c.isdigit() for c in text) or len(text) > 40:
        return None
    return text.rstrip(".:") or None


# Timescales ---------------------------------------------------------------------------------------------------

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
    note = " ".join(texts) if not unique and texts else ""
    return Timescale(tuple(unique), note), warnings


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
                text=m[0], quarter=quarter, year=start, next=(start + 1) % 100, due=due[0].strftime("%B %Y")
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


FINDING_NUMBER_RE = re.compile(r"^(\d{1,4})[.)]\s+(.+)$", re.DOTALL)


def parse_findings(text: str, reference: str) -> list[tuple[int | None, str]]:
    """The findings a cell names: '3. Leaders were…' lines (as Wellled exports them), or one unnumbered text
    whose number is the action's reference when that is a number (Part B tables number each finding)."""
    parts = [p.strip() for p in re.split(r"\n(?=\d{1,4}[.)]\s)", text) if p.strip()]
    found = []
    for part in parts:
        m = FINDING_NUMBER_RE.match(part)
        if m:
            found.append((int(m[1]), m[2].strip()))
        else:
            found.append((int(reference) if reference.isdigit() and len(parts) == 1 else None, part))
    return found


# Delivery statuses --------------------------------------------------------------------------------------------

COLOUR_LETTERS = {"red": "R", "amber": "A", "green": "G", "blue": "B", "r": "R", "a": "A", "g": "G", "b": "B"}
STATUS_FILLER = frozenset({"complete", "completed", "status", "rag", "delivered", "assured", "and", "rated"})
NO_STATUS = frozenset({"-", "–", "—", "n/a", "na", "tbc", "none"})


class StatusError(ValueError):
    """A status that is not on the organisation's scale; the message says which are."""


def status_key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def match_status(text: str, scale: list[DeliveryStatus], organisation_name: str) -> DeliveryStatus | None:
    """The scale's status for 'A/G', 'AG', 'Amber/Green', 'amber-green', 'G', 'green', 'Blue/complete', a label
    ('On track'), or None for a blank; raises StatusError for anything else or a status no longer in use."""
    text = " ".join(text.split())
    if not text or text.lower() in NO_STATUS:
        return None
    by_key = {status_key(s.code): s for s in scale}
    found = by_key.get(status_key(text))
    if found is None:
        words = [w for w in re.split(r"[\s/\-–—+&,]+", text.lower()) if w]
        letters = [COLOUR_LETTERS[w] for w in words if w in COLOUR_LETTERS]
        if letters and all(w in COLOUR_LETTERS or w in STATUS_FILLER for w in words):
            found = by_key.get("".join(letters))
    if found is None:
        found = next((s for s in scale if s.label.lower() == text.lower()), None)
    active = ", ".join(s.code for s in scale if s.active)
    if found is None:
        raise StatusError(STATUS_UNKNOWN.format(text=text, organisation=organisation_name, codes=active))
    if not found.active:
        raise StatusError(
            STATUS_NOT_IN_USE.format(code=found.code, organisation=organisation_name, codes=active)
        )
    return found


UPDATE_AWAITED_RE = re.compile(r"\bupdate\s+awaited\b[.!]?", re.IGNORECASE)


def split_update_awaited(text: str) -> tuple[str, bool]:
    """The progress text without the "UPDATE AWAITED" marker, and whether it was there."""
    if not UPDATE_AWAITED_RE.search(text):
        return text, False
    return re.sub(r"[ \t]{2,}", " ", UPDATE_AWAITED_RE.sub(" ", text)).strip(), True


# Leads --------------------------------------------------------------------------------------------------------

LEAD_SEPARATOR_RE = re.compile(r"\s*(?:/|,|;|&|\+|\n|\band\b)\s*", re.IGNORECASE)
LEAD_NOTES = frozenset(
    {
        "varied",
        "various",
        "all",
        "all leads",
        "all directors",
        "all executives",
        "all execs",
        "exec team",
        "executive team",
        "executives",
        "board",
        "tbc",
        "tba",
        "n/a",
        "multiple",
        "shared",
    }
)
INITIALS_RE = re.compile(r"^[A-Za-z][A-Za-z'’.\-]{0,7}$")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z'’.\-]*(?: [A-Za-z][A-Za-z'’.\-]*){1,2}$")  # two or three names
BRACKETED_RE = re.compile(r"\(([^()]*)\)")  # '(Estates team)': a note about who leads, not a person


def split_leads(text: str) -> tuple[list[str], str]:
    """The lead tokens in the order written ('DMc / AK / MS'), or a note when no single person leads ('Varied')."""
    text = text.strip()
    if text.lower().strip(".") in LEAD_NOTES:
        return [], text
    notes = [n.strip() for n in BRACKETED_RE.findall(text) if n.strip()]
    tokens, note = [], notes[0] if notes else ""
    for part in LEAD_SEPARATOR_RE.split(BRACKETED_RE.sub(" ", text)):
        part = " ".join(part.split())
        if not part:
            continue
        if part.lower() in LEAD_NOTES:
            note = note or part
        elif part.casefold() not in (t.casefold() for t in tokens):
            tokens.append(part)
    return tokens, note


@dataclass
class Invitee:
    """Someone a file names as a lead who is not in the organisation: they are invited (a lead, no password)."""

    token: str
    initials: str
    first_name: str = ""
    last_name: str = ""
    rows: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.token.casefold()

    @property
    def display(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.initials})" if name else self.initials


def invitee_for(token: str) -> Invitee | None:
    """Who to invite for an unknown lead: initials as written, or a name with its initials; None if neither."""
    if NAME_RE.match(token) and len(token) <= 150:
        first, last = token.split(" ", 1)
        initials = "".join(w[0] for w in token.split()).upper()[:MAX_INITIALS_LENGTH]
        return Invitee(token=token, initials=initials, first_name=first, last_name=last)
    if INITIALS_RE.match(token):
        return Invitee(token=token, initials=token)
    return None


class PeopleIndex:
    """The organisation's people, found by initials (as boards print them), full name, username or e-mail."""

    def __init__(self, people: list[User]):
        self._by_key: dict[str, list[User]] = defaultdict(list)
        for person in people:
            keys = {
                person.display_initials.casefold(),
                person.get_full_name().casefold(),
                person.username.casefold(),
                (person.email or "").casefold(),
            }
            for key in keys - {""}:
                self._by_key[key].append(person)

    def find(self, token: str) -> list[User]:
        """Everyone the token could mean; several only if it is ambiguous even with case taken into account."""
        found = self._by_key.get(" ".join(token.split()).casefold(), [])
        if len(found) > 1:
            exact = [p for p in found if p.display_initials == token]
            return exact if len(exact) == 1 else found
        return found


# The walk over a sheet ----------------------------------------------------------------------------------------


@dataclass
class LeadChoice:
    """A lead as the file names them: one of the organisation's people, or someone to invite."""

    token: str
    person: User | None = None
    invitee: Invitee | None = None


@dataclass
class ActionRow:
    """One action as read from the file, every cell interpreted."""

    sheet: str
    row: int
    reference: str
    title: str = ""
    section: Heading | None = None
    timescale: Timescale = field(default_factory=Timescale)
    leads: list[LeadChoice] = field(default_factory=list)
    lead_note: str = ""
    success_measure: str = ""
    narrative: str = ""
    update_awaited: bool = False
    update_date: datetime.date | None = None
    status: DeliveryStatus | None = None
    findings: list[tuple[int | None, str]] | None = None  # None when the table has no finding column


@dataclass
class _Pending:
    """An action's raw cells, gathered before reading them (a page break may add more)."""

    sheet: str
    row: int
    reference: str
    columns: Columns
    section: Heading | None
    cells: dict[str, list] = field(default_factory=dict)


@dataclass
class Reading:
    """What the rows of a file say: the actions, everyone to invite, and every problem found."""

    rows: list[ActionRow] = field(default_factory=list)
    invitees: dict[str, Invitee] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0

    def error(
        self, message: str, row: int | None = None, column: str | None = None, sheet: str | None = None
    ):
        self.problems.append(Problem(Level.ERROR, message, row, column, sheet))
        self.error_count += 1

    def warn(self, message: str, row: int | None = None, column: str | None = None, sheet: str | None = None):
        self.problems.append(Problem(Level.WARNING, message, row, column, sheet))


def read_actions(
    spreadsheet: Spreadsheet,
    *,
    scale: list[DeliveryStatus],
    people: PeopleIndex,
    organisation_name: str,
    progress=None,
) -> Reading:
    """Walk every sheet's rows into actions, then read each action's cells; collect every problem."""
    reading = Reading()
    named_sheets = len([s for s in spreadsheet.sheets if s.rows]) > 1
    pending: list[_Pending] = []
    tables = 0
    for sheet in spreadsheet.sheets:
        found, has_table = _walk(sheet, reading, sheet.title if named_sheets else None)
        pending.extend(found)
        tables += has_table
    if not tables:
        reading.error(NO_TABLE)
        return reading
    if not pending and not reading.error_count:
        reading.error(NO_ACTIONS)
    seen: dict[str, _Pending] = {}
    total = len(pending)
    for done, raw in enumerate(pending, start=1):
        sheet = raw.sheet if named_sheets else None
        first = seen.get(raw.reference.casefold())
        if first is not None:
            message = (
                DUPLICATE_REFERENCE.format(reference=raw.reference, first=first.row)
                if first.sheet == raw.sheet
                else DUPLICATE_REFERENCE_SHEET.format(
                    reference=raw.reference, sheet=first.sheet, first=first.row
                )
            )
            reading.error(message, raw.row, raw.columns.names[REF], sheet)
            continue
        seen[raw.reference.casefold()] = raw
        row = _interpret(raw, reading, sheet, scale=scale, people=people, organisation_name=organisation_name)
        if row is not None:
            reading.rows.append(row)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    order = {s.title if named_sheets else None: i for i, s in enumerate(spreadsheet.sheets)}
    reading.problems.sort(key=lambda p: (p.row is not None, order.get(p.sheet, 0), p.row or 0))
    return reading


def _walk(sheet: Sheet, reading: Reading, sheet_name: str | None) -> tuple[list[_Pending], bool]:
    """Rows → raw actions: headers switch the columns, headings the section, continuations join the row above."""
    columns: Columns | None = None
    seen_headers: set[tuple] = set()
    section: Heading | None = None
    heading_row: tuple[int, Heading] | None = None
    heading_used = True
    found: list[_Pending] = []
    last: _Pending | None = None  # the action a row without a reference continues
    table_ok = False
    has_table = False

    def unused_heading():
        if heading_row is not None and not heading_used:
            reading.warn(HEADING_UNUSED.format(text=heading_row[1].text), heading_row[0], None, sheet_name)

    for number, cells in sheet.rows:
        text = " ".join(as_text(c) for c in cells if c is not None)
        if _is_legend(text) or RULE_RE.match(text):
            continue
        header = match_header(cells)
        if header is not None:
            has_table = True
            if header.signature() not in seen_headers:
                seen_headers.add(header.signature())
                for name in header.unknown:
                    reading.warn(UNKNOWN_COLUMN.format(name=name), number, None, sheet_name)
                for name, first, what in header.doubled:
                    reading.warn(
                        SAME_COLUMN_TWICE.format(name=name, first=first, what=COLUMN_WHAT[what]),
                        number,
                        None,
                        sheet_name,
                    )
                table_ok = REF in header.index
                if not table_ok:
                    reading.error(NO_REF_COLUMN, number, None, sheet_name)
            columns = header
            continue
        if columns is None or not table_ok:
            continue  # title lines above the table, or a table that cannot be read
        filled = {name for name in columns.index if columns.cell(cells, name) is not None}
        reference = reference_of(columns.cell(cells, REF))
        only_titles = filled <= {REF, ACTION, SECTION}
        question = reference is not None and filled == {REF, ACTION} and text.rstrip().endswith("?")
        # A heading typed across several cells ("KLOE" | "W3: Is there a culture…" | "…care?") has no status.
        spread = reference is None and REF in filled and STATUS not in filled and parse_heading(text).code
        if (
            (reference is None and only_titles and (REF in filled or parse_heading(text).code))
            or question
            or spread
        ):
            unused_heading()
            section = parse_heading(text)
            heading_row, heading_used, last = (number, section), False, None
            continue
        if reference is None:
            if not filled & set(DATA_FIELDS):
                continue
            if filled & {LEAD, STATUS}:
                reading.error(MISSING_REFERENCE, number, columns.names[REF], sheet_name)
                continue
            if last is None:
                reading.error(ORPHAN_ROW, number, columns.names[REF], sheet_name)
                continue
            reading.warn(
                CONTINUATION.format(reference=last.reference, row=last.row), number, None, sheet_name
            )
            for name in filled & set(DATA_FIELDS):
                last.cells.setdefault(name, []).append(columns.cell(cells, name))
            continue
        if len(reference) > MAX_REFERENCE_LENGTH:
            reading.error(
                REFERENCE_TOO_LONG.format(reference=reference, limit=MAX_REFERENCE_LENGTH),
                number,
                columns.names[REF],
                sheet_name,
            )
            continue
        row_section = section
        if SECTION in filled:
            row_section = parse_heading(as_text(columns.cell(cells, SECTION)))
        else:
            heading_used = True
        raw = _Pending(
            sheet=sheet.title, row=number, reference=reference, columns=columns, section=row_section
        )
        for name in filled & set(DATA_FIELDS):
            raw.cells[name] = [columns.cell(cells, name)]
        found.append(raw)
        last = raw
    unused_heading()
    return found, has_table


def _is_legend(text: str) -> bool:
    """A status key printed under the table ('Status G Action completed… A/G Clear plan…')."""
    if not LEGEND_START_RE.match(text):
        return False
    codes = re.findall(r"(?<![A-Za-z/])(?:B|G|A/G|A/R|R|A|AG|AR)(?![A-Za-z/])", text)
    return len(codes) >= 2


def _interpret(
    raw: _Pending, reading: Reading, sheet: str | None, *, scale, people: PeopleIndex, organisation_name: str
) -> ActionRow | None:
    """Read one action's cells by the rules above; None (with an error) if it cannot be imported."""
    columns, number = raw.columns, raw.row
    errors_before = reading.error_count

    def text(name: str) -> str:
        pieces = [as_text(v).strip() for v in raw.cells.get(name, ())]
        return " ".join(p for p in pieces if p)

    row = ActionRow(sheet=raw.sheet, row=number, reference=raw.reference, section=raw.section)
    row.title = text(ACTION)
    if not row.title:
        reading.error(MISSING_TITLE.format(reference=raw.reference), number, columns.names.get(ACTION), sheet)
    row.success_measure = text(SUCCESS)
    if TIMESCALE in raw.cells:
        try:
            row.timescale, notes = parse_timescale(raw.cells[TIMESCALE])
        except TimescaleError as exc:
            reading.error(str(exc), number, columns.names[TIMESCALE], sheet)
        else:
            for note in notes:
                reading.warn(note, number, columns.names[TIMESCALE], sheet)
    if LEAD in raw.cells:
        _read_leads(row, text(LEAD), reading, sheet, columns.names[LEAD], people, organisation_name)
    codes = ", ".join(s.code for s in scale if s.active)
    status_unreadable = False
    if STATUS in raw.cells:
        try:
            row.status = match_status(text(STATUS), scale, organisation_name)
        except StatusError as exc:
            status_unreadable = True
            reading.error(str(exc), number, columns.names[STATUS], sheet)
    if PROGRESS in raw.cells:
        narrative, awaited = split_update_awaited(text(PROGRESS))
        row.narrative, row.update_awaited = narrative, awaited
        if awaited:
            message = UPDATE_AWAITED_WITH_TEXT if narrative else UPDATE_AWAITED_ONLY
            reading.warn(message.format(reference=raw.reference), number, columns.names[PROGRESS], sheet)
        if narrative and row.status is None and not status_unreadable:
            reading.error(
                UPDATE_NEEDS_STATUS.format(reference=raw.reference, codes=codes),
                number,
                columns.names.get(STATUS, columns.names[PROGRESS]),
                sheet,
            )
    if UPDATE_DATE in raw.cells and row.narrative:
        value = raw.cells[UPDATE_DATE][0]
        try:
            row.update_date = parse_date(value)
        except ValueError:
            reading.error(
                UPDATE_DATE_UNREADABLE.format(text=as_text(value)), number, columns.names[UPDATE_DATE], sheet
            )
        else:
            if row.update_date > timezone.localdate():
                reading.error(
                    UPDATE_DATE_FUTURE.format(text=as_text(value)), number, columns.names[UPDATE_DATE], sheet
                )
    if FINDING in raw.cells:
        row.findings = parse_findings(text(FINDING), raw.reference)
    if reading.error_count > errors_before:
        return None
    return row


def _read_leads(
    row: ActionRow,
    text: str,
    reading: Reading,
    sheet: str | None,
    column: str,
    people: PeopleIndex,
    organisation_name: str,
) -> None:
    tokens, note = split_leads(text)
    if len(note) > MAX_LEAD_NOTE_LENGTH:
        reading.error(
            LEAD_NOTE_TOO_LONG.format(text=note, limit=MAX_LEAD_NOTE_LENGTH), row.row, column, sheet
        )
        return
    row.lead_note = note
    for token in tokens:
        found = people.find(token)
        if len(found) == 1:
            row.leads.append(LeadChoice(token=token, person=found[0]))
        elif found:
            names = ", ".join(f"{p.get_full_name() or p.username} ({p.display_initials})" for p in found)
            reading.error(LEAD_AMBIGUOUS.format(token=token, names=names), row.row, column, sheet)
        elif token.casefold() in reading.invitees:
            invitee = reading.invitees[token.casefold()]
            invitee.rows.append(row.row)
            row.leads.append(LeadChoice(token=token, invitee=invitee))
        else:
            invitee = invitee_for(token)
            if invitee is None:
                reading.error(LEAD_UNREADABLE.format(token=token), row.row, column, sheet)
                continue
            invitee.rows.append(row.row)
            reading.invitees[invitee.key] = invitee
            reading.warn(
                LEAD_INVITED.format(token=token, organisation=organisation_name, initials=invitee.initials),
                row.row,
                column,
                sheet,
            )
            row.leads.append(LeadChoice(token=token, invitee=invitee))
