"""Writes for board papers: issuing a paper (frozen, with checksums, audited) and the job that does it.

Rendering a large plan takes seconds (the PDF most), so the rendering happens before the write transaction
opens: the database is locked only for the moment it takes to store the finished paper and its audit record.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction
from wellled.core.formatting import long_date
from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.selectors import word_template_get
from wellled.core.service_kit import permission_require
from wellled.plans.models import Plan, ReportingCycle

from .board_paper import BoardPaper, board_paper_build
from .formats import FORMATS, PaperNotProduced, filename, render
from .models import IssuedPaper, IssuedPaperFile, JobState, PaperJob, PaperKind, PaperWithdrawal
from .progress import Progress, ProgressCallback, Tracker, issue_steps, rendering_label
from .snapshot import canonical_json, checksum, paper_from_data, paper_to_data

logger = logging.getLogger(__name__)

# Who may issue a paper: those who run the reporting cycles (governance editors and administrators).
ISSUE_PERMISSION = Permission.MANAGE_CYCLES
ISSUE_AHEAD = (
    "A paper cannot be issued for {day}: that position has not been reached yet (today is {today}). Issue it on "
    "or after its position date."
)
WITHDRAW_NO_REASON = "Enter the reason the paper is withdrawn: the board's record keeps it."
WITHDRAWN_ALREADY = "This paper was withdrawn already."


def _cycle_and_date(
    plan: Plan, cycle_or_as_at: ReportingCycle | datetime.date
) -> tuple[ReportingCycle | None, datetime.date]:
    """The cycle and position date a paper is issued for: a cycle's own date, or a date and its cycle if any."""
    if isinstance(cycle_or_as_at, ReportingCycle):
        if cycle_or_as_at.plan_id != plan.pk:
            raise ValidationError("The reporting cycle belongs to another plan.")
        return _not_ahead(cycle_or_as_at, cycle_or_as_at.position_as_at)
    if not isinstance(cycle_or_as_at, datetime.date) or isinstance(cycle_or_as_at, datetime.datetime):
        raise ValidationError("Choose a reporting cycle or a position-as-at date.")
    cycle = plan.cycles.filter(position_as_at=cycle_or_as_at).order_by("-opened_at", "-pk").first()
    return _not_ahead(cycle, cycle_or_as_at)


def _not_ahead(
    cycle: ReportingCycle | None, as_at: datetime.date
) -> tuple[ReportingCycle | None, datetime.date]:
    """A paper is issued for a position that has been reached: never for a date after today (ADR 0034)."""
    today = timezone.localdate()
    if as_at > today:
        raise ValidationError(ISSUE_AHEAD.format(day=long_date(as_at), today=long_date(today)))
    return cycle, as_at


def paper_issue(
    *,
    plan: Plan,
    cycle_or_as_at: ReportingCycle | datetime.date,
    by: User,
    progress: ProgressCallback | None = None,
) -> IssuedPaper:
    """Issue the plan's board paper as at a cycle's position date (or a date): every format, stored for good."""
    permission_require(user=by, organisation_id=plan.organisation_id, permission=ISSUE_PERMISSION)
    cycle, as_at = _cycle_and_date(plan, cycle_or_as_at)
    organisation = plan.organisation
    tracker = Tracker(issue_steps(), progress)

    tracker.start("Reading the plan")
    paper = board_paper_build(user=by, organisation=organisation, plan=plan, as_at=as_at)
    data = json.loads(canonical_json(paper_to_data(paper)))  # exactly what the database will give back
    if paper_from_data(data) != paper:  # a field the snapshot cannot hold would make the record lie
        raise ValueError("The board paper does not survive its JSON snapshot unchanged; nothing was issued.")
    word_template = word_template_get(user=by, organisation=organisation)
    template = bytes(word_template.content) if word_template else None  # the trust's own Word styles
    rendered = []
    for fmt in FORMATS:
        tracker.start(rendering_label(fmt))
        rendered.append((fmt, render(paper, fmt, template=template if fmt == "docx" else None)))

    tracker.start("Storing the issued paper")
    issued = _store(plan=plan, cycle=cycle, paper=paper, data=data, rendered=rendered, by=by)
    tracker.finish("Issued")
    return issued


