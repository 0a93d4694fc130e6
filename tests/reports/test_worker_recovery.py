"""Background jobs that survive (issue 13, ADR 0022): the real `wellled worker`, in its own process over the test
database, killed mid-paper, stopped with SIGTERM, or started while the database is down."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from tests.factories import make_organisation, make_person
from tests.reports.limits_data import plan_at_limits

from wellled.core.choices import Role
from wellled.reports.models import JobState, PaperJob
from wellled.reports.services import paper_job_start

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 5  # a worker silent this long is taken for dead (60 s in production)
WAIT_SECONDS = 180  # generous: the machine running CI is shared


class Database:
    """The test database as another process reaches it: PostgreSQL's test database itself, or for SQLite (held in
    memory by the tests) a file copy that the workers and the test then share."""

    def __init__(self, folder: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = folder / "worker.sqlite3"
            target = sqlite3.connect(self.path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def job_state(self, pk: int) -> str:
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute("SELECT state FROM reports_paperjob WHERE id = ?", (pk,)).fetchone()[0]
        return PaperJob.objects.filter(pk=pk).values_list("state", flat=True).get()

    def wait_for(self, pk: int, *states: str, process: subprocess.Popen | None = None) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            state = self.job_state(pk)
            if state in states:
                return state
            if state == JobState.FAILED and JobState.FAILED not in states:
                raise AssertionError(f"job {pk} failed: {self.job_error(pk)}{output_of(process)}")
            if process is not None and process.poll() is not None and state not in states:
                out = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise AssertionError(
                    f"the worker exited ({process.returncode}) with the job {state}: {out[-2000:]}"
                )
            time.sleep(0.05)
        raise AssertionError(f"job {pk} is still {self.job_state(pk)}, not {states}: {self.job_error(pk)}")

    def job_error(self, pk: int) -> str:
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute("SELECT error FROM reports_paperjob WHERE id = ?", (pk,)).fetchone()[0]
        return PaperJob.objects.filter(pk=pk).values_list("error", flat=True).get()


def output_of(process: subprocess.Popen | None) -> str:
    """The worker's last output (it is stopped first), to show why a job failed."""
    if process is None or process.stdout is None:
        return ""
    if process.poll() is None:
        process.kill()
    return "\nworker output:\n" + process.stdout.read().decode(errors="replace")[-3000:]


def environment(database_url: str, folder: Path, **extra: str) -> dict:
    env = {
        **os.environ,
        "WELLLED_DATABASE_URL": database_url,
        "WELLLED_TASKS_BACKEND": "database",
        "WELLLED_SECRET_KEY": "worker-test-key",
        "WELLLED_DATA_DIR": str(folder / "data"),
        "WELLLED_WORKER_HEARTBEAT_SECONDS": "0.3",
        "WELLLED_WORKER_STALE_SECONDS": str(STALE_SECONDS),
        "DJANGO_SETTINGS_MODULE": "wellled.settings",
        "PYTHONPATH": str(ROOT / "src"),
        **extra,
    }
    env.pop("WELLLED_TESTING", None)
    return env


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "wellled", "worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


