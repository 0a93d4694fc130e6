"""The board paper as a paper kind: a plan's actions as at a cycle's position date, in every format (ADR 0009)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError

from wellled.core.formatting import long_date
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.selectors import word_template_get
from wellled.plans.selectors import plan_get

from .board_paper import BoardPaper, board_paper_build
from .compare import compare_papers
from .formats import FORMATS, filename, render
from .models import PaperKind as KindChoice
from .papers.kind import PaperKind, PaperRequest, RenderContext
from .snapshot import paper_from_data, paper_to_data


class BoardPaperKind(PaperKind):
    key = KindChoice.BOARD.value
    label = KindChoice.BOARD.label
    paper_class = BoardPaper
    formats = tuple(FORMATS)
    permission = Permission.MANAGE_CYCLES
    read_label = "Reading the plan"

    def build(self, request: PaperRequest) -> BoardPaper:
        if request.subject is None:  # a board paper is always a plan's
            raise ValueError("A board paper names its plan.")
        return board_paper_build(  # no date: the open cycle's position date, else today (a draft's default)
            user=request.by, organisation=request.organisation, plan=request.subject, as_at=request.as_at
        )

    def draft_permission(self, organisation: Organisation) -> Permission:
        """Every member reads the board paper in the app, so every member may download a draft of it (ADR 0009)."""
        return Permission.VIEW

    def default_as_at(self, organisation: Organisation, by: User) -> datetime.date | None:
        return None  # the plan's open cycle decides (board_paper_build)

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> Any:
        """`plan`: the plan's id (another organisation's plan is a 404)."""
        plan = str(parameters.get("plan", ""))
        if not plan.isdigit():
            raise ValidationError({"plan": "Name the plan whose board paper to draft."})
        return plan_get(user=by, organisation=organisation, pk=int(plan))

    def to_data(self, paper: BoardPaper) -> dict[str, Any]:
        return paper_to_data(paper)

    def from_data(self, data: dict[str, Any]) -> BoardPaper:
        return paper_from_data(data)

    def render(self, paper: BoardPaper, fmt: str, context: RenderContext) -> bytes:
        template = None
        if fmt == "docx" and context.by is not None and context.organisation is not None:
            stored = word_template_get(user=context.by, organisation=context.organisation)
            template = bytes(stored.content) if stored else None  # the trust's own Word styles
        return render(paper, fmt, template=template)

    def filename(self, paper: BoardPaper, fmt: str) -> str:
        return filename(paper, fmt)

    def total(self, paper: BoardPaper) -> int:
        return paper.total

    def counts(self, paper: BoardPaper) -> list[dict[str, Any]]:
        return [
            {
                "code": c.code,
                "label": c.label,
                "count": c.count,
                "colour": c.status.colour if c.status else "",
                "text_colour": c.status.text_colour if c.status else "",
            }
            for c in paper.counts
        ]

    def note(self, paper: BoardPaper, request: PaperRequest) -> str:
        return f"Board paper issued: position as at {long_date(paper.as_at)}"

    def compare(self, before: BoardPaper, after: BoardPaper):
        return compare_papers(before, after)

    def job_request(self, job) -> PaperRequest:
        if job.plan is None:  # a board paper's job always names its plan
            raise ValueError("The job names no plan.")
        request = super().job_request(job)
        return (
            replace(request, as_at=job.cycle.position_as_at) if job.cycle else request
        )  # the cycle's own date


BOARD = BoardPaperKind()
