"""A paper kind written as a new app would write one: the number of plans an organisation had as at a date, laid
out in every format. It is the whole of what adding a kind takes (ADR 0043)."""

from __future__ import annotations

import datetime
import html
import io
from dataclasses import dataclass

from django.utils import timezone

from wellled.core.cells import csv_bytes
from wellled.plans.selectors import plans_for_user
from wellled.reports.papers.kind import PaperKind, PaperRequest, RenderContext


@dataclass(frozen=True)
class PlanCount:
    organisation_name: str
    as_at: datetime.date
    generated_at: datetime.datetime
    plans: int

    @property
    def title(self) -> str:
        return f"Plans of {self.organisation_name}"

    @property
    def line(self) -> str:
        return f"Plans as at {self.as_at.isoformat()}: {self.plans}"


class PlanCountKind(PaperKind):
    key = "plancount"
    label = "Plan count"
    paper_class = PlanCount
    formats = ("pdf", "docx", "xlsx", "csv", "html")

    def build(self, request: PaperRequest) -> PlanCount:
        plans = plans_for_user(user=request.by, organisation=request.organisation)
        return PlanCount(
            organisation_name=request.organisation.name,
            as_at=request.as_at,
            generated_at=timezone.now().replace(microsecond=0),
            plans=plans.filter(created_at__date__lte=request.as_at).count(),
        )

    def render(self, paper: PlanCount, fmt: str, context: RenderContext) -> bytes:
        out = io.BytesIO()
        if fmt == "pdf":
            from wellled.reports.pdf_layout import paper_canvas_class

            canvas = paper_canvas_class()(
                out
            )  # the kit's canvas: a draft of the kind is marked on every page
            canvas.drawString(72, 720, paper.line)
            canvas.save()
        elif fmt == "docx":
            from docx import Document

            document = Document()
            document.add_paragraph(paper.line)
            document.save(out)
        elif fmt == "xlsx":
            from openpyxl import Workbook

            book = Workbook()
            book.active.append(["Plans as at", paper.as_at.isoformat(), paper.plans])
            book.save(out)
        elif fmt == "csv":
            return csv_bytes([["Plans as at", paper.as_at.isoformat(), paper.plans]])
        else:
            return f"<!doctype html><title>{html.escape(paper.title)}</title><p>{html.escape(paper.line)}".encode()
        return out.getvalue()

    def filename(self, paper: PlanCount, fmt: str) -> str:
        return f"plan-count-{paper.as_at.isoformat()}.{fmt}"

    def total(self, paper: PlanCount) -> int:
        return paper.plans

    def counts(self, paper: PlanCount) -> list[dict]:
        return [{"code": "plans", "label": "Plans", "count": paper.plans}]


PLAN_COUNT = PlanCountKind()