def _store(
    *,
    plan: Plan,
    cycle: ReportingCycle | None,
    paper: BoardPaper,
    data: dict,
    rendered: list[tuple[str, bytes]],
    by: User,
) -> IssuedPaper:
    """Write the issued board paper, its files and the audit record together, or nothing (`issued_paper_store`,
    which re-reads the role: it may have changed while rendering)."""
    counts = [
        {
            "code": c.code,
            "label": c.label,
            "count": c.count,
            "colour": c.status.colour if c.status else "",
            "text_colour": c.status.text_colour if c.status else "",
        }
        for c in paper.counts
    ]
    return issued_paper_store(
        organisation=plan.organisation,
        kind=PaperKind.BOARD,
        plan=plan,
        cycle=cycle,
        as_at=paper.as_at,
        title=paper.title,
        issued_at=paper.generated_at,
        data=data,
        files=[(fmt, filename(paper, fmt), content) for fmt, content in rendered],
        total=paper.total,
        counts=counts,
        by=by,
        permission=ISSUE_PERMISSION,
        note=f"Board paper issued: position as at {long_date(paper.as_at)}",
    )


@transaction.atomic
def paper_withdraw(*, paper: IssuedPaper, by: User, reason: str) -> PaperWithdrawal:
    """Withdraw an issued paper with a reason: it is kept as issued and marked withdrawn, and no longer counts as
    the latest paper or in comparisons (ADR 0034)."""
    permission_require(user=by, organisation_id=paper.organisation_id, permission=ISSUE_PERMISSION)
    paper = (
        IssuedPaper.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=paper.pk)
    )
    if not reason.strip():
        raise ValidationError({"reason": WITHDRAW_NO_REASON})
    if PaperWithdrawal.objects.filter(paper=paper).exists():
        raise ValidationError({"reason": WITHDRAWN_ALREADY})
    withdrawal = PaperWithdrawal.objects.create(
        paper=paper, reason=reason.strip(), withdrawn_by=by, withdrawn_at=timezone.now()
    )
    audit_record(
        by=by,
        organisation=paper.organisation,
        action=AuditAction.CREATE,
        instance=withdrawal,
        note=f"{paper.get_kind_display()} withdrawn: position as at {long_date(paper.as_at)}",
    )
    return withdrawal


# The background job --------------------------------------------------------------------------------------------


def paper_job_start(*, plan: Plan, cycle_or_as_at: ReportingCycle | datetime.date, by: User) -> PaperJob:
    """Queue the issuing of a paper; the job row shows its progress. Runs at once with the immediate backend.

    The job row is bookkeeping, not plan data, so it is not audited; the paper it issues is.
    """
    job = _job_create(plan=plan, cycle_or_as_at=cycle_or_as_at, by=by)
    # Enqueued after the job's own transaction, so a worker (or the immediate backend) always finds the row.
    return _job_enqueue(job)


def _job_enqueue(job: PaperJob) -> PaperJob:
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    """Queue the task that runs the job (after the job's own transaction, so a worker always finds the row)."""
    from .tasks import issue_paper

    result = issue_paper.enqueue(job_id)
    if result.id:
        PaperJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


WORKER_STOPPED = (
    "The background worker stopped while producing this paper (the server was restarted or the worker failed), "
    "so nothing was issued. Issue it again: nothing needs undoing."
)
WORKER_INTERRUPTED_STEP = "Waiting to start again (the worker was stopped while producing it)"


