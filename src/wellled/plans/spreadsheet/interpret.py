"""The walk over a sheet's rows, reading action-plan tables as people really type them.

A table starts at a header row, found by column names and their synonyms (a header repeated on every printed
page is skipped). Under it, a row with a reference is an action; a row with only a heading ("W1 Is there a clear
vision…", "Part B: CQC findings") starts a section; a row with no reference, lead or status continues the action
above (a page break split it); a status key is skipped. Cells are then read by the rules of the `*_rules`
modules: timescales with their revisions, several leads by initials, the organisation's delivery-status scale in
any common spelling, and "UPDATE AWAITED". Every problem names its row and column (`problems`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from wellled.core.formatting import implausible_date
from wellled.core.limits import limit_of, too_long
from wellled.core.models import DeliveryStatus, User

from ..models import Action, Finding, ProgressUpdate
from .column_rules import (
    ACTION,
    COLUMN_WHAT,
    DATA_FIELDS,
    FINDING,
    LEAD,
    PROGRESS,
    REF,
    SECTION,
    STATUS,
    SUCCESS,
    TIMESCALE,
    UPDATE_DATE,
    Columns,
    match_header,
)
from .heading_rules import (
    LEGEND_START_RE,
    RULE_RE,
    Heading,
    as_text,
    parse_findings,
    parse_heading,
    reference_of,
    word_reference_of,
)
from .lead_rules import Invitee, PeopleIndex, invitee_for, split_leads
from .limits import MAX_LEAD_NOTE_LENGTH, MAX_REFERENCE_LENGTH, PROGRESS_EVERY
from .position import (
    POSITION_UNREADABLE,
    FindingsSource,
    findings_source,
    legend_pairs,
    parse_position,
    position_line,
)
from .position import position_problem as dating_problem
from .problems import (
    CONTINUATION,
    DUPLICATE_REFERENCE,
    DUPLICATE_REFERENCE_SHEET,
    HEADING_UNUSED,
    LEAD_AMBIGUOUS,
    LEAD_INVITED,
    LEAD_NOTE_TOO_LONG,
    LEAD_UNREADABLE,
    MISSING_REFERENCE,
    MISSING_TITLE,
    NO_ACTIONS,
    NO_REF_COLUMN,
    NO_TABLE,
    ORPHAN_ROW,
    REFERENCE_TOO_LONG,
    SAME_COLUMN_TWICE,
    UNKNOWN_COLUMN,
    UPDATE_AWAITED_ONLY,
    UPDATE_AWAITED_WITH_TEXT,
    UPDATE_DATE_FUTURE,
    UPDATE_DATE_UNREADABLE,
    UPDATE_NEEDS_STATUS,
    Level,
    Problem,
)
from .read import Sheet, Spreadsheet
from .status_rules import StatusError, match_status, split_update_awaited
from .timescale_rules import Timescale, TimescaleError, parse_date, parse_timescale


@dataclass
class LeadChoice:
    """A lead as the file names them: one of the organisation's people, or someone to invite."""

    token: str
    person: User | None = None
    invitee: Invitee | None = None

    @property
    def key(self) -> int | str:
        """Whom the choice names: the person's id, else the invitee's key."""
        return self.person.pk if self.person else self._invitee.key

    @property
    def initials(self) -> str:
        """The initials a board knows the lead by."""
        return self.person.display_initials if self.person else self._invitee.initials

    @property
    def _invitee(self) -> Invitee:
        if self.invitee is None:
            raise ValueError(f"The lead ‘{self.token}’ names neither a person nor someone to invite.")
        return self.invitee


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
    section_named: bool = False  # from the row's own Section cell, not from a heading above it


@dataclass
class _Pending:
    """An action's raw cells, gathered before reading them (a page break may add more)."""

    sheet: str
    row: int
    reference: str
    columns: Columns
    section: Heading | None
    cells: dict[str, list] = field(default_factory=dict)
    section_named: bool = False  # the row's own Section cell named it (not a heading above the table)


