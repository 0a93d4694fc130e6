"""Benchmark of oversight at scale (issue 16): `python bench/portfolio_scale.py` prints load time, row counts and
the time (and queries) of reading a whole region's portfolio.

The case: 220 synthetic trusts (`wellled demo --scale`'s `load_scale`: 500 actions, 100 measures x 60 months each)
in one oversight region, in the PostgreSQL database WELLLED_DATABASE_URL names, e.g.

    createdb -h 127.0.0.1 -U postgres wl_bench_portfolio
    WELLLED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wl_bench_portfolio python bench/portfolio_scale.py

The load is idempotent: a second run finds the trusts there and only times the reads (`--fresh` empties the
database's tables first). Then it times (a) SPC for every measure of the portfolio: the rows read from the
database, then one `wellled.spc.spc_batch` call over all of them; the kept summaries refreshed; the app's own
`measures.selectors.summarise` as things stand (the kept summaries read) and as at a date (worked out again, one
spc_batch call per chart type); (b) the portfolio rows, the portfolio and trajectories pages
(`oversight-portfolio`, `oversight-trajectories`) and `wellled portfolio --format xlsx`, as the region's
improvement director, if this checkout has them (otherwise it says so and skips them).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TABLES = {
    "organisations": "core_organisation",
    "people": "core_user",
    "portfolio entries": "core_portfolioentry",
    "actions": "plans_action",
    "timescale revisions": "plans_timescalerevision",
    "progress updates": "plans_progressupdate",
    "measures": "measures_measure",
    "measure values": "measures_measurevalue",
    "published ratings": "assessments_publishedrating",
    "oversight statuses": "oversight_oversightstatus",
    "audit records": "core_auditlog",
}


def setup() -> None:
    """Django on the PostgreSQL database named by WELLLED_DATABASE_URL, migrated."""
    url = os.environ.get("WELLLED_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set WELLLED_DATABASE_URL to a PostgreSQL database made for this bench, e.g. "
            "postgres://postgres@127.0.0.1:5432/wl_bench_portfolio (createdb wl_bench_portfolio first)."
        )
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ.setdefault("WELLLED_DATA_DIR", str(ROOT / "data" / "bench-portfolio"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]  # the test client's host
    call_command("migrate", verbosity=0, interactive=False)


def empty_database() -> None:
    """Every table emptied (for --fresh), the shipped frameworks loaded again."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    # The shipped frameworks come back with migrate's post-migrate hook.
    call_command("migrate", verbosity=0, interactive=False)


def row_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name, table in TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (fixed names)
            counts[name] = cursor.fetchone()[0]
    return counts


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def cpu_seconds(fn) -> float:
    """CPU seconds this process spent in one run of `fn` (the database's share is not counted)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def best(fn, repeat: int):
    """(best seconds of `repeat` runs after a warm-up, queries of one run, last result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    times = []
    for _ in range(repeat):
        result, seconds = timed(fn)
        times.append(seconds)
    return min(times), len(queries), result


def percentiles(fn, runs: int) -> tuple[float, float, float]:
    """(p50, p95, max) seconds of `runs` calls after the first (which fills the caches)."""
    fn()
    times = sorted(timed(fn)[1] for _ in range(runs))
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))], times[-1]


