"""Read measure values from CSV or XLSX files, naming the row and column of every problem.

The layout is long: one row per measure and period.

    measure,period,value,numerator,denominator
    Overdue risk reviews,2025-04,268,,
    Staff survey response rate,2025-04,,412,1180

`measure` may be left out when the file is uploaded on one measure's page. `period` (or `date`/`month`) is a
date: 2025-04-01, 2025-04, 01/04/2025 (day first), Apr 2025 or April 2025, or a date cell in Excel. A blank
value records a period known to be missing. Nothing is saved unless every row is right.

Limits: 5 MB, 50,000 rows, .csv or .xlsx. Cells that start like a spreadsheet formula (=, +, @, or - not
followed by a number) are refused, never stored; Excel formulas are refused too (paste the values).
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from wellled.core.cells import FORMULA_PREFIXES
from wellled.core.formatting import implausible_date
from wellled.core.workbook import RowLimitExceeded, bounded_rows, opened_workbook, sheet_row_stream

from .choices import SURVEY_COLUMNS, SURVEY_ELEMENTS, MeasureKind
from .models import Measure
from .periods import future_period_problem, normalise_period
from .services import OLDEST_SURVEY_YEAR, SurveyScoreRow, ValueRow

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 20  # the long layout has about six; a wider sheet is read no further
MAX_ERRORS = 50
MEASURE_COLUMNS = ("measure", "measure name", "metric", "series")
PERIOD_COLUMNS = ("period", "date", "month", "week", "day", "quarter", "half", "year")
VALUE_COLUMNS = ("value", "count")
FORMULA_START = ("=", "+", "@", "\t", "\r")
MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9


@dataclass(frozen=True)
class RowError:
    """One problem: the file's row number (the header is row 1) and the column's heading."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            where.append(f"column ‘{self.column}’")
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class ParsedRow:
    row: int
    measure: Measure
    value: ValueRow


@dataclass(kw_only=True)
class UploadProblems:
    """The problems found reading an upload: the first MAX_ERRORS kept to show, the rest only counted."""

    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row, column, message) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))
        else:
            self.more_errors += 1


@dataclass
class ParsedFile(UploadProblems):
    """The rows read from a file, or the problems that stop it loading (then nothing is saved)."""

    name: str
    rows: list[ParsedRow] = field(default_factory=list)


def _show(cell) -> str:
    text = str(cell)
    return text if len(text) <= 40 else text[:37] + "…"


def _is_formula(text: str) -> bool:
    if not text or not text.startswith(FORMULA_START + ("-",)):
        return False
    if text.startswith("-"):
        return not re.fullmatch(r"-\s*[\d.,]+", text)
    return True


class UnreadableUpload(ValueError):
    """The file cannot be read at all (its kind, damage, its rows past the limit); the message says why."""


def _too_many(exc: RowLimitExceeded) -> UnreadableUpload:
    if exc.counting_blank:
        return UnreadableUpload(
            f"The file runs past row {exc.limit:,}, counting blank rows. Delete the empty rows below the data, "
            "or split it, and upload each part."
        )
    return UnreadableUpload(f"The file has more than {MAX_ROWS:,} rows. Split it and upload each part.")


