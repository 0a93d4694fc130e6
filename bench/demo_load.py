"""Benchmark of preparing the demo: `python bench/demo_load.py` times `wellled demo --no-serve` on fresh data dirs.

Each run is a new process on a new, empty data directory (migrate, then every demo step), as someone trying the
demo meets it. Prints each run's wall and CPU time (the child's user + system), then the best and the median.
`--src DIR` runs another checkout's `src` (for a before/after comparison on the same machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(src: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `wellled demo --no-serve` on a new data directory."""
    with tempfile.TemporaryDirectory(prefix="wellled-demo-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WELLLED_", "DJANGO_"))}
        # WELLLED_DEBUG for checkouts from before `wellled demo` implied it; the same settings either way.
        env |= {"WELLLED_DATA_DIR": data_dir, "WELLLED_DEBUG": "1", "PYTHONPATH": str(src)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wellled", "demo", "--no-serve"],
            env=env,
            cwd=data_dir,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="how many fresh runs (default 3)")
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the src folder to run (default: this one)"
    )
    args = parser.parse_args()
    runs = []
    for index in range(1, args.repeat + 1):
        wall, cpu = one_run(args.src.resolve())
        runs.append((wall, cpu))
        print(f"run {index}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    print(
        f"best {min(walls):.1f} s wall / {min(cpus):.1f} s CPU; median {statistics.median(walls):.1f} s wall / ",
        end="",
    )
    print(f"{statistics.median(cpus):.1f} s CPU ({args.src})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
