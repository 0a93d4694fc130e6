"""A risk register in and out of a spreadsheet, in the layout Datix-style exports use.

Import reads an .xlsx or .csv (through the plans app's safe reader: size and zip-bomb checks, formulas read as their
saved values, vertically merged cells carried down to every row they span), finds the header row among the first
rows whatever its wording, reads score cells written "4x5=20", "4 x 5" or "L4 x C5", and reports every problem by
row and column before anything is written. Nothing is saved unless every row is good (all or nothing).
Export writes the same layout, so a register can go out, be edited and come back.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from wellled.core.access import current_members
from wellled.core.formatting import typed_date
from wellled.core.limits import limit_of, too_long
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.plans.spreadsheet.read import (
    MonthCell,
    SpreadsheetFile,
    UnreadableFile,
    load_file,
    read_spreadsheet,
)

from . import services
from .choices import RiskStatus
from .convention import convention
from .models import Control, Risk, RiskCategory

# The columns Wellled writes, in order; the import recognises these and the usual variants below.
EXPORT_HEADERS = {
    "reference": "Risk ID",
    "title": "Title",
    "cause": "Cause",
    "event": "Event",
    "effect": "Effect",
    "unit": "Directorate or service",
    "category": "Category",
    "owner": "Owner",
    "handler": "Handler",
    "opened_on": "Date opened",
    "inherent": "Inherent rating",
    "current": "Current rating",
    "target": "Target rating",
    "controls": "Controls",
    "gaps_in_control": "Gaps in control",
    "gaps_in_assurance": "Gaps in assurance",
    "next_review_on": "Next review date",
    "status": "Status",
    "status_reason": "Status reason",
}
# Header wordings seen in registers exported from Datix, Ulysses and trusts' own workbooks, lower case with only
# letters and digits kept ("Current Rating (L x C)" is read as "currentrating").
HEADER_WORDS = {
    "reference": {
        "riskid",
        "id",
        "ref",
        "reference",
        "riskref",
        "riskreference",
        "risknumber",
        "riskno",
        "datixid",
    },
    "title": {
        "title",
        "risktitle",
        "risk",
        "riskdescription",
        "description",
        "risktitledescription",
        "summary",
    },
    "cause": {"cause", "causes", "becauseof"},
    "event": {"event", "riskevent", "thereisariskthat"},
    "effect": {"effect", "effects", "impact", "whichwouldleadto"},
    "unit": {
        "directorate",
        "directorateorservice",
        "division",
        "service",
        "caregroup",
        "department",
        "specialty",
        "directorateservice",
    },
    "category": {"category", "riskcategory", "risktype", "type"},
    "owner": {"owner", "riskowner", "executiveowner", "execlead", "executivelead"},
    "handler": {"handler", "riskhandler", "manager", "riskmanager", "riskhandlermanager", "riskhandlername"},
    "opened_on": {
        "opened",
        "dateopened",
        "opendate",
        "dateidentified",
        "datecreated",
        "dateraised",
        "openeddate",
    },
    "inherent": {
        "inherentrating",
        "inherentscore",
        "initialrating",
        "initialscore",
        "initialriskscore",
        "inherent",
        "initial",
        "inherentriskscore",
        "initialriskrating",
    },
    "current": {
        "currentrating",
        "currentscore",
        "residualrating",
        "residualscore",
        "currentriskscore",
        "current",
        "currentriskrating",
        "residual",
    },
    "target": {"targetrating", "targetscore", "target", "targetriskscore", "targetriskrating"},
    "controls": {"controls", "controlsinplace", "existingcontrols", "keycontrols"},
    "gaps_in_control": {"gapsincontrol", "gapsincontrols", "controlgaps"},
    "gaps_in_assurance": {"gapsinassurance", "assurancegaps"},
    "next_review_on": {"nextreviewdate", "nextreview", "reviewdate", "reviewdue", "datenextreview"},
    "status": {"status", "riskstatus"},
    "status_reason": {"statusreason", "closurereason", "reasonforclosure", "reason", "reasonclosedtolerated"},
}
HEADER_SEARCH_ROWS = 15  # title lines and logos above the headers in real exports
REQUIRED = ("title", "current")
SCORE_RE = re.compile(r"^\s*[lL]?\s*([0-9])\s*[x×X*]\s*[cC]?\s*([0-9])\s*(?:=\s*([0-9]{1,2}))?\s*$")
SCORE_FIRST_RE = re.compile(r"^\s*([0-9]{1,2})\s*\(\s*([0-9])\s*[x×X*]\s*([0-9])\s*\)\s*$")  # "20 (4x5)"
STATUS_WORDS = {
    "open": RiskStatus.OPEN,
    "live": RiskStatus.OPEN,
    "active": RiskStatus.OPEN,
    "new": RiskStatus.OPEN,
    "tolerated": RiskStatus.TOLERATED,
    "accepted": RiskStatus.TOLERATED,
    "tolerate": RiskStatus.TOLERATED,
    "closed": RiskStatus.CLOSED,
    "archived": RiskStatus.CLOSED,
    "close": RiskStatus.CLOSED,
}


def _word(header) -> str:
    text = re.sub(r"\([^)]*\)", "", str(header or ""))
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where it is: row as the spreadsheet numbers it, and the column's header."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class ImportResult:
    """What an import found (and, unless it was a dry run with no problems, did)."""

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: list[Risk] = field(default_factory=list)
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> the header text found

    @property
    def ok(self) -> bool:
        return not self.problems


def score_parse(value) -> tuple[int, int]:
    """(likelihood, consequence) from a cell such as '4x5=20', '4 x 5', 'L4xC5' or '20 (4x5)'; ValueError says why."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"“{value:g}” is a score alone: give likelihood and consequence, for example 4x5=20")
    text = str(value).strip()
    match = SCORE_RE.match(text)
    if match:
        likelihood, consequence, stated = int(match[1]), int(match[2]), match[3]
    elif match := SCORE_FIRST_RE.match(text):
        stated, likelihood, consequence = match[1], int(match[2]), int(match[3])
    elif text.isdigit():
        raise ValueError(f"“{text}” is a score alone: give likelihood and consequence, for example 4x5=20")
    else:
        raise ValueError(f"“{text}” is not a score: write likelihood x consequence, for example 4x5=20")
    for name, number in (("likelihood", likelihood), ("consequence", consequence)):
        if number not in convention().scale:
            raise ValueError(f"“{text}”: the {name} must be from 1 to 5")
    if stated is not None and int(stated) != likelihood * consequence:
        raise ValueError(
            f"“{text}”: {likelihood} x {consequence} is {likelihood * consequence}, not {stated}"
        )
    return likelihood, consequence


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, MonthCell):
        return datetime.date(value.year, value.month, 1)
    text = str(value).strip()
    day = typed_date(text)
    if day is not None:
        return day
    raise ValueError(f"“{text}” is not a date: write it as day/month/year, for example 30/11/2026")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(rows) -> tuple[int | None, dict[int, str], dict[str, str], list[Problem]]:
    """The header row (its index), column -> field, field -> header text; problems when no row will do."""
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, str] = {}
        texts: dict[str, str] = {}
        duplicates = []
        for column, cell in enumerate(cells):
            word = _word(cell)
            name = next((k for k, words in HEADER_WORDS.items() if word in words), None)
            if name is None:
                continue
            if name in texts:
                duplicates.append(
                    Problem(
                        number,
                        _text(cell),
                        f"a second column for the {EXPORT_HEADERS[name].lower()}"
                        f" (the first is “{texts[name]}”): keep one",
                    )
                )
                continue
            found[column], texts[name] = name, _text(cell)
        if len(found) >= 3 and all(name in texts for name in REQUIRED):
            return index, found, texts, duplicates
    return (
        None,
        {},
        {},
        [
            Problem(
                None,
                "",
                "no header row with at least a title and a current rating was found in "
                f"the first {HEADER_SEARCH_ROWS} rows; the columns Wellled reads are: "
                + ", ".join(EXPORT_HEADERS.values()),
            )
        ],
    )


