"""The background worker beside the web server, so `wellled demo` and `wellled serve` need no second command.

Background tasks (issuing a board paper) wait in the database until `wellled db_worker` (django-tasks-db) runs
them. The two commands start that worker as a child process and stop it when they stop. A production set-up may
run `wellled db_worker` as its own service instead (docs/deployment.md) and pass --no-worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from django.conf import settings

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# Seconds the worker waits between looks at an empty queue (django-tasks-db's default), and for it to stop.
POLL_INTERVAL_SECONDS = 1
STOP_TIMEOUT_SECONDS = 10
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a Linux child gets when its parent dies


def worker_needed() -> bool:
    """True if tasks are queued in the database (not run at once, in the request)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "") if hasattr(settings, "TASKS") else ""
    return backend == DATABASE_BACKEND


def worker_command() -> list[str]:
    """`wellled db_worker`, run by the same Python, with the same settings (inherited from the environment)."""
    return [
        sys.executable,
        "-m",
        "wellled",
        "db_worker",
        "--no-reload",
        "--interval",
        str(POLL_INTERVAL_SECONDS),
    ]


@contextmanager
def background_worker(
    *, enabled: bool = True, stdout: TextIO | None = None
) -> Iterator[subprocess.Popen | None]:
    """Run the worker in a child process for as long as the block runs (nothing to do with the immediate backend)."""
    if not enabled or not worker_needed():
        yield None
        return
    process = subprocess.Popen(worker_command(), env=os.environ.copy(), preexec_fn=_die_with_parent)  # noqa: PLW1509
    if stdout is not None:
        stdout.write(
            f"Started the background worker (process {process.pid}) for board papers and other long work."
        )
    previous = _exit_on_sigterm()
    try:
        yield process
    finally:
        stop_worker(process)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm():
    """Make SIGTERM leave the block (runserver would otherwise die at once and leave the worker running)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        return None

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)
    return previous


def _die_with_parent() -> None:
    """In the child, on Linux: be sent SIGTERM if the parent dies without stopping us (kill -9, a crash)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_worker(process: subprocess.Popen) -> None:
    """Ask the worker to finish its current task and stop; end it if it will not."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
