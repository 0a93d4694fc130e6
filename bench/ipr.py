"""Benchmark of the integrated performance report: `python bench/ipr.py` prints best-of-N figures.

The case (issue 17): 60 monthly measures of three years each, a third with commentary, as at today; the report is
built (scoped reads and an SPC result per measure) and rendered to PDF and to Word with every chart drawn; then
issued once (snapshot, both files, stored frozen). Runs on a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time

from _django import best_of, remove, throwaway_django

MEASURES = 60
MONTHS = 36


def build():
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
    for n in range(MEASURES):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from django.utils import timezone

        from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf

        org, editor = build()
        today = timezone.localdate()
        build_s, report = best_of(lambda: ipr_build(user=editor, organisation=org, as_at=today), args.repeat)
        pdf_s, pdf = best_of(
            lambda: render_ipr_pdf(ipr_build(user=editor, organisation=org, as_at=today)), args.repeat
        )
        docx_s, docx = best_of(
            lambda: render_ipr_docx(ipr_build(user=editor, organisation=org, as_at=today)), args.repeat
        )
        print(f"IPR, {MEASURES} measures x {MONTHS} months, best of {args.repeat}:")
        print(f"  build (reads + SPC):      {build_s:6.2f} s")
        print(f"  PDF with every chart:     {pdf_s:6.2f} s  ({len(pdf) / 1e6:.1f} MB)")
        print(f"  Word with every chart:    {docx_s:6.2f} s  ({len(docx) / 1e6:.1f} MB)")
        # Issuing (ADR 0036): build, snapshot check, PDF and Word drawn from the snapshot, stored with checksums.
        from wellled.reports.ipr.kind import ipr_issue
        from wellled.reports.snapshot import canonical_json

        start = time.perf_counter()  # once: each run stores another issued report
        issued = ipr_issue(organisation=org, as_at=today, by=editor)
        issue_s = time.perf_counter() - start
        snapshot = len(canonical_json(issued.data))
        print(f"  issue (both files, once): {issue_s:6.2f} s  (snapshot {snapshot / 1e6:.2f} MB)")
    finally:
        remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
