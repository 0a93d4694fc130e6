"""Answering an information request in the background (issue 24, ADR 0052): the button only queues a job (a
reports PaperJob of kind `answer`, linked from the request), the worker builds, freezes and gives the answer
through `services.answer_produce`, and the request's page shows the job's progress until it is done.

The job row is bookkeeping, not organisation data, so it is not audited; the answer it produces is."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from wellled.core.formatting import counted
from wellled.core.models import User
from wellled.core.service_kit import permission_require
from wellled.reports.models import JobState, PaperJob
from wellled.reports.papers.jobs import WAITING, JobTask, failure_text
from wellled.reports.progress import Progress

from . import services
from .models import InformationRequest, RequestKind, RequestStatus
from .paper_kind import ANSWER, write_permission

logger = logging.getLogger(__name__)

ALREADY_QUEUED = "The answer is already being produced: its progress is on this page."

# The task that runs a job (information.tasks.produce_answer), registered by the app when Django starts: the task
# module imports this one, never the other way round.
ANSWER_TASK = JobTask("produce answers")


def answer_task_register(task: Any) -> None:
    """Say which background task runs an answer's job: `task.enqueue(job_id)`."""
    ANSWER_TASK.register(task)


def answer_job_queue(
    *, request: InformationRequest, by: User, narrative: str = "", document: UploadedFile | None = None
) -> PaperJob:
    """Queue the producing of a request's answer; nothing is built in the caller's request. The same checks as
    answering now (the role, an open request, a subject in scope) are made here, and again when it runs. What was
    written and the document given are kept now, in the same transaction (a job cannot carry an upload)."""
    organisation = request.organisation
    with transaction.atomic():
        permission_require(
            user=by, organisation_id=organisation.pk, permission=write_permission(organisation)
        )
        locked = (
            InformationRequest.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer join
            .select_related("answer_job")
            .get(pk=request.pk)
        )
        if locked.status != RequestStatus.OPEN:
            raise ValidationError(services.NOT_OPEN.format(status=locked.get_status_display().lower()))
        if locked.answer_job is not None and not locked.answer_job.finished:
            raise ValidationError(ALREADY_QUEUED)
        services.subject_check(organisation=organisation, subject=locked.subject, by=by)
        written = services.written_answer_record(
            request=locked, by=by, narrative=narrative, document=document
        )
        if locked.kind == RequestKind.WRITTEN and written is None:
            raise ValidationError({"narrative": services.NOTHING_WRITTEN})
        job = PaperJob.objects.create(
            organisation=organisation,
            kind=ANSWER.key,
            as_at=timezone.localdate(),
            requested_by=by,
            step=WAITING,
        )
        InformationRequest.objects.filter(pk=locked.pk).update(answer_job=job)
    # Enqueued after the job's own transaction, so a worker (or the immediate backend) always finds the rows.
    ANSWER_TASK.enqueue(job.pk)
    job.refresh_from_db()
    return job


def answer_job_run(*, job_id: int) -> int | None:
    """Run a queued answer's job: produce and give the answer, recording each step on the job row. Returns the
    issued paper's id (None if it failed). E-mails that could not be sent are kept on the finished job."""
    claimed = PaperJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        step="Starting",
        attempts=models.F("attempts") + 1,
    )
    if not claimed:  # already run, or being run (a task delivered twice)
        return PaperJob.objects.filter(pk=job_id).values_list("paper_id", flat=True).first()
    job = PaperJob.objects.select_related("requested_by").get(pk=job_id)
    asked = InformationRequest.objects.select_related("organisation").filter(answer_job_id=job_id).first()

    def report(progress: Progress) -> None:
        PaperJob.objects.filter(pk=job_id).update(
            step=progress.text[:120],
            step_number=progress.number,
            percent=min(progress.percent, 99),
            heartbeat_at=timezone.now(),
        )

    try:
        if asked is None:
            raise ValidationError("The request this answer was for is no longer in the register.")
        outcome = services.answer_produce(request=asked, by=job.requested_by, progress=report)
    except Exception as exc:  # shown on the request's page; the answer is stored whole or not at all
        logger.exception("Producing an answer failed (job %s).", job_id)
        PaperJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=failure_text(exc), finished_at=timezone.now()
        )
        return None
    names = ", ".join(d.request.body_name for d in outcome.delivered)
    PaperJob.objects.filter(pk=job_id).update(
        state=JobState.DONE,
        paper=outcome.answer.paper,
        step=f"Answer given to {counted(len(outcome.delivered), 'request')}: {names}"[:120]
        if names
        else "Answer produced",
        percent=100,
        error=" ".join(outcome.failures),
        finished_at=timezone.now(),
    )
    return outcome.answer.paper_id
