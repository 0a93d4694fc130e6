"""The register round-trip kit: a register a trust keeps in Excel goes out as a workbook and comes back in, row by
row, matched by reference.

A register declares its columns (`Column`: the header Wellled writes and the wordings it also recognises, how to
read and check a cell, how to write one, the record's value to compare with) and the calls to find its records and
to create and update one through the app's services (`Register`). The kit then:

- reads the file as a stream (core.workbook.streamed_rows, or CSV), stopping at the row limit whatever the file
  claims, so a workbook of two million rows is refused after reading its first `max_rows`;
- finds the header row among the first rows, whatever the columns' order; columns it does not know are ignored and
  columns it does not find are left unchanged;
- checks every cell, with each problem naming its row and column (dates before 1948 or more than ten years ahead
  are refused as implausible);
- matches each row by its reference: an existing record is updated in only the fields that differ, a new reference
  is created, a reference twice in the sheet is refused, and a record missing from the sheet is left as it is
  (reported, never deleted);
- compares first (`register_compare`: the dry run, each row's differences "field: old → new") and writes only
  when nothing is wrong, every row in one transaction (`registers_apply`: all or nothing).

Usage: docs/development.md ("Declaring a register").
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .cells import FORMULA_PREFIXES
from .formatting import implausible_date, latest_plausible, numeric_date, typed_date
from .limits import SPREADSHEET_CELL_CHARS, too_long
from .models import Organisation, User
from .workbook import (
    Font,
    RowLimitExceeded,
    get_column_letter,
    merged_ranges,
    new_workbook,
    sheet_titles,
    streamed_cell,
    streamed_rows,
    workbook_bytes,
)

R = TypeVar("R")

MAX_ROWS = (
    20_000  # rows of a sheet, blank ones included: a register is hundreds, a plan's import the same limit
)
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 15  # title lines and logos above the headers in real exports
MAX_EXPANDED_BYTES = 250 * 1024 * 1024  # every part of a workbook, unzipped: a zip bomb is refused unread
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
EMPTY_SHOWN = "(empty)"

NOT_A_SPREADSHEET = "Upload an Excel workbook (.xlsx) or a CSV file (.csv): ‘{name}’ is neither."
OLD_OR_LOCKED = (
    "‘{name}’ is an Excel 97–2003 file (.xls) or a password-protected workbook. Save it from Excel as an Excel "
    "Workbook (.xlsx) without a password, and upload that."
)
TOO_LARGE = "The file is larger than the {limit:,} bytes this site accepts; split it or remove other sheets."
DAMAGED = "The workbook is damaged or incomplete: open it in Excel, save it again and upload it."
TOO_EXPANDED = (
    "The workbook would take more than {limit:,} bytes once opened, far more than a register needs."
)
TOO_MANY_ROWS = (
    "The sheet has more than {limit:,} rows, so it was not read further and nothing was imported. "
    "Check that it is the {noun} register, or split it."
)
NO_HEADER = (
    "no header row was found in the first {search} rows: the {noun} register's columns are {headers} "
    "(at least {required})."
)
NO_ROWS = "The sheet has headers but no rows under them."
NOT_IN_SHEET = "not in the sheet, left unchanged"


# Reading cells ------------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: blank → '', whole numbers without '.0', the apostrophe Wellled's export put before
    formula-like text taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return numeric_date(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def text_reader(limit: int, *, required: bool | str = False) -> Callable[[Any, Any], str]:
    """A reader of text of at most `limit` characters (and not empty, if required: `required` may be the message
    saying so)."""

    def read(value: Any, context: Any) -> str:
        text = cell_text(value)
        if required and not text:
            raise ValueError(required if isinstance(required, str) else "this cannot be empty")
        message = too_long(text, limit)
        if message:
            raise ValueError(message)
        return text

    return read


def plausible_date(day: datetime.date, *, today: datetime.date | None = None) -> datetime.date:
    """The date, or a ValueError when it is before 1948 or more than ten years ahead (the span every import takes:
    core.formatting.implausible_date)."""
    today = today or timezone.localdate()
    if implausible_date(day, today=today) is not None:
        raise ValueError(
            f"{numeric_date(day)} is not a plausible date: give one from 1948 to "
            f"{numeric_date(latest_plausible(today))}"
        )
    return day


def date_reader(*, required: bool = False) -> Callable[[Any, Any], datetime.date | None]:
    """A reader of a date cell (a real date, or typed as 30/11/2026 or 2026-11-30), refusing implausible ones."""

    def read(value: Any, context: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return plausible_date(value.date())
        if isinstance(value, datetime.date):
            return plausible_date(value)
        text = cell_text(value)
        if not text:
            if required:
                raise ValueError("give a date, for example 30/11/2026")
            return None
        day = typed_date(text)
        if day is None:
            raise ValueError(
                f"“{text[:40]}” is not a date: write it as day/month/year, for example 30/11/2026"
            )
        return plausible_date(day)

    return read


def choice_reader(words: dict[str, Any], *, blank: Any = None) -> Callable[[Any, Any], Any]:
    """A reader of one of the given words (any case) → its value; blank → `blank`."""

    def read(value: Any, context: Any) -> Any:
        text = cell_text(value)
        if not text:
            return blank
        if text.lower() not in words:
            raise ValueError(f"“{text[:40]}” is not one of: {', '.join(sorted(words))}")
        return words[text.lower()]

    return read


def header_word(header: Any) -> str:
    """A header reduced to its letters and digits, lower case, without anything in brackets: 'Current Rating
    (L x C)' → 'currentrating'."""
    text = re.sub(r"\([^)]*\)", "", str(header or ""))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def shown(value: Any) -> str:
    """A value as a difference shows it."""
    if value is None or value == "" or value == [] or value == ():
        return EMPTY_SHOWN
    if isinstance(value, datetime.date):
        return numeric_date(value)
    if isinstance(value, list | tuple):
        return "; ".join(shown(v) for v in value)
    return str(value)


