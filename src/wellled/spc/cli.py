"""`wellled spc FILE ...`: SPC from the command line, for analysts (no Django needed)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .batch import spc_batch
from .options import SPCOptions
from .readers import InputError, parse_columns, read_table
from .results import BatchResult, SPCResult, format_date
from .types import ChartType

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `wellled spc`."""
    p = argparse.ArgumentParser(
        prog="wellled spc",
        description="Statistical process control charts the Making Data Count way (NHSRplotthedots-exact XmR).",
    )
    p.add_argument("file", help="CSV or XLSX file: one row per date (and per series)")
    p.add_argument("--date-column", help="date column (default: 'date', 'period', 'month', ... or the first)")
    p.add_argument("--value-column", help="value column (default: 'value' or the first other column)")
    p.add_argument("--series-column", help="series id column, for many series (default: 'series' if present)")
    p.add_argument("--denominator-column", help="denominator column for p and u charts")
    p.add_argument("--direction", choices=["increase", "decrease", "neutral"], default="increase")
    p.add_argument("--target", type=float, help="target value (gives the assurance icon)")
    p.add_argument("--rebase", action="append", default=[], metavar="DATE", help="date starting new limits")
    p.add_argument(
        "--fix-after", type=int, metavar="N", help="only the first N points of a group set the limits"
    )
    p.add_argument(
        "--no-screen", action="store_true", help="do not screen outlying moving ranges (MDC Excel)"
    )
    p.add_argument("--chart", choices=[c.value for c in ChartType], default="xmr")
    p.add_argument(
        "--rules", choices=["nhsr", "mdc_excel"], default="nhsr", help="7-point (nhsr) or 6-point rules"
    )
    p.add_argument("--multiplier", type=float, default=1.0, help="scale p/u values (e.g. 100 for %%)")
    p.add_argument(
        "--annotate", action="append", default=[], metavar="DATE=TEXT", help="a dated note on the chart"
    )
    p.add_argument("--title", help="chart title (default: the series id or the value column)")
    p.add_argument("--format", choices=["json", "csv", "svg", "png"], default="json")
    p.add_argument("--out", help="output file (or directory for several charts); default: standard output")
    return p


def _options(args: argparse.Namespace) -> SPCOptions:
    changes: dict[str, Any] = {
        "chart": args.chart,
        "improvement_direction": args.direction,
        "target": args.target,
        "rebase": tuple(args.rebase),
        "fix_after_n_points": args.fix_after,
        "multiplier": args.multiplier,
    }
    if args.no_screen:
        changes["screen_outliers"] = False
    return SPCOptions.preset(args.rules, **changes)


def _annotations(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        date, sep, text = item.partition("=")
        if not sep or not date.strip():
            raise InputError(f"--annotate needs DATE=TEXT, not {item!r}")
        out.append((date.strip(), text.strip()))
    return out


def _per_series(ids: list[str] | None, notes: list[tuple[str, str]]) -> dict[Any, Any] | None:
    """The same annotations for every series (the CLI's --annotate applies to all)."""
    if not notes:
        return None
    return dict.fromkeys(set(ids), notes) if ids is not None else {None: notes}


def _csv_text(batch: BatchResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["series", "date", "value", "group", "mean", "lower_limit", "upper_limit", "rule", "point_type",
                "variation", "assurance"])  # fmt: skip
    for r in batch:
        variation = r.variation.value
        assurance = "" if r.assurance is None else r.assurance.value
        for p in r.points():
            w.writerow(
                [
                    "" if r.series is None else r.series,
                    format_date(p.date),
                    *("" if v is None else repr(v) for v in (p.value,)),
                    p.group,
                    *("" if v is None else repr(v) for v in (p.mean, p.lower_limit, p.upper_limit)),
                    "" if p.rule is None else p.rule.value,
                    p.point_type.value,
                    variation,
                    assurance,
                ]
            )
    return buf.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "series"


def _write_charts(batch: BatchResult, args: argparse.Namespace, default_title: str) -> None:
    from .render import render_png, render_svg

    def draw(r: SPCResult) -> bytes:
        title = args.title or (str(r.series) if r.series not in (None, "") else default_title)
        if args.format == "svg":
            return render_svg(r, title=title).encode("utf-8")
        return render_png(r, title=title)

    results = list(batch)
    if len(results) == 1:
        data = draw(results[0])
        if args.out:
            Path(args.out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    if not args.out:
        raise InputError(f"{len(results)} series: give --out DIRECTORY for one {args.format} file per series")
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        (folder / f"{_slug(str(r.series))}.{args.format}").write_bytes(draw(r))


def main(argv: Sequence[str] | None = None) -> int:
    """Run `wellled spc` with the given arguments; return the exit status (2 for bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        options = _options(args)
        chart = options.chart
        table = read_table(args.file)
        cols = parse_columns(
            table,
            date_column=args.date_column,
            value_column=args.value_column,
            series_column=args.series_column,
            denominator_column=args.denominator_column,
            need_denominator=chart in (ChartType.P, ChartType.U),
            proportion=chart is ChartType.P,
        )
        notes = _annotations(args.annotate)
        ids = cols.series
        batch = spc_batch(
            ids,
            cols.dates,
            cols.values,
            denominators=cols.denominators,
            options=options,
            annotations=_per_series(ids, notes),
        )
    except InputError as exc:
        print(f"wellled spc: {args.file}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"wellled spc: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for w in batch.all_warnings:
        print(f"wellled spc: warning: {w}", file=sys.stderr)
    try:
        if args.format == "json":
            text = json.dumps(batch.to_list(), indent=1, allow_nan=False) + "\n"
        elif args.format == "csv":
            text = _csv_text(batch)
        else:
            _write_charts(batch, args, args.title or cols.value_name)
            return 0
    except InputError as exc:
        print(f"wellled spc: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
