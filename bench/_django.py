"""What the benchmarks that need Django share: a throwaway SQLite database, migrated, and best-of-N timing."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def throwaway_django() -> str:
    """Set Django up on an empty SQLite file in a new temporary folder, migrate it, and return the folder."""
    data_dir = tempfile.mkdtemp(prefix="wellled-bench-")
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ["WELLLED_DATA_DIR"] = data_dir
    os.environ.pop("WELLLED_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]  # the test client's host
    call_command("migrate", verbosity=0, interactive=False)
    return data_dir


def remove(data_dir: str) -> None:
    """Close the database and delete the temporary folder."""
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data_dir, ignore_errors=True)


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best wall-clock time in seconds over `repeat` runs (after one warm-up run), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result