# Declaring a register -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a register.

    key: the field's name (the key of the values passed to create and update); header: what the export writes;
    value(record): the record's value, in the form `read` returns, compared with the cell's; read(cell, context):
    the cell checked and converted (ValueError with a message for the person); cell(value): what the export
    writes (default: the value, dates as dates); show(value): how a difference shows it; aliases: other header
    wordings recognised; required: the header row must have it; fixed: given when a record is created and never
    changed by an import (a different value on an existing record is a problem on its row); read_only: written
    by the export for the reader's information (a level worked out, a date set by Wellled), never read back.
    """

    key: str
    header: str
    value: Callable[[R], Any]
    read: Callable[[Any, Any], Any] = field(default=lambda value, context: cell_text(value))
    cell: Callable[[Any], Any] | None = None
    show: Callable[[Any], str] = shown
    aliases: tuple[str, ...] = ()
    required: bool = False
    fixed: bool = False
    read_only: bool = False

    def words(self) -> set[str]:
        return {header_word(self.header), self.key.replace("_", ""), *(header_word(a) for a in self.aliases)}


# The settings of a register whose references are Wellled's own (with an id_column): a row without one is created.
NUMBERED: dict[str, Any] = {"blank_reference": True, "creates_references": False}


def id_column(prefix: str, header: str, *aliases: str) -> Column:
    """The reference column of a register whose references are Wellled's own: 'W12' for the record numbered 12
    (declare the register with blank_reference=True and creates_references=False)."""
    return Column("reference", header, lambda record: f"{prefix}{record.pk}", aliases=aliases)


@dataclass
class Context:
    """Who imports into which organisation, and whatever the register prepared to read its cells (`lookups`)."""

    organisation: Organisation
    by: User
    lookups: Any = None
    file_name: str = ""
    prepared: dict[str, Any] = field(default_factory=dict, repr=False)  # register's sheet → its lookups
    records: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # sheet → reference → record


@dataclass(frozen=True)
class Register(Generic[R]):
    """A register: its columns, which one holds the reference, and how to find, create and update its records.

    records(context): the organisation's records the person may change (any iterable); create(context, values):
    a new record from a row's values (every column found in the sheet, by key); update(context, record, changes,
    values): apply `changes` (key → new value, only the differing ones) through the app's services; prepare(
    context): the lookups the readers need (people, units…), put on context.lookups; check(values, context): the
    checks across a row's cells, as (column key, message) pairs; blank_reference: a row without a reference is
    created (the service numbers it) rather than refused; creates_references=False: the references are Wellled's
    own (numbered when created), so one the records do not have is refused rather than created.
    """

    noun: str
    sheet: str
    columns: tuple[Column[R], ...]
    reference: str
    records: Callable[[Context], Iterable[R]]
    create: Callable[[Context, dict[str, Any]], Any]
    update: Callable[[Context, R, dict[str, Any], dict[str, Any]], Any]
    prepare: Callable[[Context], Any] | None = None
    check: Callable[[dict[str, Any], Context], list[tuple[str, str]]] | None = None
    blank_reference: bool = False
    creates_references: bool = True
    max_rows: int = MAX_ROWS

    def column(self, key: str) -> Column[R]:
        return next(c for c in self.columns if c.key == key)


# What an import finds -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where it is: the row as the spreadsheet numbers it, and the column's header."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class Difference:
    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.column}: {self.old} → {self.new}"


@dataclass
class RowChange:
    """What one row does: create a record, update one (with its differences), or nothing (the same)."""

    row: int
    reference: str
    action: str  # "create", "update" or "same"
    differences: list[Difference] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    changes: dict[str, Any] = field(default_factory=dict, repr=False)
    record: Any = field(default=None, repr=False)

    def __str__(self) -> str:
        name = self.reference or "(new, numbered when saved)"
        if self.action == "same":
            return f"Row {self.row}, {name}: unchanged"
        verb = "new" if self.action == "create" else "changes"
        return f"Row {self.row}, {name}: {verb}: " + "; ".join(str(d) for d in self.differences)


@dataclass
class Comparison:
    """A register's sheet compared with the records: every row's change, every problem, the records the sheet
    leaves out; after a real run, `applied` is True."""

    register: Register
    rows: list[RowChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_in_sheet: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # key → the header found
    header_row: int | None = None
    applied: bool = False
    seen: dict[str, int] = field(default_factory=dict, repr=False)  # reference → the row it was first in

    @property
    def ok(self) -> bool:
        return not self.problems

    def counted(self, action: str) -> list[RowChange]:
        return [r for r in self.rows if r.action == action]

    @property
    def created(self) -> list[RowChange]:
        return self.counted("create")

    @property
    def updated(self) -> list[RowChange]:
        return self.counted("update")

    @property
    def unchanged(self) -> list[RowChange]:
        return self.counted("same")

    def summary(self) -> str:
        noun = self.register.noun
        return (
            f"{len(self.created)} new {noun}(s), {len(self.updated)} changed, {len(self.unchanged)} unchanged, "
            f"{len(self.not_in_sheet)} not in the sheet (left unchanged)"
        )

    def lines(self) -> list[str]:
        """The differences row by row, then the records left out, as a dry run prints them."""
        return [str(r) for r in self.rows if r.action != "same"] + [
            f"{reference}: {NOT_IN_SHEET}" for reference in self.not_in_sheet
        ]


# Reading the file ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file's name and bytes."""

    name: str
    data: bytes


