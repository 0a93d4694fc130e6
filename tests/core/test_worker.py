"""The background worker that `wellled demo` and `wellled serve` start beside the web server."""

from __future__ import annotations

import sys

from wellled.core import worker


def test_the_worker_runs_while_the_block_runs_and_stops_after(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": worker.DATABASE_BACKEND}}
    monkeypatch.setattr(
        worker, "worker_command", lambda: [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    with worker.background_worker() as process:
        assert process is not None and process.poll() is None
    assert process.poll() is not None  # stopped, not left behind


def test_no_worker_when_tasks_run_at_once_or_when_told_not_to(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with worker.background_worker() as process:
        assert process is None
    settings.TASKS = {"default": {"BACKEND": worker.DATABASE_BACKEND}}
    with worker.background_worker(enabled=False) as process:
        assert process is None


def test_the_worker_command_is_wellled_worker_without_the_reloader():
    command = worker.worker_command()
    assert command[:4] == [sys.executable, "-m", "wellled", "worker"] and "--no-reload" in command


def test_a_worker_that_exits_while_the_server_runs_is_started_again(settings, monkeypatch):
    import time

    settings.TASKS = {"default": {"BACKEND": worker.DATABASE_BACKEND}}
    monkeypatch.setattr(worker, "RESTART_DELAY_SECONDS", 0.1)
    monkeypatch.setattr(
        worker, "worker_command", lambda: [sys.executable, "-c", "import time; time.sleep(0.3)"]
    )
    monkeypatch.setattr(worker, "STOP_TIMEOUT_SECONDS", 2)
    started = []
    real_start = worker._start

    def counting_start():
        process = real_start()
        started.append(process.pid)
        return process

    monkeypatch.setattr(worker, "_start", counting_start)
    with worker.background_worker():
        time.sleep(1.5)
    assert len(started) >= 2  # the first exited on its own and a new one took its place


def test_stopping_asks_twice_before_killing_a_worker_that_will_not_finish(monkeypatch):
    """SIGTERM lets the task in hand finish; a second SIGTERM interrupts it (its job is re-queued); then SIGKILL."""
    import subprocess

    monkeypatch.setattr(worker, "STOP_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(worker, "INTERRUPT_TIMEOUT_SECONDS", 0.5)
    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)",
        ]
    )
    import time

    time.sleep(0.3)  # let it install its handler
    worker.stop_worker(stubborn)
    assert stubborn.returncode == -9  # killed in the end, not left running
