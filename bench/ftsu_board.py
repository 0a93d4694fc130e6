"""Benchmark of the Freedom to Speak Up board report: `python bench/ftsu_board.py` prints best-of-N figures.

The case (issue 23): a large trust's three years of cases (600 by default, about fifty a quarter), a year's report
to the board: built (the suppressed return of each quarter charted, twelve, each counting the trust's cases), its
PDF and Word each with five SPC charts drawn, then issued through the one paper pipeline. Runs on a throwaway SQLite
database.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time

from _django import best_of, remove, throwaway_django

CASES = 600
ELEMENTS = ["patient_safety", "worker_safety", "bullying", "behaviours"]
GROUPS = ["nursing", "nursing_support", "medical", "allied", "admin", "estates", "not_known"]


def build(cases: int):
    from wellled.core.choices import Role
    from wellled.core.services import organisation_create, person_create
    from wellled.ftsu import services

    rng = random.Random(23)
    org = organisation_create(name="Benchmark Acute NHS Trust", ods_code="ZBF01", by=None)
    admin = person_create(
        username="admin",
        by=None,
        organisation=org,
        role=Role.ADMINISTRATOR,
        first_name="A",
        last_name="Admin",
    )
    guardian = person_create(
        username="guardian", by=None, organisation=org, role=Role.VIEWER, first_name="G", last_name="Guardian"
    )
    services.speak_up_role_set(organisation=org, person=guardian, role="guardian", by=admin)
    start = datetime.date(2022, 4, 1)
    for n in range(cases):
        services.case_create(
            organisation=org,
            by=guardian,
            received_on=start + datetime.timedelta(days=rng.randrange(3 * 365)),
            route="phone",
            openness=rng.choice(["open", "confidential", "confidential", "anonymous"]),
            worker_group=rng.choice(GROUPS),
            elements=rng.sample(ELEMENTS, rng.randint(1, 2)),
            detriment=rng.choice(["yes", "no", "no", "not_known"]),
            concern=f"Invented concern {n}",
        )
    report = services.guardian_report_create(
        organisation=org,
        by=guardian,
        period_from=datetime.date(2024, 4, 1),
        period_to=datetime.date(2025, 3, 31),
        themes="Rotas and rest breaks.",
    )
    return org, guardian, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=CASES)
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from wellled.ftsu import services
        from wellled.ftsu.board_render import render_board_docx, render_board_pdf
        from wellled.ftsu.board_report import board_report_build
        from wellled.reports.papers.charts import ChartCache

        org, guardian, report = build(args.cases)
        build_s, paper = best_of(
            lambda: board_report_build(user=guardian, organisation=org, report=report), args.repeat
        )
        pdf_s, pdf = best_of(lambda: render_board_pdf(paper, ChartCache()), args.repeat)
        docx_s, docx = best_of(lambda: render_board_docx(paper, ChartCache()), args.repeat)
        services.board_report_issue(report=report, by=guardian)  # warm-up
        issues = []
        for _ in range(args.repeat):
            wall = time.perf_counter()
            services.board_report_issue(report=report, by=guardian)
            issues.append(time.perf_counter() - wall)
        print(
            f"FTSU board report, {args.cases} cases over three years, a year's report, best of {args.repeat}:"
        )
        print(f"  build (12 quarters' suppressed returns + SPC): {build_s:6.2f} s")
        print(f"  PDF alone, five charts drawn:                 {pdf_s:6.2f} s  ({len(pdf) / 1e3:.0f} kB)")
        print(f"  Word alone, five charts drawn:                {docx_s:6.2f} s  ({len(docx) / 1e3:.0f} kB)")
        print(f"  issue (PDF and Word, frozen):                 {min(issues):6.2f} s")
    finally:
        remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
