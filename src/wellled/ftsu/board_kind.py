"""The Freedom to Speak Up board report as a paper kind of the one pipeline (ADR 0043, 0059): the guardian's report
for a period, issued and frozen in PDF and Word. Only a guardian drafts or issues it; what is frozen holds only
suppressed counts and the words the guardian wrote for the board, since every member may read an issued paper."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.text import slugify

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.reports.papers.kind import PaperRequest, RenderContext, SubjectPaperKind

from .board_render import render_board_docx, render_board_pdf
from .board_report import BoardReport, board_report_build
from .models import GuardianReport
from .selectors import guardian_report_get

BOARD_KEY = "ftsu_board"  # IssuedPaper.kind (at most ten characters)


class BoardReportKind(SubjectPaperKind):
    """The request's subject is the guardian's report (GuardianReport) for the period."""

    key = BOARD_KEY
    label = "Freedom to Speak Up board report"
    paper_class = BoardReport
    formats = ("pdf", "docx")
    read_label = "Reading the quarters' returns"
    store_label = "Storing the issued report"
    # The guardian may hold any role: the service and the subject ask for the guardian.
    permission = Permission.VIEW

    def subject(
        self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]
    ) -> GuardianReport:
        pk = str(parameters.get("report", ""))
        if not pk.isdigit():
            raise Http404("No such report.")
        return guardian_report_get(user=by, organisation=organisation, pk=int(pk))

    def build(self, request: PaperRequest) -> BoardReport:
        report: GuardianReport = request.subject
        return board_report_build(user=request.by, organisation=request.organisation, report=report)

    def render(self, paper: BoardReport, fmt: str, context: RenderContext) -> bytes:
        renderer = {"pdf": render_board_pdf, "docx": render_board_docx}[fmt]
        return renderer(paper, charts=context.charts)

    def filename(self, paper: BoardReport, fmt: str) -> str:
        name = slugify(
            f"{paper.organisation_name} freedom to speak up board report {paper.period_to.isoformat()}"
        )
        return f"{name}.{fmt}"

    def counts(self, paper: BoardReport) -> list[dict[str, Any]]:
        return [{"code": "quarters", "label": "Quarters", "count": len(paper.quarters)}]

    def note(self, paper: BoardReport, request: PaperRequest) -> str:
        return f"Freedom to Speak Up board report issued for {paper.period_from} to {paper.period_to} (suppressed)"


BOARD_KIND = BoardReportKind()