class _Lookup:
    """The organisation's units, categories and people by the names a register writes them with."""

    def __init__(self, organisation: Organisation):
        self.units = {
            u.name.lower(): u
            for u in OrganisationUnit.objects.filter(organisation=organisation).exclude(kind="site")
        }
        self.categories = {c.name.lower(): c for c in RiskCategory.objects.filter(organisation=organisation)}
        self.people: dict[str, User] = {}
        for person in current_members(organisation=organisation):
            for key in (person.get_full_name(), person.username, person.email or "", person.display_initials):
                if key:
                    self.people.setdefault(key.lower(), person)
        self.taken = set(Risk.objects.filter(organisation=organisation).values_list("reference", flat=True))

    @staticmethod
    def _known(names) -> str:
        names = sorted(names)
        return ", ".join(names[:12]) + (" and others" if len(names) > 12 else "") if names else "none yet"

    def _named(self, found: dict, text: str, what: str):
        """The record called `text` (any case), or a ValueError naming `what` it should be and the known names."""
        if text.lower() not in found:
            raise ValueError(f"“{text}” is not one of {what} ({self._known(r.name for r in found.values())})")
        return found[text.lower()]

    def unit(self, text: str) -> OrganisationUnit:
        return self._named(self.units, text, "the organisation's directorates or services")

    def category(self, text: str) -> RiskCategory:
        return self._named(self.categories, text, "the risk categories")

    def person(self, text: str) -> User:
        if text.lower() not in self.people:
            raise ValueError(
                f"no member of the organisation is called “{text}” (give their name, username or "
                "e-mail address as Wellled knows it)"
            )
        return self.people[text.lower()]


