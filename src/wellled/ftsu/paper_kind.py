"""The quarterly return issued and frozen through the one paper pipeline (ADR 0043): always the suppressed copy,
since every member of the trust may read an issued paper; the guardian's exact figures are never frozen."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from wellled.core.cells import csv_bytes
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.reports.papers.kind import PaperRequest, RenderContext, SubjectPaperKind

from .periods import Quarter, quarter_parse
from .returns import quarter_return, return_rows, rows_xlsx

RETURN_KEY = "ftsu_ret"  # IssuedPaper.kind (at most ten characters)


@dataclass(frozen=True)
class ReturnLine:
    table: str
    figure: str
    code: str
    value: str


@dataclass(frozen=True)
class ReturnPaper:
    """The suppressed return as issued: its heading and one line per figure, as CSV and Excel carry it."""

    title: str
    organisation: str
    quarter: str
    definition_version: str
    as_at: datetime.date
    generated_at: datetime.datetime
    nil: bool
    header: tuple[str, ...]
    head: tuple[str, ...]
    lines: tuple[ReturnLine, ...]
    total: int  # the quarter's cases if the return shows them, else 0


def return_build(*, organisation: Organisation, by: User, quarter: Quarter) -> ReturnPaper:
    """The quarter's return as anyone but a guardian sees it (suppressed, whoever asks)."""
    result = quarter_return(user=by, organisation=organisation, quarter=quarter, suppressed=True)
    rows = return_rows(result)
    head = tuple(rows[1][:5]) if len(rows) > 1 else ()
    total = result.totals.get("cases")
    return ReturnPaper(
        title=f"Freedom to Speak Up return, {quarter.label}",
        organisation=organisation.name,
        quarter=quarter.label,
        definition_version=str(result.definition.get("version", "")),
        as_at=min(quarter.last_day, timezone.localdate()),
        generated_at=timezone.now(),
        nil=result.nil,
        header=tuple(rows[0]),
        head=head,
        lines=tuple(ReturnLine(*row[5:9]) for row in rows[1:]),
        total=total.count if total is not None and not total.hidden else 0,
    )


def paper_rows(paper: ReturnPaper) -> list[list[str]]:
    return [
        list(paper.header),
        *([*paper.head, ln.table, ln.figure, ln.code, ln.value] for ln in paper.lines),
    ]


class ReturnKind(SubjectPaperKind):
    """The quarter named in the request's subject (a Quarter); issued by a guardian (the service checks)."""

    key = RETURN_KEY
    label = "Freedom to Speak Up return"
    paper_class = ReturnPaper
    formats = ("csv", "xlsx")
    read_label = "Counting the quarter's cases"
    store_label = "Storing the return"
    # The guardian may hold any role: services.return_issue asks for the guardian.
    permission = Permission.VIEW

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> Quarter:
        try:
            return quarter_parse(str(parameters.get("quarter", "")))
        except ValueError as exc:
            raise ValidationError({"quarter": str(exc)}) from None

    def build(self, request: PaperRequest) -> ReturnPaper:
        return return_build(organisation=request.organisation, by=request.by, quarter=request.subject)

    def render(self, paper: ReturnPaper, fmt: str, context: RenderContext) -> bytes:
        rows = paper_rows(paper)
        return rows_xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)

    def filename(self, paper: ReturnPaper, fmt: str) -> str:
        return f"ftsu-return-{paper.quarter.replace('/', '-').replace(' ', '-').lower()}.{fmt}"

    def note(self, paper: ReturnPaper, request: PaperRequest) -> str:
        return f"Freedom to Speak Up return issued for {paper.quarter} (suppressed)"


RETURN_KIND = ReturnKind()