def paper_job_retry(*, job: PaperJob, by: User) -> PaperJob:
    """Queue a failed job again, as it was asked for (the same plan and date); returns it, waiting."""
    permission_require(user=by, organisation_id=job.organisation_id, permission=ISSUE_PERMISSION)
    moved = PaperJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED,
        step="Waiting to start",
        step_number=0,
        percent=0,
        error="",
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if not moved:
        raise ValidationError("Only a job that failed can be run again.")
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def paper_jobs_abandoned_fail(now: datetime.datetime | None = None) -> int:
    """Mark as failed every running job whose heartbeat has gone quiet (its worker died): they show the reason
    and can be run again at once, rather than staying "in progress" for good. Returns how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=float(getattr(settings, "WELLLED_WORKER_STALE_SECONDS", 60)))
    quiet = PaperJob.objects.filter(state=JobState.RUNNING).filter(
        models.Q(heartbeat_at__lt=stale) | models.Q(heartbeat_at__isnull=True, started_at__lt=stale)
    )
    return quiet.update(state=JobState.FAILED, error=WORKER_STOPPED, finished_at=now)


class _JobHeartbeat(threading.Thread):
    """Marks the job alive every few seconds while it runs, from its own thread and database connection."""

    def __init__(self, job_id: int):
        super().__init__(name=f"paper-job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopping = threading.Event()

    def run(self) -> None:
        interval = float(getattr(settings, "WELLLED_WORKER_HEARTBEAT_SECONDS", 5))
        while not self.stopping.wait(interval):
            try:
                PaperJob.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except DatabaseError:
                pass  # the job itself will meet the same database and fail with its reason
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopping.set()


@transaction.atomic
def _job_create(*, plan: Plan, cycle_or_as_at: ReportingCycle | datetime.date, by: User) -> PaperJob:
    permission_require(user=by, organisation_id=plan.organisation_id, permission=ISSUE_PERMISSION)
    cycle, as_at = _cycle_and_date(plan, cycle_or_as_at)
    return PaperJob.objects.create(
        organisation=plan.organisation,
        plan=plan,
        cycle=cycle,
        as_at=as_at,
        requested_by=by,
        step="Waiting to start",
    )


def paper_job_run(*, job_id: int) -> int | None:
    """Run a queued job: issue its paper, recording each step on the job row. Returns the paper's id."""
    now = timezone.now()
    claimed = PaperJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        started_at=now,
        heartbeat_at=now,
        step="Starting",
        attempts=models.F("attempts") + 1,
    )
    if not claimed:  # already run, or being run (a task delivered twice)
        return PaperJob.objects.filter(pk=job_id).values_list("paper_id", flat=True).first()
    job = PaperJob.objects.select_related("plan__organisation", "cycle", "requested_by").get(pk=job_id)

    def report(progress: Progress) -> None:
        PaperJob.objects.filter(pk=job_id).update(
            step=progress.text[:120], step_number=progress.number, percent=min(progress.percent, 99)
        )

    # Only a separate worker needs a heartbeat: with the immediate backend the request that asked is waiting.
    from wellled.core.worker import worker_needed

    heartbeat = _JobHeartbeat(job_id) if worker_needed() else None
    if heartbeat is not None:
        heartbeat.start()
    try:
        if job.kind != PaperKind.BOARD:
            paper = JOB_ISSUERS[job.kind](job=job, progress=report)
        elif job.plan is None:  # a board paper's job always names its plan
            raise ValueError("The job names no plan.")
        else:
            paper = paper_issue(
                plan=job.plan, cycle_or_as_at=job.cycle or job.as_at, by=job.requested_by, progress=report
            )
    except (
        Exception
    ) as exc:  # any failure is shown on the job's page; the paper is stored whole or not at all
        logger.exception("Issuing the %s failed (job %s).", job.get_kind_display().lower(), job_id)
        PaperJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=_failure_text(exc), finished_at=timezone.now()
        )
        return None
    except (
        BaseException
    ):  # the worker is being stopped (SIGTERM twice, Ctrl+C): put the job back in the queue
        PaperJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            state=JobState.QUEUED, step=WORKER_INTERRUPTED_STEP, step_number=0, percent=0, heartbeat_at=None
        )
        _enqueue(job_id)
        raise
    finally:
        if heartbeat is not None:
            heartbeat.stop()
    PaperJob.objects.filter(pk=job_id).update(
        state=JobState.DONE, paper=paper, step="Issued", percent=100, finished_at=timezone.now()
    )
    return paper.pk