def spc_all(region):
    """Every measure of the region's portfolio as one long table from the database, then one spc_batch call
    (each figure as shown: the value, or the numerator over the denominator; XmR for all)."""
    import numpy as np
    from django.db import connection

    from wellled.spc import spc_batch

    sql = (
        "SELECT v.measure_id, v.period - DATE '1970-01-01', "
        "COALESCE(v.value, v.numerator / NULLIF(v.denominator, 0), 'NaN'::float8) "
        "FROM measures_measurevalue v JOIN measures_measure m ON m.id = v.measure_id "
        "JOIN core_portfolioentry p ON p.trust_id = m.organisation_id "
        "WHERE p.oversight_body_id = %s AND p.left_on IS NULL ORDER BY v.measure_id, v.period"
    )

    def read():
        with connection.cursor() as cursor:
            cursor.execute(sql, [region.pk])
            table = np.array(cursor.fetchall(), dtype=np.float64)
        return table[:, 0].astype(np.int64), table[:, 1].astype("datetime64[D]"), table[:, 2]

    (ids, dates, shown), read_seconds = timed(read)
    batch, compute_seconds = timed(lambda: spc_batch(ids, dates, shown, chart="xmr"))
    return len(ids), len(batch.series_ids), read_seconds, compute_seconds, batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trusts", type=int, default=220, help="synthetic trusts (default 220)")
    parser.add_argument("--actions", type=int, default=500, help="actions per trust (default 500)")
    parser.add_argument("--measures", type=int, default=100, help="measures per trust (default 100)")
    parser.add_argument("--months", type=int, default=60, help="monthly figures per measure (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each read; the best is reported")
    parser.add_argument("--fresh", action="store_true", help="empty the database first, then load")
    parser.add_argument("--runs", type=int, default=20, help="requests of each page for its p50 and p95")
    parser.add_argument(
        "--small", action="store_true", help="a quick run that keeps the script working (CI): 3 small trusts"
    )
    parser.add_argument(
        "--skip-summarise", action="store_true", help="skip timing summarise of every measure"
    )
    args = parser.parse_args()
    if args.small:
        args.trusts, args.actions, args.measures, args.months, args.repeat, args.runs = 3, 20, 5, 24, 1, 3

    setup()
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from wellled.demo.scale import ScaleSize, load_scale
    from wellled.measures.models import Measure
    from wellled.measures.selectors import summarise
    from wellled.measures.summaries import lay_on_grids, packed_figures, read_figures, stored_refresh

    if args.fresh:
        empty_database()
    print(
        f"Python {platform.python_version()}, {connection.vendor} {connection.pg_version}, "
        f"{os.cpu_count()} CPUs; {args.trusts} trusts x {args.actions} actions, {args.measures} measures x "
        f"{args.months} months"
    )
    size = ScaleSize(actions=args.actions, measures=args.measures, months=args.months)
    result = load_scale(args.trusts, size=size, stdout=sys.stdout)
    print(
        f"load: {len(result.created)} trusts added, {result.already} already there, in {result.seconds:.1f} s"
        + (f" ({result.seconds / len(result.created):.2f} s a trust)" if result.created else "")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics after a bulk load, as autovacuum would give soon after
    for name, count in row_counts().items():
        print(f"  {name:<22} {count:>12,}")
    region, director = result.region, result.director

    values, series, read_s, compute_s, batch = spc_all(region)
    special = sum(1 for v in batch.variations.values() if "common" not in str(v).lower())
    print(
        f"(a) SPC, one spc_batch call: {values:,} values of {series:,} measures; read into arrays "
        f"{read_s:.2f} s (1 query), spc_batch {compute_s:.2f} s; {special:,} measures show special cause"
    )
    measures = list(
        Measure.objects.filter(
            organisation__overseen_by__oversight_body=region, organisation__overseen_by__left_on__isnull=True
        )
    )
    if not args.skip_summarise:
        ids = [m.pk for m in measures]
        refresh_s, queries, _n = best(lambda: stored_refresh(ids), 1)
        print(
            f"    the kept summaries refreshed (stored_refresh, {len(ids):,} measures; done once, the services refresh "
            f"only what they touch): {refresh_s:.2f} s, {queries} queries"
        )
        seconds, queries, _s = best(lambda: summarise(measures), args.repeat)
        cpu = cpu_seconds(lambda: summarise(measures))
        print(
            f"    measures.selectors.summarise({len(measures):,} measures) as they stand, the kept summaries read: "
            f"{seconds:.3f} s (CPU of this process {cpu:.3f} s), {queries} queries"
        )
        as_at = datetime.date.today()
        seconds, queries, _s = best(lambda: summarise(measures, until=as_at), args.repeat)
        cpu = cpu_seconds(lambda: summarise(measures, until=as_at))
        print(
            f"    summarise as at a date (a paper's; every measure's SPC worked out again from the figures packed in "
            f"its kept summary, one spc_batch per chart type): {seconds:.2f} s (CPU of this process {cpu:.2f} s), "
            f"{queries} queries"
        )
        packed_s, _q, _p = best(lambda: packed_figures(ids), args.repeat)
        print(f"      of which reading the packed figures into arrays {packed_s:.2f} s")
        read_s, _q, arrays = best(lambda: read_figures(ids), args.repeat)
        grid_s, _q, _grid = best(lambda: lay_on_grids(arrays, measures), args.repeat)
        print(
            f"    the figures table read into arrays instead (as before ADR 0061): {read_s:.2f} s, laid on period "
            f"grids {grid_s:.2f} s"
        )

    pages = {}
    for label, names in (
        ("portfolio page", ("oversight-portfolio", "oversight:portfolio")),
        ("trajectories page", ("oversight-trajectories",)),
    ):
        for name in names:
            try:
                pages[label] = reverse(name)
                break
            except NoReverseMatch:
                continue
        else:
            print(f"(b) {label}: skipped: this checkout has no URL named {' or '.join(names)}")
    if pages:
        client = Client()
        client.force_login(director)  # a member of the region only: the pages show its portfolio
        try:
            from wellled.oversight.portfolio import portfolio_build
        except ImportError:
            pass
        else:
            seconds, queries, rows = best(lambda: portfolio_build(user=director, organisation=region), 1)
            print(f"(b) portfolio rows built (portfolio_build): {seconds:.2f} s, {queries} queries")
        for label, url in pages.items():
            if label == "portfolio page":
                url += "?sort=overdue&order=desc"

            def fetch(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            from django.core.cache import cache

            cache.clear()
            cold = timed(fetch)[1]
            seconds, queries, response = best(fetch, args.repeat)
            p50, p95, worst = percentiles(fetch, args.runs)
            print(
                f"(b) {label} {url}: first (empty cache) {cold:.2f} s; then best {seconds:.3f} s, "
                f"p50 {p50:.3f} s, p95 {p95:.3f} s, max {worst:.3f} s of {args.runs}; {queries} queries, "
                f"{len(response.content):,} bytes"
            )
    if "portfolio" not in get_commands():
        print("(b) wellled portfolio: skipped: this checkout has no portfolio command")
    else:
        out = Path(tempfile.mkdtemp(prefix="wellled-portfolio-")) / "portfolio.xlsx"
        command_args = ["--organisation", region.ods_code, "--format", "xlsx", "--out", str(out)]
        command_args += ["--as-user", director.username]

        def command():
            call_command("portfolio", *command_args, stdout=io.StringIO())
            return out.stat().st_size

        try:
            seconds, queries, size_bytes = best(command, args.repeat)
        except Exception as exc:  # noqa: BLE001 - the command's options may differ; say so and go on
            print(f"(b) wellled portfolio: could not run `wellled portfolio {' '.join(command_args)}`: {exc}")
        else:
            print(
                f"(b) wellled portfolio --format xlsx: {seconds:.2f} s, {queries} queries, {size_bytes:,} bytes"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