def read_rows(name: str, data: bytes) -> Iterator[tuple[int, list]]:
    """The file's rows that hold anything, one at a time, as (row number, cells): strings from CSV; numbers, dates
    or strings from XLSX. The header row counts towards MAX_ROWS + 1; reading stops there (or at the scan limit
    of blank rows) whatever the file claims, raising UnreadableUpload, as it does for a file it cannot read."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        yield from _xlsx_rows(name, data)
    elif lower.endswith(".csv"):
        yield from _csv_rows(data)
    else:
        raise UnreadableUpload("Upload a .csv or .xlsx file.")


def _xlsx_rows(name: str, data: bytes) -> Iterator[tuple[int, list]]:
    if not data.startswith(b"PK"):
        raise UnreadableUpload(
            "The file is not a real .xlsx workbook. Save it from Excel as .xlsx, or as CSV."
        )
    from wellled.plans.spreadsheet.read import UnreadableFile, open_workbook_archive

    try:
        # The same checks as a plan import: a real workbook, and no zip that unpacks to gigabytes.
        open_workbook_archive(name, ".xlsx", data, max_rows=MAX_ROWS + 1).close()
        with opened_workbook(data, formulas=True) as book:
            sheet = book.worksheets[0]
            yield from sheet_row_stream(sheet, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except RowLimitExceeded as exc:
        raise _too_many(exc) from None
    except UnreadableFile as exc:
        raise UnreadableUpload(str(exc)) from None
    except Exception as exc:  # openpyxl raises many kinds on a broken part; all mean the same to the person
        raise UnreadableUpload(
            f"The workbook could not be read ({exc.__class__.__name__}). Save it again from "
            "Excel as .xlsx, or as CSV."
        ) from None


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableUpload("The file is not a text CSV file.")
    sample = text[:4096]
    dialect: type[csv.Dialect]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from bounded_rows(reader, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS)
    except RowLimitExceeded as exc:
        raise _too_many(exc) from None
    except csv.Error as exc:
        raise UnreadableUpload(f"Row {reader.line_num}: the file cannot be read as CSV ({exc}).") from None


def parse_period(cell) -> datetime.date:
    """A date from a cell: ISO, year-month, day-first, 'Apr 2025', a financial year '2024/25', a calendar year
    '2024' (its 1 January: the 2024 staff survey), or an Excel date."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = str(cell).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    if m:
        return datetime.date(int(m[1]), int(m[2]), int(m[3] or 1))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{4})/(\d{2})", text)  # a financial year, April to March: its first day
    if m and (int(m[1]) + 1) % 100 == int(m[2]):
        return datetime.date(int(m[1]), 4, 1)
    if re.fullmatch(r"\d{4}", text):  # a calendar year
        return datetime.date(int(text), 1, 1)
    m = re.fullmatch(r"([A-Za-z]+)[ -](\d{4})", text)
    if m and m[1].lower() in MONTHS:
        return datetime.date(int(m[2]), MONTHS[m[1].lower()], 1)
    raise ValueError


def parse_number(cell) -> float | None:
    """A number from a cell (thousands commas and a trailing % allowed); None for a blank cell."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = str(cell).strip().replace(",", "")
        if text == "" or text.upper() in ("NA", "N/A"):
            return None
        if text.endswith("%"):
            text = text[:-1]
        value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError
    return value


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def parse_upload(
    *, name: str, data: bytes, measures: list[Measure], only: Measure | None = None
) -> ParsedFile:
    """Check every row of an uploaded file against the organisation's measures; collect all the problems."""
    parsed = ParsedFile(name=name)
    if len(data) > MAX_BYTES:
        parsed.add_error(
            None,
            None,
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it and upload each part.",
        )
        return parsed
    if not data.strip():
        parsed.add_error(None, None, "The file is empty.")
        return parsed
    rows = read_rows(name, data)
    try:
        first = next(rows, None)
        if first is None:
            parsed.add_error(None, None, "The file is empty.")
            return parsed
        _parse_rows(parsed, first, rows, measures, only)
    except UnreadableUpload as exc:
        # All or nothing: a file refused part of the way through is refused whole, with only the reason why.
        parsed.rows.clear()
        parsed.errors.clear()
        parsed.more_errors = 0
        parsed.add_error(None, None, str(exc))
        return parsed
    if not parsed.rows and not parsed.errors:
        parsed.add_error(None, None, "The file has a header row but no values.")
    return parsed


