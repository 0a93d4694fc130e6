"""Benchmark of measures: `python bench/measures.py` prints best-of-N wall-clock figures.

The case (issue 6): 200 measures of 60 monthly points each (a mix of values, proportions, rates and counts, some
with rebases). Targets: the board's summary matrix page in 1 s or less; one measure's chart page in 300 ms or
less. Both are timed end to end through Django's test client (middleware, scoped reads, SPC, SVG, templates) on a
throwaway SQLite file database; the data is inserted in bulk. `--write FILE` writes the figures as Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MEASURES = 200
POINTS = 60
TARGETS = {"summary": 1.0, "chart": 0.3}


def best_of(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


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

    data_dir = tempfile.mkdtemp(prefix="wellled-bench-")
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ["WELLLED_DATA_DIR"] = data_dir
    os.environ.pop("WELLLED_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
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

    results = {"summary": best_of(summary, args.repeat), "chart": best_of(chart, args.repeat)}
    lines = [
        f"Measures benchmark: {MEASURES} measures x {POINTS} points, SQLite file database, best of {args.repeat}",
        f"Python {platform.python_version()} on {platform.machine()} ({platform.system()})",
        f"summary matrix page: {results['summary'] * 1000:7.1f} ms  (target <= {TARGETS['summary'] * 1000:.0f} ms)",
        f"measure chart page:  {results['chart'] * 1000:7.1f} ms  (target <= {TARGETS['chart'] * 1000:.0f} ms)",
    ]
    print("\n".join(lines))
    if args.write:
        Path(args.write).write_text("\n".join(["```", *lines, "```", ""]), encoding="utf-8")
    return 0 if all(results[k] <= TARGETS[k] for k in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