def _failure_text(exc: Exception) -> str:
    """What went wrong, in words for the person who asked (the details go to the log)."""
    if isinstance(exc, PermissionDenied):
        return "Your role no longer allows issuing papers, so nothing was issued."
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PaperNotProduced):
        return str(exc)
    return (
        "Something went wrong while producing the paper, so nothing was issued. Try again; if it happens "
        "again, tell your Wellled administrator (the error is in the server's log)."
    )


# Papers of the whole organisation (the BAF, ADR 0030) ------------------------------------------------------------
# The app that builds such a paper registers how a job issues it, and stores it through `issued_paper_store`: the
# same frozen records, checksums, audit record and background job as a board paper, without a plan.

JobIssuer = Callable[..., IssuedPaper]
JOB_ISSUERS: dict[str, JobIssuer] = {}


def job_issuer_register(kind: str, issuer: JobIssuer) -> None:
    """Say how a job of this kind issues its paper: `issuer(job=, progress=)` returns the IssuedPaper."""
    JOB_ISSUERS[kind] = issuer


def paper_job_queue(
    *, organisation, kind: str, as_at: datetime.date, by: User, permission: Permission
) -> PaperJob:
    """Queue the issuing of an organisation's paper of another kind (no plan); runs at once with the immediate
    backend. The caller's permission is checked here as well as by the issuer."""
    if kind not in JOB_ISSUERS:
        raise ValueError(f"No issuer is registered for papers of kind {kind!r}.")
    with transaction.atomic():
        permission_require(user=by, organisation_id=organisation.pk, permission=permission)
        job = PaperJob.objects.create(
            organisation=organisation, kind=kind, as_at=as_at, requested_by=by, step="Waiting to start"
        )
    return _job_enqueue(job)


@transaction.atomic
def issued_paper_store(
    *,
    organisation,
    kind: str,
    as_at: datetime.date,
    title: str,
    issued_at: datetime.datetime,
    data: dict,
    files: list[tuple[str, str, bytes]],
    total: int,
    counts: list,
    by: User,
    permission: Permission,
    note: str,
    plan: Plan | None = None,
    cycle: ReportingCycle | None = None,
) -> IssuedPaper:
    """Store an issued paper: the snapshot with its checksum, each (format, filename, bytes) file with its own, and
    the audit record, together or not at all. A board paper names its plan (and cycle, if any); a paper of the
    whole organisation (the BAF, the performance report) names neither."""
    permission_require(user=by, organisation_id=organisation.pk, permission=permission)
    if plan is not None and plan.organisation_id != organisation.pk:
        raise ValueError("The plan belongs to another organisation.")
    issued = IssuedPaper.objects.create(
        organisation=organisation,
        kind=kind,
        plan=plan,
        cycle=cycle,
        as_at=as_at,
        title=title[:300],
        issued_by=by,
        issued_at=issued_at,
        data=data,
        data_sha256=checksum(data),
        total=total,
        counts=counts,
    )
    described = []
    for fmt, name, content in files:
        digest = hashlib.sha256(content).hexdigest()
        IssuedPaperFile.objects.create(
            paper=issued,
            format=fmt,
            filename=name,
            content_type=FORMATS[fmt].content_type,
            content=content,
            size=len(content),
            sha256=digest,
        )
        described.append(f"{FORMATS[fmt].name} {len(content):,} bytes, SHA-256 {digest}")
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        instance=issued,
        after={
            "kind": kind,
            **({"plan_id": plan.pk, "cycle_id": cycle.pk if cycle else None} if plan is not None else {}),
            "as_at": as_at.isoformat(),
            "title": issued.title,
            "total": total,
            "data_sha256": issued.data_sha256,
            "files": "; ".join(described),
        },
        note=note,
    )
    return issued
