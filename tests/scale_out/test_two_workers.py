"""Scale-out (issue 16): two `wellled worker` processes against one PostgreSQL database take each queued job once,
and /health/ reads "ok" while either of them beats (docs/deployment.md, "Running more than one")."""

from __future__ import annotations

import collections
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from tests.factories import make_organisation, make_person, make_plan

from wellled.core.choices import Role
from wellled.core.models import WorkerHeartbeat
from wellled.reports.models import IssuedPaper, JobState, PaperJob
from wellled.reports.services import paper_job_start

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS = 40
PAPERS = 6
WAIT_SECONDS = 240  # generous: the machine running CI is shared
STALE_SECONDS = 5  # well above the 0.5 s heartbeat, even on a loaded machine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: two worker processes share the queue through row locks (SELECT ... FOR UPDATE "
            "SKIP LOCKED); the SQLite test database lives in this process's memory. Run with "
            "WELLLED_DATABASE_URL=postgres://.../wl_scale."
        )


@pytest.fixture
def workers(postgres_only, settings, tmp_path):
    """Two `wellled worker` processes on the test database (as two servers would run them), stopped after."""
    settings.TASKS = DATABASE_TASKS
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {
        **os.environ,
        "WELLLED_DATABASE_URL": url,
        "WELLLED_TASKS_BACKEND": "database",
        "WELLLED_SECRET_KEY": "two-workers-test-key",
        "WELLLED_DATA_DIR": str(tmp_path / "data"),
        "WELLLED_WORKER_HEARTBEAT_SECONDS": "0.5",
        "DJANGO_SETTINGS_MODULE": "wellled.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),  # the test task lives in tests/
    }
    env.pop("WELLLED_TESTING", None)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wellled",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--worker-id",
                name,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for name in ("worker-a", "worker-b")
    ]
    try:
        _wait(lambda: WorkerHeartbeat.objects.count() == 2, processes, "both workers to beat")
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _output(processes) -> str:
    out = []
    for process in processes:
        if process.poll() is None:
            process.kill()
        out.append(process.stdout.read().decode(errors="replace")[-2000:] if process.stdout else "")
    return "\n---\n".join(out)


def _wait(condition, processes, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if any(p.poll() is not None for p in processes):
            raise AssertionError(f"a worker exited while waiting for {what}:\n{_output(processes)}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{_output(processes)}")


def test_two_workers_run_each_of_many_queued_jobs_exactly_once(workers, tmp_path):
    from django_tasks_db.models import DBTaskResult
    from tests.scale_out.worker_tasks import note_run

    runs = tmp_path / "runs.txt"
    results = [note_run.enqueue(number, str(runs)) for number in range(JOBS)]
    ids = [r.id for r in results]
    finished = DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL")
    _wait(lambda: finished.count() == JOBS, workers, f"{JOBS} jobs to finish")

    lines = [line.split() for line in runs.read_text().splitlines()]
    ran = collections.Counter(int(number) for number, _pid in lines)
    assert ran == collections.Counter(range(JOBS))  # every job ran, and none twice
    assert {int(pid) for _number, pid in lines} == {p.pid for p in workers}  # both workers took a share
    claimed = list(DBTaskResult.objects.filter(id__in=ids).values_list("worker_ids", flat=True))
    assert all(len(w) == 1 for w in claimed)  # each claimed by one worker, once
    assert {w[0] for w in claimed} == {"worker-a", "worker-b"}


def test_two_workers_issue_each_queued_board_paper_once(workers):
    org = make_organisation(name="Scale Out Test Trust", ods_code="ZSO01")
    editor = make_person(org, role=Role.GOVERNANCE_EDITOR, username="scale-out-editor")
    plan = make_plan(org, editor, name="Scale-out plan", lead=editor)
    months = [datetime.date(2026, m, 28) for m in range(1, PAPERS + 1)]
    jobs = [paper_job_start(plan=plan, cycle_or_as_at=day, by=editor) for day in months]
    done = PaperJob.objects.filter(pk__in=[j.pk for j in jobs], state=JobState.DONE)
    _wait(lambda: done.count() == PAPERS, workers, f"{PAPERS} papers to be issued")

    assert IssuedPaper.objects.filter(plan=plan).count() == PAPERS  # one paper per job, none twice
    assert sorted(IssuedPaper.objects.filter(plan=plan).values_list("as_at", flat=True)) == months
    assert set(done.values_list("attempts", flat=True)) == {1}


def test_health_is_ok_while_either_worker_beats_and_down_when_neither_does(workers, client, settings):
    settings.WELLLED_WORKER_STALE_SECONDS = STALE_SECONDS
    response = client.get("/health/")
    assert response.status_code == 200 and b"worker: ok" in response.content

    first, second = workers
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    time.sleep(STALE_SECONDS + 1)  # the stopped worker's heartbeat is stale now; the other's is fresh
    response = client.get("/health/")
    assert response.status_code == 200 and b"worker: ok" in response.content

    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)
    time.sleep(STALE_SECONDS + 1)
    response = client.get("/health/")
    assert response.status_code == 503 and b"worker: down" in response.content
