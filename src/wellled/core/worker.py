"""The background worker beside the web server, so `wellled demo` and `wellled serve` need no second command.

Background tasks (issuing a board paper) wait in the database until `wellled worker` runs them: django-tasks-db's
`db_worker`, plus a heartbeat that /health/ reads and a retry while the database cannot be reached (ADR 0022).
The two commands start that worker as a child process, start it again if it dies, and stop it when they stop,
letting the task in hand finish first. A production set-up may run `wellled worker` as its own service instead
(docs/deployment.md) and pass --no-worker.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.dispatch import Signal

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# Seconds the worker waits between looks at an empty queue (django-tasks-db's default), and for it to stop.
POLL_INTERVAL_SECONDS = 1
# On stopping, the task in hand has this long to finish (a 500-action paper takes a few seconds); then a second
# SIGTERM interrupts it (the job goes back in the queue) and, after INTERRUPT_TIMEOUT_SECONDS, SIGKILL.
STOP_TIMEOUT_SECONDS = 30
INTERRUPT_TIMEOUT_SECONDS = 5
RESTART_DELAY_SECONDS = 2  # a worker that exits on its own is started again after this pause
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a Linux child gets when its parent dies

# Sent by `wellled worker` each time it (re)starts its loop: apps clear up after a worker that died
# (reports marks the jobs it left running as failed), without core importing them.
worker_started = Signal()


class Writer(Protocol):
    """Where the worker's lines go: a terminal, or a management command's output."""

    def write(self, msg: str, /) -> object: ...


def worker_needed() -> bool:
    """True if tasks are queued in the database (not run at once, in the request)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "") if hasattr(settings, "TASKS") else ""
    return backend == DATABASE_BACKEND


def worker_command() -> list[str]:
    """`wellled worker`, run by the same Python, with the same settings (inherited from the environment)."""
    return [
        sys.executable,
        "-m",
        "wellled",
        "worker",
        "--no-reload",
        "--interval",
        str(POLL_INTERVAL_SECONDS),
    ]


@contextmanager
def background_worker(
    *, enabled: bool = True, stdout: Writer | None = None
) -> Iterator[subprocess.Popen | None]:
    """Run the worker in a child process for as long as the block runs (nothing to do with the immediate backend)."""
    if not enabled or not worker_needed():
        yield None
        return
    process = _start()
    if stdout is not None:
        stdout.write(
            f"Started the background worker (process {process.pid}) for board papers and other long work."
        )
    previous = _exit_on_sigterm()
    keeper = WorkerKeeper(process, stdout=stdout)
    keeper.start()
    try:
        yield process
    finally:
        keeper.stop()
        stop_worker(keeper.process)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _start() -> subprocess.Popen:
    return subprocess.Popen(worker_command(), env=os.environ.copy(), preexec_fn=_die_with_parent)  # noqa: PLW1509


class WorkerKeeper(threading.Thread):
    """Starts the worker again if it exits while the server runs (a crash, an out-of-memory kill), so papers
    never queue for ever behind a dead worker."""

    def __init__(self, process: subprocess.Popen, *, stdout: Writer | None = None):
        super().__init__(name="wellled-worker-keeper", daemon=True)
        self.process, self.stdout = process, stdout
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(RESTART_DELAY_SECONDS):
            if self.process.poll() is not None and not self.stopping.is_set():
                code = self.process.returncode
                self.process = _start()
                if self.stdout is not None:
                    self.stdout.write(
                        f"The background worker stopped (exit {code}); started it again (process {self.process.pid})."
                    )

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=RESTART_DELAY_SECONDS + 1)


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
    """Ask the worker to finish its current task and stop; if it takes too long, interrupt the task (its job goes
    back in the queue) and, as a last resort, end the process."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
        return
    except subprocess.TimeoutExpired:
        process.terminate()  # the second signal interrupts the task; the job is put back in the queue
    try:
        process.wait(timeout=INTERRUPT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Heartbeat(threading.Thread):
    """Writes the worker's WorkerHeartbeat row every few seconds from its own thread (and its own database
    connection); a database that does not answer is skipped, not fatal."""

    def __init__(self, worker_id: str):
        super().__init__(name="wellled-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.started_at: datetime.datetime | None = None

    def beat(self) -> None:
        from django.db import DatabaseError, connection
        from django.utils import timezone

        from .models import WorkerHeartbeat

        now = timezone.now()
        self.started_at = self.started_at or now
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "pid": os.getpid(),
                    "host": socket.gethostname()[:200],
                    "beat_at": now,
                    "started_at": self.started_at,
                },
            )
        except DatabaseError:
            pass  # the worker's own loop reports and waits out a database that is down
        finally:
            connection.close()

    def run(self) -> None:
        interval = float(getattr(settings, "WELLLED_WORKER_HEARTBEAT_SECONDS", 5))
        while not self.stopping.is_set():
            self.beat()
            self.stopping.wait(interval)

    def stop(self) -> None:
        self.stopping.set()


def worker_alive(now=None) -> tuple[bool, float | None]:
    """(whether a worker wrote a heartbeat recently, seconds since the newest one or None if there is none)."""
    from django.utils import timezone

    from .models import WorkerHeartbeat

    now = now or timezone.now()
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if newest is None:
        return False, None
    age = (now - newest).total_seconds()
    return age <= float(getattr(settings, "WELLLED_WORKER_STALE_SECONDS", 60)), age


def backoff_delays(first: float = 1, most: float = 30) -> Iterator[float]:
    """1, 2, 4 … seconds, at most `most`: how long a worker waits for a database that does not answer."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, most)


def sleep(seconds: float) -> None:
    time.sleep(seconds)
