"""The background task that builds and issues a meeting pack (django-tasks, ADRs 0010 and 0057)."""

from __future__ import annotations

from django_tasks import task

from .jobs import pack_job_run


@task()
def build_pack(job_id: int) -> int | None:
    """Issue the pack a job asks for; the job row records the progress and the outcome."""
    return pack_job_run(job_id=job_id)