def register_read(*, organisation: Organisation, file) -> ImportResult:
    """Read and check a register without writing anything: the rows as services.risk_create takes them, and every
    problem by row and column."""
    result = ImportResult()
    try:
        sheet = read_spreadsheet(load_file(file)).sheets[0]
    except UnreadableFile as exc:
        result.problems.append(Problem(None, "", str(exc)))
        return result
    index, columns, texts, problems = _header(sheet.rows)
    result.problems += problems
    if index is None:
        return result
    result.header_row, result.columns = sheet.rows[index][0], texts
    lookup = _Lookup(organisation)
    seen: dict[str, int] = {}
    for number, cells in sheet.rows[index + 1 :]:
        raw = {name: cells[column] if column < len(cells) else None for column, name in columns.items()}
        if all(_text(v) == "" for v in raw.values()):
            continue
        row, row_problems = _row(number, raw, texts, lookup, seen)
        result.problems += row_problems
        if not row_problems:
            result.rows.append(row)
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, "", "the file has headers but no risks under them"))
    return result


def _row(number: int, raw: dict, texts: dict[str, str], lookup: _Lookup, seen: dict[str, int]):
    row: dict = {"row": number}
    problems: list[Problem] = []

    def problem(name: str, message: str) -> None:
        problems.append(Problem(number, texts.get(name, EXPORT_HEADERS[name]), message))

    for name in (
        "title",
        "cause",
        "event",
        "effect",
        "gaps_in_control",
        "gaps_in_assurance",
        "status_reason",
    ):
        row[name] = _text(raw.get(name))
        message = too_long(row[name], limit_of(Risk, name))
        if message:
            problem(name, message)
    if not row["title"]:
        problem("title", "the risk has no title")
    reference = _text(raw.get("reference"))
    if reference:
        if reference in lookup.taken:
            problem(
                "reference",
                f"the register already has a risk {reference}; give a new reference or leave it empty",
            )
        elif reference in seen:
            problem("reference", f"{reference} is also the reference in row {seen[reference]}")
        elif len(reference) > 20:
            problem("reference", "a reference can be at most 20 characters")
        seen.setdefault(reference, number)
    row["reference"] = reference
    for kind in ("inherent", "current", "target"):
        value = raw.get(kind)
        if _text(value) == "":
            if kind == "current":
                problem(kind, "the current rating is missing")
            continue
        try:
            row[kind] = score_parse(value)
        except ValueError as exc:
            problem(kind, str(exc))
    if "current" in row:  # a register without inherent or target ratings: start them at the current one
        row.setdefault("inherent", row["current"])
        row.setdefault("target", row["current"])
    for name, find in (
        ("unit", lookup.unit),
        ("category", lookup.category),
        ("owner", lookup.person),
        ("handler", lookup.person),
    ):
        text = _text(raw.get(name))
        row[name] = None
        if text:
            try:
                row[name] = find(text)
            except ValueError as exc:
                problem(name, str(exc))
    for name in ("opened_on", "next_review_on"):
        row[name] = None
        if _text(raw.get(name)):
            try:
                row[name] = _date(raw[name])
            except ValueError as exc:
                problem(name, str(exc))
    status_text = _text(raw.get("status")).lower()
    row["status"] = RiskStatus.OPEN
    if status_text:
        if status_text not in STATUS_WORDS:
            problem("status", f"“{status_text}” is not a status: write open, tolerated or closed")
        else:
            row["status"] = STATUS_WORDS[status_text]
    if row["status"] != RiskStatus.OPEN and not row["status_reason"]:
        problem("status_reason", f"a {row['status']} risk needs the reason it is {row['status']}")
    row["controls"] = [
        line.strip(" -•\t") for line in _text(raw.get("controls")).splitlines() if line.strip(" -•\t")
    ]
    for position, control in enumerate(row["controls"], start=1):
        message = too_long(control, limit_of(Control, "description"))
        if message:
            problem("controls", f"control {position}: {message}")
    return row, problems


