"""Issuing a paper of any kind in the background (django-tasks, ADR 0010): the PaperJob row records who asked,
how far it has got and how it ended; a heartbeat shows its worker is alive; a failed job can be run again.

The job row is bookkeeping, not organisation data, so it is not audited; the paper it issues is."""

from __future__ import annotations

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from wellled.core.service_kit import permission_require
from wellled.plans.models import Plan

from ..formats import PaperNotProduced
from ..models import JobState, PaperJob
from ..progress import Progress
from .kind import DEFAULT_ISSUE_PERMISSION, PaperRequest
from .pipeline import as_at_check, issue
from .registry import UnknownPaperKind, kind_get, kind_label

logger = logging.getLogger(__name__)

WORKER_STOPPED = (
    "The background worker stopped while producing this paper (the server was restarted or the worker failed), "
    "so nothing was issued. Issue it again: nothing needs undoing."
)
WORKER_INTERRUPTED_STEP = "Waiting to start again (the worker was stopped while producing it)"
WAITING = "Waiting to start"
NOT_FAILED = "Only a job that failed can be run again."
ROLE_CHANGED = "Your role no longer allows issuing papers, so nothing was issued."
WENT_WRONG = (
    "Something went wrong while producing the paper, so nothing was issued. Try again; if it happens "
    "again, tell your Wellled administrator (the error is in the server's log)."
)


class JobTask:
    """The background task that runs one sort of PaperJob (issuing a paper, building a pack, producing an answer),
    registered by its app when Django starts: the task module imports the jobs module, never the other way round."""

    def __init__(self, work: str) -> None:
        self.work = work  # what the task does, for the error when none is registered ("issue papers")
        self.task: Any = None

    def register(self, task: Any) -> None:
        """Say which background task runs the jobs: `task.enqueue(job_id)`."""
        self.task = task

    def enqueue(self, job_id: int) -> None:
        """Queue the task for the job, keeping the queue's id of it on the job row."""
        if self.task is None:
            raise RuntimeError(f"No background task is registered to {self.work}.")
        result = self.task.enqueue(job_id)
        if result.id:
            PaperJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


ISSUE_TASK = JobTask("issue papers")  # reports.tasks.issue_paper


def job_task_register(task: Any) -> None:
    """Say which background task issues a paper: `task.enqueue(job_id)`."""
    ISSUE_TASK.register(task)


def paper_job_queue(*, kind: str, request: PaperRequest) -> PaperJob:
    """Queue the issuing of a paper of a registered kind; the job row shows its progress. Runs at once with the
    immediate backend. The person's permission and the date are checked now as well as when it runs."""
    paper_kind = kind_get(kind)
    with transaction.atomic():
        permission_require(
            user=request.by,
            organisation_id=request.organisation.pk,
            permission=paper_kind.issue_permission(request.organisation),
        )
        if request.as_at is not None:
            as_at_check(request.as_at, field=paper_kind.as_at_field)
        job = PaperJob.objects.create(
            organisation=request.organisation,
            kind=paper_kind.key,
            plan=request.subject if isinstance(request.subject, Plan) else None,
            cycle=request.cycle,
            as_at=request.day,
            requested_by=request.by,
            step=WAITING,
        )
    # Enqueued after the job's own transaction, so a worker (or the immediate backend) always finds the row.
    ISSUE_TASK.enqueue(job.pk)
    job.refresh_from_db()
    return job


def paper_job_retry(*, job: PaperJob, by) -> PaperJob:
    """Queue a failed job again, as it was asked for (the same kind, subject and date); returns it, waiting."""
    permission_require(user=by, organisation_id=job.organisation_id, permission=_permission(job))
    moved = PaperJob.objects.filter(pk=job.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED,
        step=WAITING,
        step_number=0,
        percent=0,
        error="",
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if not moved:
        raise ValidationError(NOT_FAILED)
    ISSUE_TASK.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _permission(job: PaperJob):
    try:
        return kind_get(job.kind).issue_permission(job.organisation)
    except UnknownPaperKind:
        return DEFAULT_ISSUE_PERMISSION


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


def paper_job_run(*, job_id: int) -> int | None:
    """Run a queued job: issue its paper through its kind, recording each step on the job row. Returns the
    paper's id (None if it failed)."""
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
    job = PaperJob.objects.select_related("organisation", "plan__organisation", "cycle", "requested_by").get(
        pk=job_id
    )

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
        paper = issue(job.kind, kind_get(job.kind).job_request(job), progress=report)
    except (
        Exception
    ) as exc:  # any failure is shown on the job's page; the paper is stored whole or not at all
        logger.exception("Issuing the %s failed (job %s).", kind_label(job.kind).lower(), job_id)
        PaperJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=failure_text(exc), finished_at=timezone.now()
        )
        return None
    except (
        BaseException
    ):  # the worker is being stopped (SIGTERM twice, Ctrl+C): put the job back in the queue
        PaperJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            state=JobState.QUEUED, step=WORKER_INTERRUPTED_STEP, step_number=0, percent=0, heartbeat_at=None
        )
        ISSUE_TASK.enqueue(job_id)
        raise
    finally:
        if heartbeat is not None:
            heartbeat.stop()
    PaperJob.objects.filter(pk=job_id).update(
        state=JobState.DONE, paper=paper, step="Issued", percent=100, finished_at=timezone.now()
    )
    return paper.pk


def failure_text(exc: Exception) -> str:
    """What went wrong, in words for the person who asked (the details go to the log)."""
    if isinstance(exc, PermissionDenied):
        return ROLE_CHANGED
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PaperNotProduced):
        return str(exc)
    return WENT_WRONG
