"""Issuing the integrated performance report: built, checked against its own snapshot, rendered to PDF and Word,
then stored frozen with its checksums through the issued-papers machinery (IssuedPaper of kind 'ipr'; ADR 0036)."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from wellled.core.formatting import long_date
from wellled.core.models import Organisation, User
from wellled.core.service_kit import permission_require

from ..models import IssuedPaper, PaperJob, PaperKind
from ..progress import ProgressCallback, Step, Tracker
from ..services import ISSUE_AHEAD, ISSUE_PERMISSION, issued_paper_store, paper_job_queue
from ..snapshot import canonical_json, snapshot_from_data, snapshot_to_data
from .build import IPR, ipr_build
from .render_docx import render_ipr_docx
from .render_pdf import render_ipr_pdf

# The same people issue the report as issue board papers: those who run the reporting cycles.
IPR_ISSUE_PERMISSION = ISSUE_PERMISSION
RENDERERS = {"pdf": render_ipr_pdf, "docx": render_ipr_docx}
# Shares of the time each step takes (bench/ipr.py, 60 measures): drawing the charts is most of it.
STEPS = [
    Step("Reading the measures", 5),
    Step("Rendering PDF", 46),
    Step("Rendering Word", 46),
    Step("Storing the issued report", 3),
]
FORMAT_STEP = {"pdf": "Rendering PDF", "docx": "Rendering Word"}


def ipr_filename(report: IPR, fmt: str) -> str:
    """'<organisation>-integrated-performance-report-<as-at>.<ext>'."""
    name = slugify(f"{report.organisation_name} integrated performance report {report.as_at.isoformat()}")
    return f"{name}.{fmt}"


def _as_at_check(as_at) -> None:
    """A report is issued for a position that has been reached: never for a date after today (ADR 0034)."""
    if not isinstance(as_at, datetime.date) or isinstance(as_at, datetime.datetime):
        raise ValidationError({"as_at": "Enter the date the report's position is as at."})
    today = timezone.localdate()
    if as_at > today:
        raise ValidationError({"as_at": ISSUE_AHEAD.format(day=long_date(as_at), today=long_date(today))})


def _counts(report: IPR) -> list[dict]:
    """The figures the list of issued reports shows beside each one."""
    concern = sum(1 for m in report.measures if "Special cause concern" in m.exceptions)
    failing = sum(1 for m in report.measures if "Will consistently miss the target" in m.exceptions)
    return [
        {"code": "exceptions", "label": "Exceptions", "count": len(report.exceptions)},
        {"code": "concern", "label": "Special cause concern", "count": concern},
        {"code": "failing", "label": "Will consistently miss the target", "count": failing},
    ]


def ipr_issue(
    *, organisation: Organisation, as_at: datetime.date, by: User, progress: ProgressCallback | None = None
) -> IssuedPaper:
    """Issue the report as at a date: the snapshot of everything it says and its PDF and Word files, for good."""
    permission_require(user=by, organisation_id=organisation.pk, permission=IPR_ISSUE_PERMISSION)
    _as_at_check(as_at)
    tracker = Tracker(STEPS, progress)
    tracker.start("Reading the measures")
    report = ipr_build(user=by, organisation=organisation, as_at=as_at)
    data = json.loads(canonical_json(snapshot_to_data(report)))  # exactly what the database will give back
    frozen = snapshot_from_data(IPR, data)
    if frozen != report:  # a field the snapshot cannot hold would make the record lie
        raise ValueError("The report does not survive its JSON snapshot unchanged; nothing was issued.")
    files = []
    for fmt, renderer in RENDERERS.items():
        tracker.start(FORMAT_STEP[fmt])
        files.append((fmt, ipr_filename(frozen, fmt), renderer(frozen)))  # drawn from the record itself
    tracker.start("Storing the issued report")
    issued = issued_paper_store(
        organisation=organisation,
        kind=PaperKind.IPR,
        as_at=as_at,
        title=report.title,
        issued_at=report.generated_at,
        data=data,
        files=files,
        total=len(report.measures),
        counts=_counts(report),
        by=by,
        permission=IPR_ISSUE_PERMISSION,
        note=f"Integrated performance report issued: position as at {long_date(as_at)}",
    )
    tracker.finish("Issued")
    return issued


def ipr_job_start(*, organisation: Organisation, as_at: datetime.date, by: User) -> PaperJob:
    """Queue the issuing of the report; the reports app's background job runs it through `ipr_job_issue`."""
    _as_at_check(as_at)
    return paper_job_queue(
        organisation=organisation, kind=PaperKind.IPR, as_at=as_at, by=by, permission=IPR_ISSUE_PERMISSION
    )


def ipr_job_issue(*, job: PaperJob, progress: ProgressCallback | None = None) -> IssuedPaper:
    """What the background job calls for a job of kind 'ipr'."""
    return ipr_issue(organisation=job.organisation, as_at=job.as_at, by=job.requested_by, progress=progress)


def frozen_report(issued: IssuedPaper) -> IPR:
    """The report as issued, read from its snapshot (check `issued.data_intact` first)."""
    return snapshot_from_data(IPR, issued.data)
