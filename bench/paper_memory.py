"""Peak memory of a worker issuing the largest papers: `python bench/paper_memory.py` prints, for each paper, the
time and the worker's peak resident memory (issue 24: under 500 MB).

Each paper is issued in a fresh process (a worker), on its own throwaway SQLite database: the 60-measure
integrated performance report (bench/ipr.py's case: PDF and Word) and the 500-action board paper (bench/
board_paper.py's case: PDF, Word, Excel, CSV and HTML). The process's data are made first; then its peak is
reset (Linux: /proc/self/clear_refs) so the figure is the worker while it issues: Django, the records it reads,
the paper, every format and the store. `--tracemalloc` also says the Python heap's peak (slower).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from _django import remove, throwaway_django

LIMIT_MB = 500  # issue 24: a worker issuing any paper in every format stays under this
CASES = ("ipr", "board")


def _status(field: str) -> int:
    """A figure of /proc/self/status in KiB (VmRSS: now; VmHWM: peak since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> bool:
    """Start the peak again from the memory in use now (Linux 4.0 and later); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _issue_ipr():
    from django.utils import timezone
    from ipr import build

    from wellled.reports.ipr.kind import ipr_issue

    org, editor = build()
    return lambda: ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)


def _issue_board():
    from board_paper import build_plan

    from wellled.core.models import User
    from wellled.reports.services import paper_issue

    _org, _viewer, plan, _updates = build_plan()
    editor = User.objects.get(username="editor")
    cycle = plan.cycles.order_by("position_as_at").last()
    return lambda: paper_issue(plan=plan, cycle_or_as_at=cycle, by=editor)


def worker(case: str, heap: bool) -> dict:
    """Issue one paper in this process and say its figures."""
    import gc
    import tracemalloc

    data_dir = throwaway_django()
    try:
        issue = {"ipr": _issue_ipr, "board": _issue_board}[case]()
        gc.collect()
        before = _status("VmRSS")
        reset = _reset_peak()
        if heap:
            tracemalloc.start()
        start = time.perf_counter()
        issued = issue()
        seconds = time.perf_counter() - start
        heap_peak = tracemalloc.get_traced_memory()[1] if heap else None
        peak = _status("VmHWM")
        sizes = {f.format: f.size for f in issued.files.all()}
    finally:
        remove(data_dir)
    return {
        "case": case,
        "seconds": seconds,
        "rss_before_kib": before,
        "peak_kib": peak,
        "peak_is_of_issue": reset,
        "heap_peak_bytes": heap_peak,
        "files": sizes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=CASES, action="append", help="only this paper (repeatable)")
    parser.add_argument("--tracemalloc", action="store_true", help="also the Python heap's peak (slower)")
    parser.add_argument("--worker", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.tracemalloc)))
        return 0
    worst = 0
    for case in args.case or CASES:
        command = [sys.executable, __file__, "--worker", case] + (
            ["--tracemalloc"] if args.tracemalloc else []
        )
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        peak_mb = figures["peak_kib"] / 1024
        worst = max(worst, peak_mb)
        label = {"ipr": "IPR, 60 measures (PDF, Word)", "board": "Board paper, 500 actions (5 formats)"}[case]
        since = "while issuing" if figures["peak_is_of_issue"] else "whole process (peak could not be reset)"
        print(f"{label}: issued in {figures['seconds']:.2f} s")
        print(f"  worker's resident memory before issuing: {figures['rss_before_kib'] / 1024:6.0f} MB")
        print(f"  worker's peak resident memory, {since}: {peak_mb:6.0f} MB (limit {LIMIT_MB} MB)")
        if figures["heap_peak_bytes"] is not None:
            print(
                f"  Python heap's peak while issuing (tracemalloc): {figures['heap_peak_bytes'] / 2**20:6.0f} MB"
            )
        files = ", ".join(f"{fmt} {size / 1024:,.0f} KiB" for fmt, size in figures["files"].items())
        print(f"  files: {files}")
    print(f"Worst peak: {worst:.0f} MB ({'under' if worst < LIMIT_MB else 'OVER'} the {LIMIT_MB} MB limit)")
    return 0 if worst < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
