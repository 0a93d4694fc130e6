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
