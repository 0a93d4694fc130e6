"""The limits the spreadsheet import keeps to: the lengths the models allow and the shape of a table."""

from __future__ import annotations

from wellled.core.limits import limit_of

from ..models import Action, Section

# The same figures as the forms' (docs/limits.md): read from the models, never repeated.
MAX_REFERENCE_LENGTH = limit_of(Action, "reference")
MAX_LEAD_NOTE_LENGTH = limit_of(Action, "lead_note")
MAX_SECTION_TITLE_LENGTH = limit_of(Section, "title")
MAX_INITIALS_LENGTH = 8  # User.initials
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MIN_HEADER_COLUMNS = 3  # a header row names the planned action and at least two other known columns
PROGRESS_EVERY = 250  # rows between calls of a progress callback
MAX_HEADING_LENGTH = 80  # a longer cell is data, never a column heading
