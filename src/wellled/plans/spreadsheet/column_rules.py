"""Column headings as trusts write them (with their synonyms), and finding the header row of a table."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .limits import MAX_HEADING_LENGTH, MIN_HEADER_COLUMNS
from .problems import ColumnLetter

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
# The headings Wellled writes on an action-plan workbook (its export adds a "Section" column before them).
ACTION_PLAN_HEADINGS = (
    "Ref",
    "Planned action",
    "Timescale",
    "Lead",
    "Success measure",
    "Progress update",
    "Update date",
    "Status",
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
