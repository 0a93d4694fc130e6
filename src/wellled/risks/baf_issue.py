"""Issuing the BAF paper: built, rendered in every format, then stored frozen with its checksums through the
issued-papers machinery of `reports` (IssuedPaper of kind 'baf', no plan; ADR 0030)."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.utils import timezone

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import permission_require
from wellled.reports.models import IssuedPaper, PaperJob, PaperKind
from wellled.reports.progress import ProgressCallback, Step, Tracker
from wellled.reports.services import issued_paper_store, paper_job_queue
from wellled.reports.snapshot import canonical_json, snapshot_from_data, snapshot_to_data

from .baf_paper import BafPaper, baf_paper_build
from .baf_render import FORMATS, filename, render

ISSUE_PERMISSION = Permission.MANAGE_RISKS
# Shares of the time each step takes (bench/risks.py, 15 principal risks): the PDF is most of it.
STEPS = [
    Step("Reading the register", 20),
    Step("Rendering PDF", 45),
    Step("Rendering Word", 15),
    Step("Rendering Excel", 12),
    Step("Rendering CSV", 2),
    Step("Storing the issued paper", 6),
]
FORMAT_STEP = {
    "pdf": "Rendering PDF",
    "docx": "Rendering Word",
    "xlsx": "Rendering Excel",
    "csv": "Rendering CSV",
}


def _as_at_check(as_at) -> None:
    if not isinstance(as_at, datetime.date) or isinstance(as_at, datetime.datetime):
        raise ValidationError("Give the date the BAF is as at.")
    if as_at > timezone.localdate():
        raise ValidationError("The BAF cannot be issued as at a date in the future.")


def baf_paper_issue(
    *, organisation: Organisation, as_at: datetime.date, by: User, progress: ProgressCallback | None = None
) -> IssuedPaper:
    """Issue the BAF as at a date: every format stored for good, with the snapshot it was drawn from."""
    permission_require(user=by, organisation_id=organisation.pk, permission=ISSUE_PERMISSION)
    _as_at_check(as_at)
    tracker = Tracker(STEPS, progress)
    tracker.start("Reading the register")
    paper = baf_paper_build(user=by, organisation=organisation, as_at=as_at)
    data = json.loads(canonical_json(snapshot_to_data(paper)))
    if snapshot_from_data(BafPaper, data) != paper:
        raise ValueError("The BAF paper does not survive its JSON snapshot unchanged; nothing was issued.")
    files = []
    for fmt in FORMATS:
        tracker.start(FORMAT_STEP[fmt])
        files.append((fmt, filename(paper, fmt), render(paper, fmt)))
    tracker.start("Storing the issued paper")
    issued = issued_paper_store(
        organisation=organisation,
        kind=PaperKind.BAF,
        as_at=as_at,
        title=paper.title,
        issued_at=paper.generated_at,
        data=data,
        files=files,
        total=len(paper.principal),
        counts=[
            {"code": r.reference, "label": r.current.band, "count": r.current.score} for r in paper.principal
        ],
        by=by,
        permission=ISSUE_PERMISSION,
        note=f"Board assurance framework issued: as at {day_text(as_at)}",
    )
    tracker.finish("Issued")
    return issued


def baf_job_start(*, organisation: Organisation, as_at: datetime.date, by: User) -> PaperJob:
    """Queue the issuing of the BAF (the reports app's background job runs it through `baf_job_issue`)."""
    _as_at_check(as_at)
    return paper_job_queue(
        organisation=organisation, kind=PaperKind.BAF, as_at=as_at, by=by, permission=ISSUE_PERMISSION
    )


def baf_job_issue(*, job: PaperJob, progress: ProgressCallback | None = None) -> IssuedPaper:
    """What the background job calls for a job of kind 'baf'."""
    return baf_paper_issue(
        organisation=job.organisation, as_at=job.as_at, by=job.requested_by, progress=progress
    )
