"""Background tasks (django-tasks, the backport of Django 6.0's tasks framework; see ADR 0010)."""

from __future__ import annotations

from django_tasks import task

from .papers.jobs import paper_job_run


@task()
def issue_paper(job_id: int) -> int | None:
    """Issue the paper a PaperJob asks for; the job row records the progress and the outcome."""
    return paper_job_run(job_id=job_id)
