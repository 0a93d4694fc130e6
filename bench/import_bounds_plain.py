"""The imports outside the register kit refusing the workbook of issue 25 (the plan import, measures' values,
published ratings): `python bench/import_bounds_plain.py` prints time and peak memory. The register kit's imports
(risks, wards) have bench/import_bounds.py.

The case: a workbook of 2,050,000 rows that is a small file (the rows repeated, each without its row number, under
a `<dimension>` that claims three rows), once with a tiny row of data and once with blank rows; and a CSV file of
2,050,000 short lines. Each import must refuse it at its row limit, whatever the file claims, in under 5 s and
300 MB (issue 25). Each case runs in a fresh process, so that its peak resident memory (getrusage) is its own; the
figure printed as "growth" is that peak less the process's resident memory just before the import started (Django
and the import's modules loaded, the file's bytes in memory). No database is needed: every refusal comes before
the first query. Wall-clock and processor time are both printed: on a shared machine the first also counts
the time spent waiting for a processor. `--write FILE` writes the figures as Markdown; `--case NAME` runs one case in this process.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

HEADER = ["measure", "period", "value"]
ROW = ["Overdue risk reviews", "2025-04", 268]


def _file(kind: str) -> tuple[str, bytes]:
    """The file of one kind: a workbook of tiny rows of figures, of blank rows, of realistic rows (which unzip
    past the 250 MB the zip check allows), a CSV of short lines, or of blank lines."""
    from tests.big_sheets import huge_csv, huge_workbook

    if kind == "xlsx":
        return "huge.xlsx", huge_workbook(HEADER, [1, 2, 3])
    if kind == "xlsx-blank":
        return "blank.xlsx", huge_workbook(HEADER, ROW, blank=True)
    if kind == "xlsx-wide":
        return "wide.xlsx", huge_workbook(HEADER, ROW)
    if kind == "csv":
        return "huge.csv", huge_csv(HEADER, [1])
    return "blank.csv", huge_csv(HEADER, [])


def _measures(name: str, data: bytes) -> str:
    from wellled.measures import importers
    from wellled.measures.models import Measure

    measure = Measure(name="Overdue risk reviews", frequency="monthly", kind="value")
    parsed = importers.parse_upload(name=name, data=data, measures=[measure])
    return "; ".join(str(e) for e in parsed.errors) or f"ACCEPTED {len(parsed.rows)} rows"


def _plans(name: str, data: bytes) -> str:
    from wellled.plans.spreadsheet.read import SpreadsheetFile, UnreadableFile, read_spreadsheet

    try:
        sheet = read_spreadsheet(SpreadsheetFile(name=name, data=data))
    except UnreadableFile as exc:
        return str(exc)
    return f"ACCEPTED {sum(len(s.rows) for s in sheet.sheets)} rows"


def _ratings(name: str, data: bytes) -> str:
    from wellled.assessments.importers import COLUMNS, RatingsImportError, parse_ratings
    from wellled.core.models import Organisation

    text = data.decode().replace(",".join(HEADER), ",".join(COLUMNS), 1)
    try:
        parse_ratings(organisation=Organisation(name="Bench", ods_code="ZB1"), text=text)
    except RatingsImportError as exc:
        return "; ".join(exc.errors)
    return "ACCEPTED"


IMPORTS = {"measures": _measures, "plans": _plans, "ratings": _ratings}
CASES = [
    ("measures", "xlsx"),
    ("measures", "xlsx-blank"),
    ("measures", "xlsx-wide"),
    ("measures", "csv"),
    ("measures", "csv-blank"),
    ("plans", "xlsx"),
    ("plans", "xlsx-blank"),
    ("plans", "csv"),
    ("plans", "csv-blank"),
    ("ratings", "csv"),
    ("ratings", "csv-blank"),
]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_case(importer: str, kind: str) -> str:
    """Run one case in this process; a tab-separated line: seconds, CPU seconds, peak MB, growth MB, file size,
    outcome."""
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ.setdefault("WELLLED_DATA_DIR", "/tmp")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    name, data = _file(kind)
    with contextlib.suppress(Exception):  # import the modules first (a header alone would reach the database)
        IMPORTS[importer]("warm.csv", b"measure,period,value\n")
    before = _rss_mb()
    start, cpu = time.perf_counter(), _cpu()
    outcome = IMPORTS[importer](name, data)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"{seconds:.2f}\t{cpu:.2f}\t{peak:.0f}\t{peak - before:.0f}\t{len(data)}\t{outcome}"


def _cpu() -> float:
    """Seconds of processor time this process has used: on a shared machine, wall-clock time also counts the
    time spent waiting for a processor, which this does not."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help="importer:kind, run in this process (used by the parent)")
    parser.add_argument("--write", type=Path, help="write the figures as Markdown to this file")
    args = parser.parse_args()
    if args.case:
        print(run_case(*args.case.split(":")))
        return
    lines = [
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the start.",
        "",
        "| import | file | size | time | CPU time | peak memory | growth | refused with |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for importer, kind in CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--case", f"{importer}:{kind}"],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, cpu, peak, growth, size, outcome = done.stdout.strip().splitlines()[-1].split("\t")
        row = (
            f"| {importer} | {kind} | {int(size) / 1024:,.0f} KB | {float(seconds):.2f} s | {float(cpu):.2f} s | "
            f"{peak} MB | {growth} MB | {outcome} |"
        )
        print(row, flush=True)
        lines.append(row)
    if args.write:
        args.write.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