def _parse_rows(
    parsed: ParsedFile,
    header_row: tuple[int, list],
    rows: Iterator[tuple[int, list]],
    measures: list[Measure],
    only: Measure | None,
) -> None:
    """Check each row as it is read, adding it or its problem to `parsed`."""
    at, header_cells = header_row
    raw_header = ["" if c is None else str(c).strip() for c in header_cells]
    header = [h.lower() for h in raw_header]
    i_measure = _find(header, MEASURE_COLUMNS)
    i_period = _find(header, PERIOD_COLUMNS)
    i_value = _find(header, VALUE_COLUMNS)
    i_num = _find(header, ("numerator",))
    i_den = _find(header, ("denominator",))
    if i_period is None:
        parsed.add_error(
            at,
            None,
            "There is no ‘period’ column. The first row must name the columns: measure, "
            "period, value (or numerator and denominator).",
        )
    if i_measure is None and only is None:
        parsed.add_error(at, None, "There is no ‘measure’ column saying which measure each row is for.")
    if i_value is None and i_num is None:
        parsed.add_error(at, None, "There is no ‘value’ column (or ‘numerator’ and ‘denominator’ columns).")
    if parsed.errors:
        return
    by_name = {m.name.strip().lower(): m for m in measures}
    seen: dict[tuple[int, datetime.date], int] = {}

    def heading(i):
        return raw_header[i] or f"column {i + 1}"

    for number, row in rows:
        row = list(row) + [None] * (len(raw_header) - len(row))

        def cell(i, row=row):
            value = row[i] if i is not None and i < len(row) else None
            if not isinstance(value, str):
                return value
            value = value.strip()
            # The apostrophe Wellled's export puts before text that starts like a formula is taken off again.
            return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES else value

        for i, value in enumerate(row[: len(raw_header)]):
            if isinstance(value, str) and _is_formula(value.strip()):
                parsed.add_error(
                    number,
                    heading(i),
                    f"‘{_show(value.strip())}’ looks like a spreadsheet formula. Enter the value itself.",
                )
                break
        else:
            measure = only
            if i_measure is not None and cell(i_measure) not in (None, ""):
                found = by_name.get(str(cell(i_measure)).lower())
                if found is None or (only is not None and found.pk != only.pk):
                    what = (
                        f"is not {only.name}"
                        if only is not None and found is not None
                        else "is not one of your organisation's measures"
                    )
                    parsed.add_error(number, heading(i_measure), f"‘{_show(cell(i_measure))}’ {what}.")
                    continue
                measure = found
            elif measure is None:
                parsed.add_error(number, heading(i_measure), "Enter the measure's name.")
                continue
            if cell(i_period) in (None, ""):
                parsed.add_error(number, heading(i_period), "Enter the period (a date such as 2025-04-01).")
                continue
            try:
                period = normalise_period(parse_period(cell(i_period)), measure.period_kind)
            except (ValueError, TypeError):
                parsed.add_error(
                    number,
                    heading(i_period),
                    f"‘{_show(cell(i_period))}’ is not a date. Use a date "
                    "such as 2025-04-01, 2025-04 or 01/04/2025.",
                )
                continue
            if problem := implausible_date(period, today=timezone.localdate()) or future_period_problem(
                period, measure.period_kind, timezone.localdate()
            ):
                parsed.add_error(number, heading(i_period), problem)
                continue
            key = (measure.pk, period)
            if key in seen:
                parsed.add_error(
                    number,
                    heading(i_period),
                    f"{measure.name} already has a row for this period (row {seen[key]}).",
                )
                continue
            seen[key] = number
            figures = {}
            bad = False
            wanted = (
                ((i_num, "numerator"), (i_den, "denominator"))
                if measure.has_denominator
                else ((i_value, "value"),)
            )
            for index, what in wanted:
                if index is None:
                    how = "a numerator over a denominator" if measure.has_denominator else "a single value"
                    parsed.add_error(
                        number,
                        None,
                        f"{measure.name} is measured as {how}: the file needs a ‘{what}’ column.",
                    )
                    bad = True
                    break
                try:
                    figures[what] = parse_number(cell(index))
                except (ValueError, TypeError):
                    parsed.add_error(number, heading(index), f"‘{_show(cell(index))}’ is not a number.")
                    bad = True
                    break
            if bad:
                continue
            refused = _check_figures(measure, figures)
            if refused:
                column = {"numerator": i_num, "denominator": i_den}.get(refused[0], i_value)
                parsed.add_error(number, heading(column), refused[1])
                continue
            parsed.rows.append(ParsedRow(number, measure, ValueRow(measure.pk, period, **figures)))


