"""What the import says about a file: each problem names its row and column; errors stop the import,
warnings only inform. Each message is shown as written, after "Row N, column ‘X’: "."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
TIMESCALE_IMPLAUSIBLE = "‘{text}’: "  # followed by core.formatting.implausible_date's reason
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
    "UPDATE AWAITED: {reference}’s lead still owes an update for this position; any status given is kept, and "
    "the paper prints the action as awaited."
)
UPDATE_AWAITED_WITH_TEXT = (
    "Marked UPDATE AWAITED: the rest of the text is imported as {reference}’s last update, and the paper prints "
    "the action as awaited for this position, whatever its status."
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
