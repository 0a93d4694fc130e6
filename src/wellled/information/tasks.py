"""The background task that produces an information request's answer (django-tasks, ADRs 0010 and 0052)."""

from __future__ import annotations

from django_tasks import task

from .jobs import answer_job_run


@task()
def produce_answer(job_id: int) -> int | None:
    """Produce and give the answer a job asks for; the job row records the progress and the outcome."""
    return answer_job_run(job_id=job_id)