def register_import(*, organisation: Organisation, by: User, file, dry_run: bool = False) -> ImportResult:
    """Import a register: every row is checked first; with any problem (or a dry run) nothing is written, otherwise
    every risk is added through services.risk_create (audited, scored, escalated) in one transaction."""
    services.permission_require(
        user=by, organisation_id=organisation.pk, permission=services.Permission.MANAGE_RISKS
    )
    result = register_read(organisation=organisation, file=file)
    if dry_run or not result.ok:
        return result
    with transaction.atomic():
        for row in result.rows:
            fields = {k: v for k, v in row.items() if k != "row"}
            result.created.append(services.risk_create(organisation=organisation, by=by, **fields))
    return result


def register_export(*, risks: QuerySet[Risk]) -> bytes:
    """The register as an .xlsx in the layout `register_import` reads (scores written '4x5=20')."""
    from wellled.core.workbook import Alignment, Font, new_workbook, set_safe_cell, workbook_bytes

    book = new_workbook()
    sheet = book.active
    sheet.title = "Risk register"
    for column, header in enumerate(EXPORT_HEADERS.values(), start=1):
        set_safe_cell(sheet.cell(1, column), header)
        sheet.cell(1, column).font = Font(bold=True)
    risks = risks.prefetch_related("controls")
    for number, risk in enumerate(risks, start=2):
        values = {
            "reference": risk.reference,
            "title": risk.title,
            "cause": risk.cause,
            "event": risk.event,
            "effect": risk.effect,
            "unit": risk.unit.name if risk.unit else "",
            "category": risk.category.name if risk.category else "",
            "owner": risk.owner.get_full_name() or risk.owner.username if risk.owner else "",
            "handler": risk.handler.get_full_name() or risk.handler.username if risk.handler else "",
            "opened_on": risk.opened_on,
            "inherent": score_text(*risk.scores("inherent")),
            "current": score_text(*risk.scores("current")),
            "target": score_text(*risk.scores("target")),
            "controls": "\n".join(c.description for c in risk.controls.all()),
            "gaps_in_control": risk.gaps_in_control,
            "gaps_in_assurance": risk.gaps_in_assurance,
            "next_review_on": risk.next_review_on,
            "status": risk.get_status_display(),
            "status_reason": risk.status_reason,
        }
        for column, name in enumerate(EXPORT_HEADERS, start=1):
            cell = sheet.cell(number, column)
            set_safe_cell(cell, values[name])
            if isinstance(values[name], datetime.date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return workbook_bytes(book)


def score_text(likelihood: int, consequence: int) -> str:
    """'4x5=20', as registers write a score."""
    return f"{likelihood}x{consequence}={likelihood * consequence}"


__all__ = [
    "ImportResult",
    "Problem",
    "SpreadsheetFile",
    "register_export",
    "register_import",
    "register_read",
    "score_parse",
]