def _check_figures(measure: Measure, figures: dict) -> tuple[str, str] | None:
    """(column, message) for figures the measure cannot take, else None."""
    if measure.has_denominator:
        num, den = figures.get("numerator"), figures.get("denominator")
        if (num is None) != (den is None):
            return (
                "denominator" if den is None else "numerator",
                "Enter both the numerator and the denominator, or leave both blank for a missing period.",
            )
        if den is not None and den <= 0:
            return "denominator", "The denominator must be more than 0."
        if num is not None and num < 0:
            return "numerator", "The numerator cannot be negative."
        if measure.kind == MeasureKind.PROPORTION and num is not None and num > den:
            return "numerator", f"The numerator ({num:g}) is more than the denominator ({den:g})."
    elif figures.get("value") is not None and figures["value"] < 0 and not measure.allows_negative:
        return "value", measure.negative_refusal()
    return None


@dataclass
class Change:
    """One row of the file that would add a period (`old` is None) or correct a stored figure."""

    row: int
    period: datetime.date
    old: Any
    new: ValueRow


@dataclass
class MeasureChanges:
    """What loading the file would do to one measure, row by row; `kept` counts the stored periods the file does
    not mention, which are left as they are (an upload never deletes)."""

    measure: Measure
    added: list[Change] = field(default_factory=list)
    corrected: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0


def compare(parsed: ParsedFile, existing: Mapping[tuple[int, datetime.date], Any]) -> list[MeasureChanges]:
    """The differences between a checked file and the stored values of its measures (`existing`: every stored
    value of those measures by (measure id, period)), per measure by name: the dry run before anything is saved."""
    out: dict[int, MeasureChanges] = {}
    mentioned: set[tuple[int, datetime.date]] = set()
    for r in parsed.rows:
        entry = out.setdefault(r.measure.pk, MeasureChanges(r.measure))
        key = (r.measure.pk, r.value.period)
        mentioned.add(key)
        old = existing.get(key)
        if old is None:
            entry.added.append(Change(r.row, r.value.period, None, r.value))
        elif (old.value, old.numerator, old.denominator) == (
            r.value.value,
            r.value.numerator,
            r.value.denominator,
        ):
            entry.unchanged += 1
        else:
            entry.corrected.append(Change(r.row, r.value.period, old, r.value))
    for key in existing:
        if key[0] in out and key not in mentioned:
            out[key[0]].kept += 1
    return sorted(out.values(), key=lambda e: e.measure.name.lower())


# Staff survey results -----------------------------------------------------------------------------------------


@dataclass
class ParsedSurvey(UploadProblems):
    """A staff survey spreadsheet's scores by survey year (calendar year), or the problems that stop it loading."""

    name: str
    years: dict[int, list[SurveyScoreRow]] = field(default_factory=dict)


def _element_key(text: str) -> str | None:
    """The stored key of a survey element named by its key or its words ("We are a team", "Staff engagement")."""
    wanted = " ".join(text.lower().split())
    for key, label in SURVEY_ELEMENTS.items():
        if wanted in (key, label.lower()):
            return key
    return None


