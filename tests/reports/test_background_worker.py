"""Issuing through the database task queue and `wellled db_worker`, as production runs it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from tests.factories import make_organisation, make_person, make_plan

from wellled.core.choices import Role
from wellled.reports.models import IssuedPaper, JobState, PaperJob
from wellled.reports.services import paper_job_start

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_in_the_queue_until_the_worker_runs_it(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    org = make_organisation(name="Worker Test Trust", ods_code="ZWT01")
    editor = make_person(org, role=Role.GOVERNANCE_EDITOR, username="worker-editor")
    plan = make_plan(org, editor, name="Queued plan", lead=editor)

    job = paper_job_start(plan=plan, cycle_or_as_at=datetime.date(2026, 10, 31), by=editor)
    assert job.state == JobState.QUEUED and job.task_id and not IssuedPaper.objects.exists()
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "wellled.reports.tasks.issue_paper" and task.args_kwargs["args"] == [job.pk]

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job = PaperJob.objects.get(pk=job.pk)
    assert job.state == JobState.DONE and job.percent == 100 and job.started_at and job.finished_at
    assert job.paper.as_at == datetime.date(2026, 10, 31) and job.paper.files.count() == 5
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
