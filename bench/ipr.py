"""Benchmark of the integrated performance report: `python bench/ipr.py` prints best-of-N figures.

The case (issue 17): 60 monthly measures of three years each, a third with commentary, as at today; the report is
built (scoped reads and an SPC result per measure) and rendered to PDF and to Word with every chart drawn; then
issued (snapshot, both files from one drawing of each chart, stored frozen: issue 24), best of N, with the time of
each step the job's progress page shows. Runs on a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time

from _django import best_of, remove, throwaway_django

MEASURES = 60
MONTHS = 36


def build(measures: int = MEASURES):
    from django.utils import timezone

    from wellled.core.choices import Role
    from wellled.core.services import organisation_create, person_create
    from wellled.measures import services

    rng = random.Random(17)
    org = organisation_create(name="Benchmark Community NHS Trust", ods_code="ZBI01", by=None)
    editor = person_create(
        username="editor",
        by=None,
        organisation=org,
        role=Role.GOVERNANCE_EDITOR,
        first_name="Iris",
        last_name="Editor",
    )
    first = timezone.localdate().replace(day=1)
    start = first.year * 12 + first.month - 1 - MONTHS
    days = [datetime.date((start + i) // 12, (start + i) % 12 + 1, 1) for i in range(MONTHS)]
    for n in range(measures):
        measure = services.measure_create(
            organisation=org,
            by=editor,
            name=f"Measure {n + 1:02d}",
            kind="value",
            direction=rng.choice(["increase", "decrease"]),
            target=rng.choice([None, 50.0, 60.0]),
        )
        level = rng.uniform(40, 60)
        values = [level + rng.gauss(0, 3) + (6 if i > 24 and n % 4 == 0 else 0) for i in range(MONTHS)]
        services.values_load(
            organisation=org,
            by=editor,
            source="bench",
            rows=[services.ValueRow(measure.pk, d, value=v) for d, v in zip(days, values, strict=True)],
        )
        if n % 3 == 0:
            services.commentary_write(
                measure=measure,
                by=editor,
                period=first,
                shows="Steady within its limits.",
                why="No change to the process.",
                next_steps="Keep watching.",
            )
    return org, editor


def _issue(org, editor, today):
    """Issue the report once: wall and CPU seconds, the issued paper, how many charts were drawn and converted, and
    when each step began (what the job's progress page shows)."""
    from wellled.reports.ipr.kind import ipr_issue
    from wellled.reports.papers import kind as paper_kind

    caches = []
    made = paper_kind.RenderContext.__init__

    def remembered(self, *args, **kwargs):
        made(self, *args, **kwargs)
        caches.append(self.charts)

    paper_kind.RenderContext.__init__ = remembered
    marks: list[tuple[str, float]] = []
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        issued = ipr_issue(
            organisation=org,
            as_at=today,
            by=editor,
            progress=lambda p: marks.append((p.label, time.perf_counter())),
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        paper_kind.RenderContext.__init__ = made
    return wall, cpu, issued, caches[-1], marks


def _cpu(fn, repeat: int) -> float:
    """Best processor time of this process in seconds over `repeat` runs: what other work on a shared machine does
    not change (a thread the run starts counts too)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _load() -> str:
    """The machine's load average over 1, 5 and 15 minutes (wall times mean little when it is above the cores)."""
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measures", type=int, default=MEASURES, help="how many measures (CI: a few)")
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from django.utils import timezone

        from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf
        from wellled.reports.papers.charts import ChartCache
        from wellled.reports.snapshot import canonical_json

        org, editor = build(args.measures)
        today = timezone.localdate()
        report = ipr_build(user=editor, organisation=org, as_at=today)
        build_s, report = best_of(lambda: ipr_build(user=editor, organisation=org, as_at=today), args.repeat)
        pdf_s, pdf = best_of(lambda: render_ipr_pdf(report, ChartCache()), args.repeat)
        docx_s, docx = best_of(lambda: render_ipr_docx(report, ChartCache()), args.repeat)
        pdf_cpu = _cpu(lambda: render_ipr_pdf(report, ChartCache()), args.repeat)
        docx_cpu = _cpu(lambda: render_ipr_docx(report, ChartCache()), args.repeat)
        print(f"IPR, {args.measures} measures x {MONTHS} months, best of {args.repeat}:")
        print(f"  load average at the start:         {_load()}")
        print(f"  build (reads + SPC):               {build_s:6.2f} s")
        print(
            f"  PDF alone, every chart drawn:      {pdf_s:6.2f} s wall, {pdf_cpu:.2f} s CPU "
            f"({len(pdf) / 1e6:.2f} MB, vector charts)"
        )
        print(
            f"  Word alone, every chart drawn:     {docx_s:6.2f} s wall, {docx_cpu:.2f} s CPU "
            f"({len(docx) / 1e6:.2f} MB, PNG charts)"
        )
        # Issuing (ADR 0036, 0053): build, snapshot check, each chart drawn once for the PDF and the Word file,
        # stored with checksums. Wall time counts the other work on a shared machine; CPU time does not.
        _issue(org, editor, today)  # warm-up: fonts, imports
        runs = [_issue(org, editor, today) for _ in range(args.repeat)]
        wall, cpu, issued, charts, marks = min(runs, key=lambda run: run[0])
        snapshot = len(canonical_json(issued.data))
        print(
            f"  issue (PDF and Word), best of {args.repeat}: {wall:6.2f} s wall, {cpu:.2f} s CPU "
            f"(snapshot {snapshot / 1e6:.2f} MB)"
        )
        print(
            f"    charts drawn {charts.draws}, converted {charts.conversions} (a PDF drawing and a PNG each)"
        )
        for (label, at), (_, after) in zip(marks, marks[1:], strict=False):
            print(f"    {label:<30} {after - at:6.2f} s")
        print(f"  load average at the end:           {_load()}")
    finally:
        remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
