"""Read an uploaded action plan (.xlsx or .csv) into numbered rows of cells, refusing anything unsafe or unreadable.

The checks run in order, cheapest first: the size (setting WELLLED_MAX_UPLOAD_BYTES); the kind of file by its first
bytes as well as its name (a workbook is a zip holding [Content_Types].xml and a workbook part; a password-protected
workbook or an old .xls is an OLE compound file); how far the zip would expand; only then openpyxl, read-only, with
the values Excel saved rather than formulas, its XML parsed through defusedxml. Nothing here touches the database.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.conf import settings

from wellled.core.cells import FORMULA_PREFIXES
from wellled.core.limits import SPREADSHEET_CELL_CHARS

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_EXPANDED_BYTES = 250 * 1024 * 1024  # every part of a workbook, unzipped: a zip bomb stops here
MAX_ROWS = 20_000  # rows with anything in them, over all the sheets read
MAX_SHARED_STRINGS = 200_000  # a workbook's distinct texts, all held in memory when it is opened
MAX_COLUMNS = 40  # cells read from each row; an action plan has about eight
MAX_CELL_CHARS = SPREADSHEET_CELL_CHARS  # Excel's own largest cell: a longer one was not saved by Excel
SCAN_CHUNK_BYTES = 64 * 1024  # a workbook part is checked in pieces this size, never held whole
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # OLE compound file: an encrypted workbook, or an .xls
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
TEXT_SNIFF_BYTES = 4096
CSV_DELIMITERS = ",;\t"
NUMBER_FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')

TOO_LARGE = (
    "The file is {size}, more than the {limit} this site accepts. Remove anything that is not the action plan "
    "(other sheets, pictures), or split it, and upload it again."
)
EMPTY = "The file is empty."
WRONG_KIND = "Upload an Excel workbook (.xlsx) or a CSV file (.csv): ‘{name}’ is neither."
WORKBOOK_ENCRYPTED = (
    "This workbook is password-protected, so it cannot be read. Open it in Excel, remove the password (File > Info "
    "> Protect Workbook > Encrypt with Password), save it and upload it again."
)
OLD_EXCEL = (
    "This is an Excel 97–2003 workbook (.xls) or another old Office file. Open it in Excel, save it as an Excel "
    "Workbook (.xlsx) or as CSV, and upload that."
)
DAMAGED = (
    "The workbook is damaged or incomplete (it may not have finished saving or uploading). Open it in Excel, save "
    "it again and upload it."
)
NOT_A_WORKBOOK = (
    "‘{name}’ is not an Excel workbook, although its name ends in {suffix}. Save the action plan from Excel as an "
    "Excel Workbook (.xlsx) or as CSV, and upload that."
)
WORKBOOK_NAMED_CSV = (
    "‘{name}’ is an Excel workbook although its name ends in .csv. Rename it to end in .xlsx, or save it from "
    "Excel as CSV."
)
NOT_TEXT = (
    "‘{name}’ is not a CSV text file. Save the action plan from Excel as CSV (comma delimited), or upload the "
    "workbook (.xlsx) itself."
)
TOO_EXPANDED = (
    "The workbook would take up more than {limit} once opened, far more than its rows need. Remove "
    "pictures and other sheets, save it and upload it again."
)
UNSAFE_XML = (
    "The workbook contains XML that Wellled does not open (entity declarations), so it has not been read."
)
CELL_TOO_LONG = (
    "{where} holds more than {limit:,} characters, more than Excel itself puts in a cell, so the file has not "
    "been read. Shorten that cell (or put the detail in a linked document), save the file and upload it again."
)
TOO_MANY_ROWS = "The file has more than {limit:,} rows. Split it, or check that it is the action plan."
TOO_MANY_BLANK_ROWS = (
    "The file runs past row {limit:,}, counting blank rows. Delete the empty rows below the action plan, save it "
    "and upload it again."
)
TOO_MANY_TEXTS = (
    "The workbook holds more than {limit:,} different texts, far more than an action plan has. Check that it is "
    "the right file, or save the plan alone as CSV and upload that."
)
NO_SHEETS = "The workbook has no visible sheets to read."


class UnreadableFile(Exception):
    """The file is not a spreadsheet Wellled will read; the message says why and what to do."""


@dataclass(frozen=True)
class SpreadsheetFile:
    """An uploaded file's name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class MonthCell:
    """A date cell that Excel shows without a day (number format mmm-yy): the timescale is that month."""

    year: int
    month: int


@dataclass
class Sheet:
    """One sheet's rows that have anything in them, as (row number as Excel shows it, cells)."""

    title: str
    rows: list[tuple[int, tuple]] = field(default_factory=list)


@dataclass
class Spreadsheet:
    """The sheets of a file, in workbook order (a CSV file is one sheet with no title)."""

    name: str
    kind: str  # "xlsx" or "csv"
    sheets: list[Sheet]

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sheets)


