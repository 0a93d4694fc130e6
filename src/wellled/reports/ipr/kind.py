"""The integrated performance report as a paper kind: every measure's SPC chart as at a date, in PDF and Word
(ADR 0036). Each chart is drawn once per issue and reused by both formats."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from wellled.core.formatting import long_date
from wellled.core.permissions import Permission
from wellled.core.selectors import get_or_404
from wellled.measures.selectors import owning_committees

from ..models import IssuedPaper
from ..models import PaperKind as KindChoice
from ..papers.kind import PaperKind, PaperRequest, RenderContext
from .build import IPR, ipr_build, last_complete_period
from .chart import pictures_ahead
from .render_docx import render_ipr_docx
from .render_pdf import render_ipr_pdf

CONCERN = "Special cause concern"
FAILING = "Will consistently miss the target"


class IPRKind(PaperKind):
    key = KindChoice.IPR.value
    label = KindChoice.IPR.label
    paper_class = IPR
    formats = ("pdf", "docx")
    # The same people issue the report as issue board papers: those who run the reporting cycles.
    permission = Permission.MANAGE_CYCLES
    as_at_field = "as_at"
    read_label = "Reading the measures"
    store_label = "Storing the issued report"
    # Shares of the time each step takes (bench/ipr.py, 60 measures, 7 December 2026): Word's pictures are the most.
    read_weight = 12
    format_weights = {"pdf": 34, "docx": 50}

    def draft_permission(self, organisation) -> Permission:
        """Every member reads the report on screen, so every member may download a draft of it."""
        return Permission.VIEW

    def default_as_at(self, organisation, by):
        """The last complete period, not today (the figures run to last month)."""
        return last_complete_period(user=by, organisation=organisation)

    def build(self, request: PaperRequest) -> IPR:
        """Every measure, or one committee's when the request's subject is that committee (ADR 0062)."""
        return ipr_build(
            user=request.by, organisation=request.organisation, as_at=request.day, committee=request.subject
        )

    def draft_request(self, *, organisation, by, as_at, parameters) -> PaperRequest:
        """`?committee=<id>` drafts the report of the measures one committee owns (another trust's: 404)."""
        return PaperRequest(
            organisation=organisation,
            by=by,
            as_at=as_at,
            subject=owning_committee_of(by, organisation, str(parameters.get("committee", ""))),
        )

    def render(self, paper: IPR, fmt: str, context: RenderContext) -> bytes:
        """One format; when Word follows the PDF in the same issue, its pictures are made beside the PDF."""
        if fmt == "pdf" and "docx" in context.formats:
            pictures_ahead(paper.measures, context.charts)
        renderer = {"pdf": render_ipr_pdf, "docx": render_ipr_docx}[fmt]
        return renderer(paper, charts=context.charts)

    def filename(self, paper: IPR, fmt: str) -> str:
        """'<organisation>-integrated-performance-report-<as-at>.<ext>'."""
        name = slugify(f"{paper.organisation_name} integrated performance report {paper.as_at.isoformat()}")
        return f"{name}.{fmt}"

    def total(self, paper: IPR) -> int:
        return len(paper.measures)

    def counts(self, paper: IPR) -> list[dict[str, Any]]:
        """The figures the list of issued reports shows beside each one."""
        concern = sum(1 for m in paper.measures if CONCERN in m.exceptions)
        failing = sum(1 for m in paper.measures if FAILING in m.exceptions)
        return [
            {"code": "exceptions", "label": "Exceptions", "count": len(paper.exceptions)},
            {"code": "concern", "label": CONCERN, "count": concern},
            {"code": "failing", "label": FAILING, "count": failing},
        ]

    def note(self, paper: IPR, request: PaperRequest) -> str:
        return f"Integrated performance report issued: position as at {long_date(paper.as_at)}"


IPR_KIND = IPRKind()
IPR_ISSUE_PERMISSION = IPR_KIND.permission


def owning_committee_of(by, organisation, key: str) -> Any:
    """The organisation's committee a request names by its id (None when it names none), else 404."""
    if not key.strip():
        return None
    return get_or_404(owning_committees(user=by, organisation=organisation), pk=key)


def ipr_issue(*, organisation, as_at, by, progress=None, committee=None) -> IssuedPaper:
    """Issue the report as at a date (or one committee's part of it): the snapshot of everything it says and its
    PDF and Word files, for good."""
    from ..papers.pipeline import issue

    request = PaperRequest(organisation=organisation, by=by, as_at=as_at, subject=committee)
    return issue(IPR_KIND.key, request, progress=progress)


def ipr_job_start(*, organisation, as_at, by):
    """Queue the issuing of the report (the reports app's background job runs it through its kind)."""
    from ..papers.jobs import paper_job_queue

    return paper_job_queue(
        kind=IPR_KIND.key, request=PaperRequest(organisation=organisation, by=by, as_at=as_at)
    )


def frozen_report(issued: IssuedPaper) -> IPR:
    """The report as issued, read from its snapshot (check `issued.data_intact` first)."""
    return IPR_KIND.from_data(issued.data)
