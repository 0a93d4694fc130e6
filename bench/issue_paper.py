"""Benchmark of issuing a board paper: `python bench/issue_paper.py` prints the time of each step.

The plan is bench/board_paper.py's (500 actions, 12 cycles of history). Issuing builds the paper, checks its JSON
snapshot reads back equal, renders the five formats and stores everything in one transaction; the figures show
where the time goes (what the progress page reports), how large the snapshot and files are, and how long
comparing two issued papers takes.
"""

from __future__ import annotations

import sys
import time

from _django import remove, throwaway_django


def main() -> int:
    data_dir = throwaway_django()
    from board_paper import build_plan

    org, _viewer, plan, _updates = build_plan()

    from wellled.core.models import User
    from wellled.reports.compare import compare_papers
    from wellled.reports.selectors import frozen_paper
    from wellled.reports.services import paper_issue
    from wellled.reports.snapshot import canonical_json

    editor = User.objects.get(username="editor")
    cycles = list(plan.cycles.order_by("position_as_at"))

    def issue(cycle):
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()
        issued = paper_issue(
            plan=plan,
            cycle_or_as_at=cycle,
            by=editor,
            progress=lambda p: marks.append((p.label, time.perf_counter())),
        )
        return issued, marks, time.perf_counter() - start

    issue(cycles[-2])  # warm-up (imports, fonts), and the paper to compare with
    issued, marks, total = issue(cycles[-1])
    print(f"Issuing the paper as at {issued.as_at} ({issued.total} actions): {total:.2f} s")
    for (label, at), (_, after) in zip(marks, marks[1:], strict=False):
        print(f"  {label:<28} {after - at:6.2f} s")
    print(f"  snapshot: {len(canonical_json(issued.data)) / 1024:,.0f} KiB of canonical JSON")
    for file in issued.files.all():
        print(f"  {file.filename:<40} {file.size / 1024:8,.0f} KiB")
    earlier = type(issued).objects.exclude(pk=issued.pk).get()
    start = time.perf_counter()
    result = compare_papers(frozen_paper(earlier), frozen_paper(issued))
    print(
        f"Reading both snapshots and comparing them: {(time.perf_counter() - start) * 1000:.0f} ms "
        f"({len(result.changed)} actions changed)"
    )

    remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
