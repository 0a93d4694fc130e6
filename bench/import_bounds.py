"""How long, and how much memory, a register import takes to refuse a workbook of 2,050,000 rows (issue 25):
`python bench/import_bounds.py [--rows 2050000] [--before]` prints, for the risk register and the wards workbook,
the seconds the dry run takes to refuse the file and the process's peak resident memory while it does (and how
far above its resident size before the import that peak is).

The file: a header row, then 2,050,000 tiny rows (a number in column A), written straight into the zip, and
claiming a dimension of A1:C2 (tests/spreadsheets.py giant_workbook). Imports go through core.registers, which
reads the sheet as a stream (core.workbook.streamed_rows) and stops at the row past 20,000, whatever the file
claims. The peak is reset just before the import (Linux: /proc/self/clear_refs) so that it measures the import,
not Django's start. The plan import, measures' values and published ratings have bench/import_bounds_plain.py.
`--before` also times the reader the risk import used before the kit (the plans' reader,
which checks every cell of the sheet first), for comparison. SQLite file database in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import time
from pathlib import Path

from _django import ROOT, remove, throwaway_django

sys.path.insert(0, str(ROOT))


def peak_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def status_mb(field: str = "VmHWM") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return status_mb("VmHWM")


def measure(label: str, run) -> None:
    peak_reset()
    resident = status_mb("VmRSS")
    start = time.perf_counter()
    outcome = run()
    seconds = time.perf_counter() - start
    peak = peak_mb()
    print(f"{label:<44} {seconds:7.2f} s   peak {peak:6.1f} MB (+{peak - resident:5.1f} MB)   {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_050_000)
    parser.add_argument("--before", action="store_true", help="also time the plans' reader on the same file")
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from tests.spreadsheets import giant_workbook

        from wellled.accreditation.register import wards_import
        from wellled.core.choices import Role
        from wellled.core.registers import Upload
        from wellled.core.services import organisation_create, person_create
        from wellled.risks.spreadsheet import register_import

        org = organisation_create(name="Bounds Benchmark NHS Trust", ods_code="ZBB01", by=None)
        editor = person_create(
            username="editor", by=None, organisation=org, role=Role.GOVERNANCE_EDITOR, first_name="Ed"
        )
        started = time.perf_counter()
        risks = giant_workbook(args.rows)
        wards = giant_workbook(args.rows, header=["Ward ID", "Ward or team", "Kind", "Code"])
        print(
            f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
            f"workbook of {args.rows:,} rows: {len(risks) / 1024:,.0f} KB, built in "
            f"{time.perf_counter() - started:.1f} s; after Django's start the process peaked at {peak_mb():.0f} MB"
        )

        def first_problem(results) -> str:
            problems = [str(p) for r in results for p in r.problems]
            return problems[0][:70] + "…" if problems else "not refused!"

        measure(
            "risk register (wellled risks import --dry-run)",
            lambda: first_problem(
                [register_import(organisation=org, by=editor, file=Upload("r.xlsx", risks), dry_run=True)]
            ),
        )
        measure(
            "wards and assessments (dry run)",
            lambda: first_problem(
                wards_import(organisation=org, by=editor, file=Upload("w.xlsx", wards), dry_run=True)
            ),
        )
        if args.before:
            from wellled.plans.spreadsheet.read import SpreadsheetFile, UnreadableFile, read_spreadsheet

            def before() -> str:
                try:
                    read_spreadsheet(SpreadsheetFile("r.xlsx", risks))
                except UnreadableFile as exc:
                    return str(exc)[:70] + "…"
                return "not refused!"

            measure("before: the plans' reader on the same file", before)
    finally:
        remove(data_dir)


if __name__ == "__main__":
    main()
