"""A cheap background task for the scale-out test: it notes each run (its number and the worker's process) in a
file, so the test can count how often each queued job ran and which worker took it."""

from __future__ import annotations

import os
import time

from django_tasks import task

RUN_SECONDS = 0.1  # long enough that both workers are busy at once


@task()
def note_run(number: int, path: str) -> int:
    """Append `number pid` to the file (one short write with O_APPEND, so lines from two workers never mix)."""
    time.sleep(RUN_SECONDS)
    line = f"{number} {os.getpid()}\n".encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
    return number