class _Refused(Exception):
    """The file as a whole is refused; the message says why."""


def upload_read(file: Any) -> Upload:
    """The name and bytes of an uploaded file, an open file or an Upload (anything with .name and .data), read
    no further than the upload limit."""
    if isinstance(file, Upload):
        return file
    if hasattr(file, "data") and hasattr(file, "name"):
        return Upload(name=file.name, data=file.data)
    limit = _upload_limit()
    name = str(getattr(file, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    if hasattr(file, "seek"):
        file.seek(0)
    return Upload(name=name, data=file.read(limit + 1))


def upload_digest(upload: Upload) -> str:
    """The SHA-256 of the file's bytes: the page's confirm step names the file that was checked by it."""
    return hashlib.sha256(upload.data).hexdigest()


def _upload_limit() -> int:
    return int(getattr(settings, "WELLLED_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _kind(upload: Upload) -> str:
    name, data = upload.name, upload.data
    if len(data) > _upload_limit():
        raise _Refused(TOO_LARGE.format(limit=_upload_limit()))
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(OLE_MAGIC) or suffix == "xls":
        raise _Refused(OLD_OR_LOCKED.format(name=name))
    if data.startswith(ZIP_MAGIC) and suffix in ("xlsx", "xlsm", ""):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                expanded = sum(i.file_size for i in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise _Refused(DAMAGED) from None
        if expanded > MAX_EXPANDED_BYTES:
            raise _Refused(TOO_EXPANDED.format(limit=MAX_EXPANDED_BYTES))
        return "xlsx"
    if suffix == "csv" and not data.startswith(ZIP_MAGIC):
        return "csv"
    raise _Refused(NOT_A_SPREADSHEET.format(name=name))


def _csv_rows(data: bytes, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        if number > max_rows:
            raise RowLimitExceeded(max_rows)
        yield number, list(row[:MAX_COLUMNS])


def _rows(upload: Upload, register: Register) -> list[tuple[int, list[Any]]]:
    """The sheet's rows, read as a stream and refused at the row past the limit; then, in a workbook, the value of
    a cell merged down several rows (a directorate over its risks) is carried to every row it covers."""
    if _kind(upload) == "csv":
        return list(_csv_rows(upload.data, register.max_rows))
    rows = list(
        streamed_rows(upload.data, max_rows=register.max_rows, max_columns=MAX_COLUMNS, sheet=register.sheet)
    )
    by_number = dict(rows)
    for first_row, column, last_row, _ in merged_ranges(upload.data, sheet=register.sheet):
        top = by_number.get(first_row, [])
        if column > MAX_COLUMNS or column > len(top) or top[column - 1] is None:
            continue
        for number in range(first_row + 1, last_row + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            cells.extend([None] * (column - len(cells)))
            if cells[column - 1] is None:
                cells[column - 1] = top[column - 1]
    return rows


def _header(
    register: Register, number: int, cells: list[Any]
) -> tuple[dict[int, Column] | None, list[Problem]]:
    """Column index → column, if this row is the register's header row, and a problem for each column that a
    second header claims."""
    found: dict[int, Column] = {}
    duplicates = []
    for index, cell in enumerate(cells):
        word = header_word(cell)
        column = next((c for c in register.columns if word and word in c.words()), None)
        if column is None or column.read_only:
            continue
        first = next((i for i, c in found.items() if c is column), None)
        if first is not None:
            duplicates.append(
                Problem(
                    number,
                    cell_text(cell),
                    f"a second column for the {column.header.lower()} (the first is “{cell_text(cells[first])}”):"
                    " keep one",
                )
            )
            continue
        found[index] = column
    keys = {c.key for c in found.values()}
    needed = {c.key for c in register.columns if c.required}
    if not register.blank_reference:
        needed.add(register.reference)
    if needed <= keys and len(keys) >= min(3, len(register.columns)):
        return found, duplicates
    return None, []


# Comparing ----------------------------------------------------------------------------------------------------


def register_compare(register: Register[R], file: Any, context: Context) -> Comparison:
    """The dry run: the sheet read, every cell checked and every row compared with the records; nothing written."""
    result = Comparison(register=register)
    upload = upload_read(file)
    context.file_name = context.file_name or upload.name
    if register.prepare is not None:
        if register.sheet not in context.prepared:
            context.prepared[register.sheet] = register.prepare(context)
        context.lookups = context.prepared[register.sheet]
    try:
        _compare_rows(register, _rows(upload, register), context, result)
    except RowLimitExceeded as exc:
        result.rows.clear()
        result.problems[:] = [Problem(None, "", TOO_MANY_ROWS.format(limit=exc.limit, noun=register.noun))]
        return result
    except _Refused as exc:
        result.problems.append(Problem(None, "", str(exc)))
        return result
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, TypeError):
        result.problems.append(Problem(None, "", DAMAGED))
        return result
    return result


def _compare_rows(
    register: Register[R], rows: list[tuple[int, list[Any]]], context: Context, result: Comparison
) -> None:
    columns: dict[int, Column] | None = None
    for number, cells in rows:
        if columns is None:
            columns, duplicates = _header(register, number, cells)
            result.problems += duplicates
            if columns is not None:
                result.header_row = number
                result.columns = {c.key: cell_text(cells[i]) for i, c in columns.items()}
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if all(cell_text(cells[i]) == "" for i in columns if i < len(cells)):
            continue
        _compare_row(register, number, columns, cells, context, result)
    if columns is None:
        required = [register.column(register.reference).header] if not register.blank_reference else []
        required += [c.header for c in register.columns if c.required and c.header not in required]
        result.problems.append(
            Problem(
                None,
                "",
                NO_HEADER.format(
                    search=HEADER_SEARCH_ROWS,
                    noun=register.noun,
                    headers=", ".join(c.header for c in register.columns),
                    required=", ".join(required),
                ),
            )
        )
        return
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, "", NO_ROWS))
    records = _records(register, context)
    result.not_in_sheet = [reference for reference in records if reference not in result.seen]


def _records(register: Register[R], context: Context) -> dict[str, R]:
    if register.sheet not in context.records:
        value = register.column(register.reference).value
        context.records[register.sheet] = {str(value(record)): record for record in register.records(context)}
    return context.records[register.sheet]


def _compare_row(
    register: Register[R],
    number: int,
    columns: dict[int, Column],
    cells: list[Any],
    context: Context,
    result: Comparison,
) -> None:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    headers = result.columns
    for index, column in columns.items():
        cell = cells[index] if index < len(cells) else None
        if isinstance(cell, str) and len(cell) > SPREADSHEET_CELL_CHARS:
            problems.append(
                Problem(number, headers[column.key], "the cell is longer than a spreadsheet holds")
            )
            continue
        try:
            values[column.key] = column.read(cell, context)
        except ValueError as exc:
            problems.append(Problem(number, headers[column.key], str(exc)))
    if register.check is not None and not problems:
        for key, message in register.check(values, context):
            problems.append(Problem(number, headers.get(key, register.column(key).header), message))
    reference = str(values.get(register.reference) or "")
    reference_header = headers.get(register.reference, register.column(register.reference).header)
    if not reference and not register.blank_reference:
        problems.append(Problem(number, reference_header, f"the {register.noun} has no reference"))
    previous = result.seen.get(reference) if reference else None
    if previous is not None:
        problems.append(
            Problem(
                number, reference_header, f"{reference} is also the reference in row {previous}: keep one"
            )
        )
    elif reference:
        result.seen[reference] = number
    record = _records(register, context).get(reference) if reference else None
    if reference and record is None and not register.creates_references:
        problems.append(
            Problem(
                number,
                reference_header,
                f"no {register.noun} of the organisation has the reference {reference}: leave it empty to add a "
                f"new {register.noun}",
            )
        )
    if record is not None:
        for column in columns.values():
            old = column.value(record)
            if column.fixed and column.key in values and not _same(old, values[column.key]):
                problems.append(
                    Problem(
                        number,
                        headers[column.key],
                        f"the {column.header.lower()} of a {register.noun} cannot be changed by an import "
                        f"(it is {column.show(old)})",
                    )
                )
    if problems:
        result.problems += problems
        return
    if record is None:
        differences = [
            Difference(headers[c.key], EMPTY_SHOWN, c.show(values[c.key]))
            for c in columns.values()
            if c.key in values and values[c.key] not in (None, "", [], ())
        ]
        result.rows.append(RowChange(number, reference, "create", differences, values))
        return
    changes: dict[str, Any] = {}
    differences = []
    for column in columns.values():
        old, new = column.value(record), values[column.key]
        if _same(old, new):
            continue
        changes[column.key] = new
        differences.append(Difference(headers[column.key], column.show(old), column.show(new)))
    result.rows.append(
        RowChange(number, reference, "update" if changes else "same", differences, values, changes, record)
    )


def _same(old: Any, new: Any) -> bool:
    blank: tuple[Any, ...] = (None, "", [], ())
    if old in blank and new in blank:
        return True
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return list(old) == list(new)
    return bool(old == new)


# Writing ------------------------------------------------------------------------------------------------------


class _Undo(Exception):
    pass


def registers_apply(comparisons: Sequence[Comparison], context: Context) -> list[Comparison]:
    """Write what the comparisons found, all in one transaction, unless any has a problem; a service's refusal
    (ValidationError) becomes a problem on its row and undoes every row written before it."""
    if not all(c.ok for c in comparisons):
        return list(comparisons)
    try:
        with transaction.atomic():
            for comparison in comparisons:
                register = comparison.register
                for change in comparison.rows:
                    try:
                        if change.action == "create":
                            change.record = register.create(context, change.values)
                        elif change.action == "update":
                            register.update(context, change.record, change.changes, change.values)
                    except ValidationError as exc:
                        comparison.problems.append(
                            Problem(change.row, change.reference, "; ".join(_messages(exc)))
                        )
                        raise _Undo from None
    except _Undo:
        return list(comparisons)
    for comparison in comparisons:
        comparison.applied = True
    return list(comparisons)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def registers_import(
    registers: Sequence[Register], file: Any, context: Context, *, dry_run: bool
) -> list[Comparison]:
    """Several registers from one workbook, a sheet each (the first from the sheet of its title, else the first
    sheet; the others only when the workbook has a sheet of their title), compared and then, unless it is a dry
    run or anything is wrong in any sheet, all written in one transaction."""
    upload = upload_read(file)
    titles: list[str] = []
    with contextlib.suppress(
        _Refused, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, TypeError
    ):
        if _kind(upload) == "xlsx":
            titles = sheet_titles(upload.data)
    comparisons = [
        register_compare(register, upload, context)
        for index, register in enumerate(registers)
        if index == 0 or register.sheet in titles
    ]
    if not dry_run:
        registers_apply(comparisons, context)
    return comparisons


def register_import(register: Register[R], file: Any, context: Context, *, dry_run: bool) -> Comparison:
    """Compare the sheet with the records and, unless it is a dry run or anything is wrong, write every row."""
    comparison = register_compare(register, file, context)
    if not dry_run:
        registers_apply([comparison], context)
    return comparison


# Exporting ----------------------------------------------------------------------------------------------------


def registers_workbook(sheets: Sequence[tuple[Register[R], Iterable[R]]]) -> bytes:
    """The registers' records as one .xlsx, a sheet each, in the layout the import reads (streamed: a sheet of
    thousands of rows is never held whole)."""
    book = new_workbook(streamed=True)
    bold = Font(bold=True)
    for register, records in sheets:
        sheet = book.create_sheet(register.sheet)
        for index in range(1, len(register.columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 24
        sheet.freeze_panes = "A2"
        sheet.append([streamed_cell(sheet, c.header, font=bold) for c in register.columns])
        for record in records:
            sheet.append([_export_cell(sheet, c, c.value(record)) for c in register.columns])
    return workbook_bytes(book)


def _export_cell(sheet: Any, column: Column, value: Any) -> Any:
    if column.cell is not None:
        value = column.cell(value)
    elif isinstance(value, list | tuple):
        value = "\n".join(str(v) for v in value)
    elif value is not None and not isinstance(value, str | int | float | datetime.date):
        value = str(value)
    if isinstance(value, datetime.date):
        return streamed_cell(sheet, value, number_format="dd/mm/yyyy")
    return streamed_cell(sheet, value)


__all__ = [
    "Column",
    "Comparison",
    "Context",
    "Difference",
    "Problem",
    "Register",
    "RowChange",
    "Upload",
    "cell_text",
    "choice_reader",
    "date_reader",
    "header_word",
    "NUMBERED",
    "id_column",
    "plausible_date",
    "register_compare",
    "register_import",
    "registers_apply",
    "registers_import",
    "registers_workbook",
    "shown",
    "text_reader",
    "upload_digest",
    "upload_read",
]