def parse_survey_upload(*, name: str, data: bytes) -> ParsedSurvey:
    """Check a staff survey spreadsheet (a row per survey year and element: the trust's score and the benchmark
    group's median, best and worst, each out of 10); every problem names its row and column, nothing is kept unless
    all are right."""
    parsed = ParsedSurvey(name=name)
    if len(data) > MAX_BYTES:
        parsed.add_error(None, None, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return parsed
    try:
        rows = read_rows(name, data)
        first = next(rows, None)
        if first is None:
            parsed.add_error(None, None, "The file is empty.")
            return parsed
        _parse_survey_rows(parsed, first, rows)
    except UnreadableUpload as exc:
        parsed.years.clear()
        parsed.errors[:] = [RowError(None, None, str(exc))]
        return parsed
    if parsed.ok and not parsed.years:
        parsed.add_error(None, None, "The file has a header row but no scores.")
    if not parsed.ok:
        parsed.years.clear()
    return parsed


def _parse_survey_rows(
    parsed: ParsedSurvey, header_row: tuple[int, list], rows: Iterator[tuple[int, list]]
) -> None:
    at, header_cells = header_row
    raw = ["" if c is None else " ".join(str(c).split()) for c in header_cells]
    header = [h.lower() for h in raw]
    found = {what: _find(header, names) for what, names in SURVEY_COLUMNS.items()}
    for what, index in found.items():
        if index is None:
            parsed.add_error(
                at,
                None,
                f"There is no ‘{SURVEY_COLUMNS[what][0]}’ column. The first row must name the columns: "
                + ", ".join(names[0] for names in SURVEY_COLUMNS.values())
                + ".",
            )
    if not parsed.ok:
        return
    where = {what: index for what, index in found.items() if index is not None}
    seen: dict[tuple[int, str], int] = {}
    today = timezone.localdate()
    for number, row in rows:
        cells = {what: (row[i] if i < len(row) else None) for what, i in where.items()}
        cells = {what: value.strip() if isinstance(value, str) else value for what, value in cells.items()}
        formula = next((w for w, v in cells.items() if isinstance(v, str) and _is_formula(v)), None)
        if formula is not None:
            parsed.add_error(
                number,
                raw[where[formula]],
                f"‘{_show(cells[formula])}’ looks like a spreadsheet formula. Enter the value itself.",
            )
            continue
        year = _survey_year(cells["year"])
        if year is None or not OLDEST_SURVEY_YEAR <= year <= today.year:
            parsed.add_error(
                number,
                raw[where["year"]],
                f"‘{_show(cells['year'])}’ is not a survey year: enter the calendar year the survey is named by, "
                f"such as {today.year - 1}.",
            )
            continue
        element = _element_key(str(cells["element"] or ""))
        if element is None:
            parsed.add_error(
                number,
                raw[where["element"]],
                f"‘{_show(cells['element'] or '')}’ is not a staff survey element: use a People Promise element "
                "(such as We are a team), Staff engagement or Morale.",
            )
            continue
        if (year, element) in seen:
            parsed.add_error(
                number,
                raw[where["element"]],
                f"The {year} survey's {SURVEY_ELEMENTS[element]} is already on row {seen[(year, element)]}.",
            )
            continue
        figures: dict[str, float] = {}
        for what in ("score", "median", "best", "worst"):
            try:
                figure = parse_number(cells[what])
            except (ValueError, TypeError):
                figure = -1.0
            if figure is None or not 0 <= figure <= 10:
                parsed.add_error(
                    number,
                    raw[where[what]],
                    f"‘{_show(cells[what] if cells[what] is not None else '')}’: enter a score out of 10 "
                    "(a number from 0 to 10).",
                )
                break
            figures[what] = figure
        else:
            if not figures["worst"] <= figures["median"] <= figures["best"]:
                parsed.add_error(
                    number,
                    raw[where["median"]],
                    "The benchmark's median must lie between its worst and best scores.",
                )
                continue
            seen[(year, element)] = number
            parsed.years.setdefault(year, []).append(SurveyScoreRow(element, **figures))


def _survey_year(cell: Any) -> int | None:
    """A survey's year from a cell: 2024, '2024', 'the 2024 survey' or a date cell in 2024."""
    if isinstance(cell, datetime.date):
        return cell.year
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return int(cell)
    found = re.fullmatch(r"(?:the\s+)?(\d{4})(?:\s+(?:staff\s+)?survey)?", str(cell or "").strip(), re.I)
    return int(found[1]) if found else None