@dataclass
class Reading:
    """What the rows of a file say: the actions, everyone to invite, and every problem found."""

    rows: list[ActionRow] = field(default_factory=list)
    invitees: dict[str, Invitee] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    position_as_at: datetime.date | None = None  # the workbook's "Position as at …" line (ADR 0033)
    position_text: str = ""
    findings_source: FindingsSource | None = None  # "Part B CQC inspection findings: October 2018"
    legend: list[tuple[str, str]] = field(default_factory=list)  # the status key: (code, wording)

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
        sheet_name = raw.sheet if named_sheets else None
        first = seen.get(raw.reference.casefold())
        if first is not None:
            message = (
                DUPLICATE_REFERENCE.format(reference=raw.reference, first=first.row)
                if first.sheet == raw.sheet
                else DUPLICATE_REFERENCE_SHEET.format(
                    reference=raw.reference, sheet=first.sheet, first=first.row
                )
            )
            reading.error(message, raw.row, raw.columns.names[REF], sheet_name)
            continue
        seen[raw.reference.casefold()] = raw
        row = _interpret(
            raw, reading, sheet_name, scale=scale, people=people, organisation_name=organisation_name
        )
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
        if _is_legend(text):
            if not reading.legend:  # the workbook's own wording of its statuses, offered to the scale
                reading.legend = legend_pairs([as_text(c) for c in cells if c is not None])
            continue
        if RULE_RE.match(text):
            continue
        if _dating_line(text, cells, number, reading, sheet_name):
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
        # A word reference ('QS', as the form allows) on a row that is plainly an action: it has other data, or
        # the table names sections in a column of their own (as Wellled's export does), so rows are not headings.
        if (
            reference is None
            and ACTION in filled
            and (filled & (set(DATA_FIELDS) - {ACTION} | {SECTION}) or SECTION in columns.index)
            and (filled & {STATUS, SECTION} or not parse_heading(text).code)  # not a heading across cells
        ):
            reference = word_reference_of(columns.cell(cells, REF))
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
            sheet=sheet.title,
            row=number,
            reference=reference,
            columns=columns,
            section=row_section,
            section_named=SECTION in filled,
        )
        for name in filled & set(DATA_FIELDS):
            raw.cells[name] = [columns.cell(cells, name)]
        found.append(raw)
        last = raw
    unused_heading()
    return found, has_table


def _dating_line(text: str, cells: tuple, number: int, reading: Reading, sheet_name: str | None) -> bool:
    """A line on its own that dates the workbook ("Position as at …") is read and skipped; a Part B title gives
    the findings' source and date (and is still read as a heading)."""
    if sum(1 for c in cells if c is not None and as_text(c).strip()) != 1:
        return False
    if reading.findings_source is None and (found := findings_source(text)) is not None:
        reading.findings_source = found
    wording = position_line(text)
    if wording is None:
        return False
    if reading.position_as_at is None and not reading.position_text:
        reading.position_text = " ".join(text.split())
        try:
            day = parse_position(wording)
        except ValueError:
            reading.warn(POSITION_UNREADABLE.format(text=wording), number, None, sheet_name)
        else:
            problem = dating_problem(day)
            if problem:
                reading.error(problem, number, None, sheet_name)
            else:
                reading.position_as_at = day
    return True


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

    def limited(name: str, value: str, limit: int) -> None:
        """The same limit as the form's (docs/limits.md), named by row and column."""
        message = too_long(value, limit)
        if message is not None:
            reading.error(f"{raw.reference}: {message}", number, columns.names.get(name), sheet)

    row = ActionRow(
        sheet=raw.sheet,
        row=number,
        reference=raw.reference,
        section=raw.section,
        section_named=raw.section_named,
    )
    row.title = text(ACTION)
    if not row.title:
        reading.error(MISSING_TITLE.format(reference=raw.reference), number, columns.names.get(ACTION), sheet)
    limited(ACTION, row.title, limit_of(Action, "title"))
    row.success_measure = text(SUCCESS)
    limited(SUCCESS, row.success_measure, limit_of(Action, "success_measure"))
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
        limited(PROGRESS, narrative, limit_of(ProgressUpdate, "narrative"))
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
            elif problem := implausible_date(row.update_date, today=timezone.localdate()):
                reading.error(problem, number, columns.names[UPDATE_DATE], sheet)
    if FINDING in raw.cells:
        row.findings = parse_findings(text(FINDING), raw.reference)
        for _, finding_text in row.findings:
            limited(FINDING, finding_text, limit_of(Finding, "text"))
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
            newcomer = invitee_for(token)
            if newcomer is None:
                reading.error(LEAD_UNREADABLE.format(token=token), row.row, column, sheet)
                continue
            newcomer.rows.append(row.row)
            reading.invitees[newcomer.key] = newcomer
            reading.warn(
                LEAD_INVITED.format(token=token, organisation=organisation_name, initials=newcomer.initials),
                row.row,
                column,
                sheet,
            )
            row.leads.append(LeadChoice(token=token, invitee=newcomer))