class OutputReader:
    """The worker's output read as it comes (in a thread), so a test can wait for what it says, however slowly a
    loaded machine starts it, instead of guessing a number of seconds."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[bytes] = []
        assert process.stdout is not None
        self.thread = threading.Thread(target=self.lines.extend, args=(iter(process.stdout.readline, b""),))
        self.thread.daemon = True
        self.thread.start()
        self.process = process

    @property
    def text(self) -> str:
        return b"".join(self.lines).decode(errors="replace")

    def wait_for(self, words: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while words not in self.text:
            assert self.process.poll() is None, (
                f"the worker exited before saying {words!r}: {self.text[-2000:]}"
            )
            assert time.monotonic() < deadline, f"the worker never said {words!r}: {self.text[-2000:]}"
            time.sleep(0.05)


def run_in_django(env: dict, code: str) -> None:
    subprocess.run([sys.executable, "-m", "wellled", "shell", "-c", code], env=env, check=True, timeout=120)


@pytest.fixture
def queued(settings, tmp_path):
    """A job queued in the database for a plan large enough that its paper takes a few seconds to produce."""
    settings.TASKS = DATABASE_TASKS
    org = make_organisation(name="Recovery Test Trust", ods_code="ZRT01")
    editor = make_person(org, role=Role.GOVERNANCE_EDITOR, username="recovery-editor")
    plan, as_at = plan_at_limits(org, editor, actions=12)
    job = paper_job_start(plan=plan, cycle_or_as_at=as_at, by=editor)
    assert job.state == JobState.QUEUED
    database = Database(tmp_path)
    workers: list[subprocess.Popen] = []
    yield job, database, environment(database.url, tmp_path), workers
    for process in workers:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_paper_leaves_a_job_marked_failed_that_runs_again_to_the_end(queued):
    job, database, env, workers = queued
    workers.append(first := start_worker(env))
    database.wait_for(job.pk, JobState.RUNNING, process=first)
    first.kill()  # no chance to clean up: as a crash or an out-of-memory kill would
    first.wait()
    assert database.job_state(job.pk) == JobState.RUNNING
    time.sleep(
        STALE_SECONDS + 0.5
    )  # the heartbeat has been quiet for longer than WELLLED_WORKER_STALE_SECONDS
    workers.append(second := start_worker(env))  # a worker starting marks what the dead one left as failed
    assert database.wait_for(job.pk, JobState.FAILED, process=second) == JobState.FAILED
    run_in_django(
        env,
        "from wellled.reports.models import PaperJob; from wellled.reports.services import paper_job_retry; "
        f"job = PaperJob.objects.get(pk={job.pk}); paper_job_retry(job=job, by=job.requested_by)",
    )
    assert database.wait_for(job.pk, JobState.DONE, process=second) == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_paper_in_hand_finish_before_the_worker_stops(queued):
    job, database, env, workers = queued
    workers.append(worker := start_worker(env))
    database.wait_for(job.pk, JobState.RUNNING, process=worker)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=WAIT_SECONDS) == 0
    assert database.job_state(job.pk) == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_a_second_sigterm_interrupts_the_paper_and_puts_its_job_back_in_the_queue(queued):
    job, database, env, workers = queued
    workers.append(worker := start_worker(env))
    database.wait_for(job.pk, JobState.RUNNING, process=worker)
    output = OutputReader(worker)
    worker.send_signal(signal.SIGTERM)
    # Two signals sent before the worker runs its handler count as one: wait until it has heard the first.
    output.wait_for("shutting down gracefully")
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=WAIT_SECONDS)
    except (
        subprocess.TimeoutExpired
    ):  # seen once on PostgreSQL: say where the worker stood, for whoever looks
        raise AssertionError(
            f"the worker did not stop after a second SIGTERM; the job is {database.job_state(job.pk)}; "
            f"its output: {output.text[-3000:]}"
        ) from None
    assert database.job_state(job.pk) == JobState.QUEUED, output.text[-2000:]
    workers.append(again := start_worker(env))
    assert database.wait_for(job.pk, JobState.DONE, process=again) == JobState.DONE


def test_a_worker_started_while_the_database_is_down_waits_and_says_so(tmp_path):
    env = environment("postgres://nobody@127.0.0.1:9/nothing", tmp_path)  # nothing listens on port 9
    worker = start_worker(env)
    output = OutputReader(worker)
    try:
        output.wait_for("tries again in")
        time.sleep(2)
        assert worker.poll() is None  # still running: it waits for the database rather than dying
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert "The database did not answer" in output.text


@pytest.mark.django_db(transaction=True)
def test_a_worker_started_before_the_database_is_there_recovers_when_it_comes_and_runs_the_job(
    queued, tmp_path
):
    job, database, env, workers = queued
    if not database.sqlite:
        pytest.skip("made by moving the SQLite file away; the PostgreSQL run checks the wait above")
    later = tmp_path / "not-yet" / "worker.sqlite3"
    env = {**env, "WELLLED_DATABASE_URL": f"sqlite:///{later}"}  # a folder that does not exist yet
    workers.append(worker := start_worker(env))
    time.sleep(4)
    assert worker.poll() is None  # waiting, not dead
    later.parent.mkdir()
    database.path.rename(later)
    database.path = later
    assert database.wait_for(job.pk, JobState.DONE, process=worker) == JobState.DONE
