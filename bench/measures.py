"""Benchmark of measures: `python bench/measures.py` prints best-of-N wall-clock figures.

The case (issue 6): 200 measures of 60 monthly points each (a mix of values, proportions, rates and counts, some
with rebases). Targets: the board's summary matrix page in 1 s or less; one measure's chart page in 300 ms or
less. Both are timed end to end through Django's test client (middleware, scoped reads, SPC, SVG, templates) on a
throwaway SQLite file database; the data is inserted in bulk. `--write FILE` writes the figures as Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
from pathlib import Path

from _django import best_of, remove, throwaway_django

MEASURES = 200
POINTS = 60
TARGETS = {"summary": 1.0, "chart": 0.3}


def build():
    from django.utils import timezone

    from wellled.core.choices import Role
    from wellled.core.services import organisation_create, person_create
    from wellled.measures.models import Measure, MeasureValue, Rebase

    rng = random.Random(6)
    org = organisation_create(name="Benchmark Teaching Hospitals NHS Trust", ods_code="ZBM06", by=None)
    viewer = person_create(
        username="viewer",
        by=None,
        organisation=org,
        role=Role.VIEWER,
        first_name="Val",
        last_name="Viewer",
        password="bench-password-6",  # noqa: S106 (a throwaway database)
    )
    kinds = ["value", "value", "proportion", "rate", "count"]
    measures = Measure.objects.bulk_create(
        [
            Measure(
                organisation=org,
                name=f"Measure {i:03d}",
                kind=kinds[i % 5],
                direction=["increase", "decrease", "neutral"][i % 3],
                target=[None, 30.0, 60.0][i % 3],
            )
            for i in range(MEASURES)
        ]
    )
    now = timezone.now()
    values = []
    for i, m in enumerate(measures):
        level = rng.uniform(20, 80)
        for j in range(POINTS):
            period = datetime.date(2020 + j // 12, j % 12 + 1, 1)
            shift = 8 if j > 40 and i % 4 == 0 else 0
            if m.kind in ("proportion", "rate"):
                den = rng.randint(800, 1200)
                values.append(
                    MeasureValue(
                        measure=m,
                        period=period,
                        numerator=round(den * (level + shift) / 100),
                        denominator=den,
                        updated_at=now,
                    )
                )
            elif m.kind == "count":
                values.append(
                    MeasureValue(
                        measure=m, period=period, value=max(0, round(rng.gauss(level, 6))), updated_at=now
                    )
                )
            else:
                values.append(
                    MeasureValue(measure=m, period=period, value=rng.gauss(level + shift, 4), updated_at=now)
                )
    MeasureValue.objects.bulk_create(values, batch_size=2000)
    Rebase.objects.bulk_create(
        [Rebase(measure=m, date=datetime.date(2023, 6, 1), reason="Bench") for m in measures[::10]]
    )
    return org, viewer, measures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per page; the best is reported")
    parser.add_argument("--write", help="write the figures as Markdown to this file")
    args = parser.parse_args()

    data_dir = throwaway_django()
    from django.test import Client

    org, viewer, measures = build()
    client = Client()
    client.force_login(viewer)
    chart_measure = next(m for m in measures if m.kind == "proportion")

    def summary():
        response = client.get("/measures/summary/")
        assert response.status_code == 200, response.status_code

    def chart():
        response = client.get(f"/measures/{chart_measure.pk}/")
        assert response.status_code == 200, response.status_code

    results = {"summary": best_of(summary, args.repeat)[0], "chart": best_of(chart, args.repeat)[0]}
    lines = [
        f"Measures benchmark: {MEASURES} measures x {POINTS} points, SQLite file database, best of {args.repeat}",
        f"Python {platform.python_version()} on {platform.machine()} ({platform.system()})",
        f"summary matrix page: {results['summary'] * 1000:7.1f} ms  (target <= {TARGETS['summary'] * 1000:.0f} ms)",
        f"measure chart page:  {results['chart'] * 1000:7.1f} ms  (target <= {TARGETS['chart'] * 1000:.0f} ms)",
    ]
    print("\n".join(lines))
    if args.write:
        Path(args.write).write_text("\n".join(["```", *lines, "```", ""]), encoding="utf-8")
    remove(data_dir)
    return 0 if all(results[k] <= TARGETS[k] for k in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
