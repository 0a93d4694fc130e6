"""The board assurance framework as a paper kind: the principal risks as at a date, issued through the one paper
pipeline of reports (IssuedPaper of kind 'baf', no plan; ADRs 0030 and 0043)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.selectors import get_or_404
from wellled.reports.models import IssuedPaper, PaperJob
from wellled.reports.models import PaperKind as KindChoice
from wellled.reports.papers.jobs import paper_job_queue
from wellled.reports.papers.kind import PaperKind, PaperRequest, RenderContext
from wellled.reports.papers.pipeline import issue
from wellled.reports.progress import ProgressCallback

from .baf_paper import BafPaper, baf_paper_build
from .baf_render import FORMATS, filename, render
from .selectors import lead_committees

ISSUE_PERMISSION = Permission.MANAGE_RISKS


class BafKind(PaperKind):
    key = KindChoice.BAF.value
    label = KindChoice.BAF.label
    paper_class = BafPaper
    formats = FORMATS
    permission = ISSUE_PERMISSION
    as_at_field = "as_at"
    read_label = "Reading the register"
    # Shares of the time each step takes (bench/risks.py, 15 principal risks): the PDF is most of it.
    read_weight = 20
    format_weights = {"pdf": 45, "docx": 15, "xlsx": 12, "csv": 2}

    def build(self, request: PaperRequest) -> BafPaper:
        """The whole BAF, or one committee's principal risks when the request's subject is that committee."""
        return baf_paper_build(
            user=request.by, organisation=request.organisation, as_at=request.day, committee=request.subject
        )

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> Any:
        """`?committee=<id>` drafts one committee's BAF; another organisation's committee is a 404."""
        return committee_of(by, organisation, parameters.get("committee", ""))

    def render(self, paper: BafPaper, fmt: str, context: RenderContext) -> bytes:
        return render(paper, fmt)

    def filename(self, paper: BafPaper, fmt: str) -> str:
        return filename(paper, fmt)

    def total(self, paper: BafPaper) -> int:
        return len(paper.principal)

    def counts(self, paper: BafPaper) -> list[dict[str, Any]]:
        return [
            {"code": r.reference, "label": r.current.band, "count": r.current.score} for r in paper.principal
        ]

    def note(self, paper: BafPaper, request: PaperRequest) -> str:
        return f"Board assurance framework issued: as at {day_text(paper.as_at)}"


BAF = BafKind()


def committee_of(by: User, organisation: Organisation, key: str) -> Any:
    """The organisation's committee a request names by its id (None when it names none), else 404."""
    if not str(key).strip():
        return None
    return get_or_404(lead_committees(user=by, organisation=organisation), pk=key)


def baf_paper_issue(
    *,
    organisation: Organisation,
    as_at: datetime.date,
    by: User,
    progress: ProgressCallback | None = None,
    committee: Any = None,
) -> IssuedPaper:
    """Issue the BAF as at a date (or one committee's part of it): every format stored for good, with the snapshot
    it was drawn from."""
    request = PaperRequest(organisation=organisation, by=by, as_at=as_at, subject=committee)
    return issue(BAF.key, request, progress=progress)


def baf_job_start(*, organisation: Organisation, as_at: datetime.date, by: User) -> PaperJob:
    """Queue the issuing of the BAF (the reports app's background job runs it through its kind)."""
    return paper_job_queue(kind=BAF.key, request=PaperRequest(organisation=organisation, by=by, as_at=as_at))