def max_upload_bytes() -> int:
    """The upload limit in bytes (setting WELLLED_MAX_UPLOAD_BYTES)."""
    return int(getattr(settings, "WELLLED_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def size_text(size: int) -> str:
    """A size as people read it: '512 bytes', '800 KB', '10 MB', '12.5 MB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"


def load_file(file) -> SpreadsheetFile:
    """The name and bytes of an upload, an open file or a SpreadsheetFile; too large a file is refused unread."""
    if isinstance(file, SpreadsheetFile):
        return file
    limit = max_upload_bytes()
    name = str(getattr(file, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UnreadableFile(TOO_LARGE.format(size=size_text(size), limit=size_text(limit)))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    return SpreadsheetFile(name=name, data=data)


def read_spreadsheet(file: SpreadsheetFile) -> Spreadsheet:
    """Check the file and read its sheets; raises UnreadableFile with a message for the person who uploaded it."""
    limit = max_upload_bytes()
    name, data = file.name, file.data
    if len(data) > limit:
        raise UnreadableFile(TOO_LARGE.format(size=size_text(len(data)), limit=size_text(limit)))
    if not data.strip():
        raise UnreadableFile(EMPTY)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(OLE_MAGIC):
        if any(stream in data for stream in ENCRYPTED_STREAMS):
            raise UnreadableFile(WORKBOOK_ENCRYPTED)
        raise UnreadableFile(OLD_EXCEL)
    if suffix in XLSX_SUFFIXES:
        if not data.startswith(ZIP_MAGIC):
            raise UnreadableFile(NOT_A_WORKBOOK.format(name=name, suffix=suffix))
        return Spreadsheet(name=name, kind="xlsx", sheets=_read_xlsx(name, suffix, data))
    if suffix in CSV_SUFFIXES:
        if data.startswith(ZIP_MAGIC):
            raise UnreadableFile(WORKBOOK_NAMED_CSV.format(name=name))
        return Spreadsheet(name=name, kind="csv", sheets=[_read_csv(name, data)])
    if suffix == ".xls":
        raise UnreadableFile(OLD_EXCEL)
    raise UnreadableFile(WRONG_KIND.format(name=name))


# Workbooks ----------------------------------------------------------------------------------------------------


def open_workbook_archive(
    name: str, suffix: str, data: bytes, *, max_rows: int = MAX_ROWS
) -> zipfile.ZipFile:
    """The workbook's zip, once it is known to be a workbook that does not unzip beyond MAX_EXPANDED_BYTES, holds
    no cell too long, and no more distinct texts than MAX_SHARED_STRINGS (each sheet is checked only as far as
    the reader of `max_rows` rows will read it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(DAMAGED) from None
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.endswith("workbook.xml") for n in names):
        archive.close()
        raise UnreadableFile(NOT_A_WORKBOOK.format(name=name, suffix=suffix))
    if sum(i.file_size for i in infos) > MAX_EXPANDED_BYTES:
        archive.close()
        raise UnreadableFile(TOO_EXPANDED.format(limit=size_text(MAX_EXPANDED_BYTES)))
    try:
        cell_lengths_check(archive, max_rows=max_rows)
    except BaseException:
        archive.close()
        raise
    return archive


def cell_lengths_check(archive: zipfile.ZipFile, *, max_rows: int = MAX_ROWS) -> None:
    """Refuse a workbook with a cell longer than MAX_CELL_CHARS, reading its XML in pieces with expat so that
    even a 240 MB cell is counted, never held; the message names the sheet and the cell. Each sheet is read only
    as far as an import of `max_rows` rows reads it (scan_limit: the reader refuses a sheet that runs further,
    so a sheet of two million rows is not parsed twice over), and the shared strings (which openpyxl holds whole
    when it opens the book) only up to MAX_SHARED_STRINGS of them."""
    from wellled.core.workbook import scan_limit

    names = archive.namelist()
    long_strings: set[int] = set()
    for name in names:
        if name.lower().endswith("sharedstrings.xml"):
            long_strings |= _long_shared_strings(archive, name)
    titles = _sheet_titles(archive)
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            cell = _long_cell(
                archive, name, long_strings, max_rows=scan_limit(max_rows) + 1, max_full=max_rows + 1
            )
            if cell is not None:
                title = titles.get(name)
                where = f"Cell {cell} of sheet ‘{title}’" if title else f"Cell {cell}"
                raise UnreadableFile(CELL_TOO_LONG.format(where=where, limit=MAX_CELL_CHARS))
    if long_strings:
        raise UnreadableFile(CELL_TOO_LONG.format(where="A cell of the workbook", limit=MAX_CELL_CHARS))


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _scan(archive: zipfile.ZipFile, name: str, parser) -> None:
    """Feed one part to an expat parser in pieces; entity declarations are refused, as defusedxml would."""

    def refuse(*args):
        raise UnreadableFile(UNSAFE_XML)

    parser.buffer_text = False
    parser.EntityDeclHandler = refuse
    parser.StartDoctypeDeclHandler = refuse
    try:
        with archive.open(name) as part:
            while chunk := part.read(SCAN_CHUNK_BYTES):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise UnreadableFile(DAMAGED) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise UnreadableFile(DAMAGED) from None


def _long_shared_strings(archive: zipfile.ZipFile, name: str) -> set[int]:
    """The indexes of shared strings longer than MAX_CELL_CHARS."""
    state: dict[str, int] = {"index": -1, "length": 0, "depth": 0}
    found: set[int] = set()
    parser = expat.ParserCreate()

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            state["index"] += 1
            state["length"] = 0
            if state["index"] >= MAX_SHARED_STRINGS:
                raise UnreadableFile(TOO_MANY_TEXTS.format(limit=MAX_SHARED_STRINGS))
        elif local == "t":
            state["depth"] += 1

    def end(tag):
        if _local(tag) == "t":
            state["depth"] -= 1

    def text(data):
        if state["depth"] > 0:
            state["length"] += len(data)
            if state["length"] > MAX_CELL_CHARS:
                found.add(state["index"])

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    _scan(archive, name, parser)
    return found


def _long_cell(
    archive: zipfile.ZipFile, name: str, long_strings: set[int], *, max_rows: int, max_full: int
) -> str | None:
    """The reference (B7) of the first cell of a sheet part that is too long itself or points at a long shared
    string, else None; looking no further than the reader reads: `max_rows` rows of any kind, or `max_full` rows
    holding a figure or text of their own (a shared string may be blank, so it does not count)."""
    state: dict[str, Any] = {
        "rows": 0,
        "full": 0,
        "row_full": False,
        "ref": "",
        "type": "",
        "in_value": False,
        "length": 0,
        "value": "",
        "found": None,
    }
    parser = expat.ParserCreate()

    class Found(Exception):
        pass

    def start(tag, attrs):
        local = _local(tag)
        if local == "c":
            state.update(ref=attrs.get("r", ""), type=attrs.get("t", ""), length=0)
        elif local == "row":
            state["rows"] += 1
            state["full"] += state["row_full"]
            state["row_full"] = False
            if (
                state["rows"] > max_rows or state["full"] > max_full
            ):  # the reader stops before here: so does this
                raise Found
        elif local in ("v", "t"):
            state.update(in_value=True, value="")

    def end(tag):
        local = _local(tag)
        if local in ("v", "t"):
            state["in_value"] = False
            value = state["value"].strip()
            if value and state["type"] != "s":
                state["row_full"] = True
            if local == "v" and state["type"] == "s" and value.isdigit() and int(value) in long_strings:
                state["found"] = state["ref"] or "?"
                raise Found

    def text(data):
        if state["in_value"]:
            state["length"] += len(data)
            if len(state["value"]) < 20:
                state["value"] += data[:20]
            if state["length"] > MAX_CELL_CHARS:
                state["found"] = state["ref"] or "?"
                raise Found

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with contextlib.suppress(Found):
        _scan(archive, name, parser)
    return state["found"]


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's title (xl/worksheets/sheet1.xml → 'Actions'), for messages; {} if unreadable."""
    import defusedxml.ElementTree as safe_xml

    try:
        book = safe_xml.fromstring(archive.read("xl/workbook.xml"))
        rels = safe_xml.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a message without the title is still a message; openpyxl reports real damage later
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    titles = {}
    for sheet in book.iter():
        if _local(sheet.tag.rsplit("}", 1)[-1]) != "sheet":
            continue
        rel = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rel, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        titles[path] = sheet.get("name", "")
    return titles


def _read_xlsx(name: str, suffix: str, data: bytes) -> list[Sheet]:
    with open_workbook_archive(name, suffix, data) as archive:
        try:
            if archive.testzip() is not None:
                raise UnreadableFile(DAMAGED)
            return _read_sheets(archive, data)
        except UnreadableFile:
            raise
        except (
            Exception
        ) as exc:  # openpyxl raises many kinds on a broken part; all mean the same to the person
            if _defused(exc):
                raise UnreadableFile(UNSAFE_XML) from None
            if (
                isinstance(
                    exc,
                    zipfile.BadZipFile
                    | zlib.error
                    | KeyError
                    | OSError
                    | EOFError
                    | ParseError
                    | ValueError
                    | TypeError
                    | IndexError
                    | AttributeError,
                )
                or "lxml" in type(exc).__module__
            ):
                raise UnreadableFile(DAMAGED) from None
            raise


def _defused(exc: BaseException | None) -> bool:
    """True if defusedxml refused the XML, however deep openpyxl wrapped its exception."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _read_sheets(archive: zipfile.ZipFile, data: bytes) -> list[Sheet]:
    from wellled.core.workbook import opened_workbook, scan_limit

    scanned = scan_limit(MAX_ROWS)
    with opened_workbook(data) as book:
        sheets, count = [], 0
        for worksheet in book.worksheets:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            sheet = Sheet(title=worksheet.title)
            # The merged ranges are at the end of the sheet's XML; read-only mode does not report them.
            path = getattr(worksheet, "_worksheet_path", None)
            merges = _merged_ranges(archive, path) if path else []
            spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges if r1 > r0}
            carried: dict[tuple[int, int], object] = {}
            worksheet.reset_dimensions()  # some producers write a wrong <dimension>; read what is there
            for number, cells in enumerate(worksheet.iter_rows(max_row=scanned + 1), start=1):
                if number > scanned:
                    raise UnreadableFile(TOO_MANY_BLANK_ROWS.format(limit=scanned))
                values = [_xlsx_value(c) for c in cells[:MAX_COLUMNS]]
                for (row, column), value in carried.items():
                    if row == number:
                        values.extend([None] * (column - len(values)))
                        if values[column - 1] is None:
                            values[column - 1] = value
                for column, value in enumerate(values, start=1):
                    end = spans.get((number, column))
                    if end is not None and value is not None:
                        for below in range(number + 1, end[0] + 1):
                            carried[(below, column)] = value
                carried = {k: v for k, v in carried.items() if k[0] > number}
                if any(v is not None for v in values):
                    count += 1
                    if count > MAX_ROWS:
                        raise UnreadableFile(TOO_MANY_ROWS.format(limit=MAX_ROWS))
                    sheet.rows.append((number, _trim(values)))
            sheets.append(sheet)
        if not sheets:
            raise UnreadableFile(NO_SHEETS)
        return sheets


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range, from the sheet's XML read in pieces
    (core.workbook)."""
    from wellled.core.workbook import part_merged_ranges

    with archive.open(path) as part:
        return part_merged_ranges(part)


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not _shows_day(getattr(cell, "number_format", "") or ""):
            return MonthCell(day.year, day.month)
        return day
    return clean_cell(value)


def _shows_day(number_format: str) -> bool:
    """True unless the date's number format leaves the day out (mmm-yy, mmmm yyyy)."""
    bare = NUMBER_FORMAT_NOISE_RE.sub("", number_format).lower()
    return "d" in bare or bare in ("", "general")


# CSV ----------------------------------------------------------------------------------------------------------


def _read_csv(name: str, data: bytes) -> Sheet:
    from wellled.core.workbook import scan_limit

    head = data[:TEXT_SNIFF_BYTES]
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise UnreadableFile(NOT_TEXT.format(name=name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:TEXT_SNIFF_BYTES]
    lines = [line for line in sample.splitlines()[:-1] if line.strip()]
    dialect: type[csv.Dialect]
    if lines and sum("\t" in line for line in lines) * 2 >= len(lines):
        dialect = (
            csv.excel_tab
        )  # Excel's "Text (Tab delimited)": its commas are in the text, not between cells
    else:
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        except csv.Error:
            dialect = csv.excel
    sheet = Sheet(title="")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    scanned = scan_limit(MAX_ROWS)
    try:
        for number, row in enumerate(reader, start=1):
            if number > scanned:
                raise UnreadableFile(TOO_MANY_BLANK_ROWS.format(limit=scanned))
            for index, value in enumerate(row[:MAX_COLUMNS]):
                if len(value) > MAX_CELL_CHARS:
                    where = f"Row {reader.line_num}, column {_letter(index)},"
                    raise UnreadableFile(CELL_TOO_LONG.format(where=where, limit=MAX_CELL_CHARS))
            values = [clean_cell(v) for v in row[:MAX_COLUMNS]]
            if any(v is not None for v in values):
                if len(sheet.rows) >= MAX_ROWS:
                    raise UnreadableFile(TOO_MANY_ROWS.format(limit=MAX_ROWS))
                sheet.rows.append((number, _trim(values)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own cap, far above MAX_CELL_CHARS
            where = f"Row {reader.line_num}"
            raise UnreadableFile(CELL_TOO_LONG.format(where=where, limit=MAX_CELL_CHARS)) from None
        raise UnreadableFile(NOT_TEXT.format(name=name)) from None
    return sheet


def _letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Cells --------------------------------------------------------------------------------------------------------


def clean_cell(value):
    """A cell as the interpreter wants it: text stripped (None when blank), whole floats as ints, a leading
    apostrophe that Wellled's own export put before formula-like text taken off again."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text or None


def _trim(values: list) -> tuple:
    while values and values[-1] is None:
        values.pop()
    return tuple(values)
