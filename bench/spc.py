"""Benchmark of wellled.spc: `python bench/spc.py` prints best-of-N wall-clock figures.

Cases (targets from issue 3): one series of 1,000,000 points (<= 40 ms); 10,000 series of
100 points through the batched call (<= 80 ms); 100 SVG charts of 36 points (<= 1 s).
Issue 24 adds, in the same run: the numpy floor, the time numpy needs to read the 1,000,000 values once and
write a result for each point. Two floors are printed: one int8 code a point (`np.less(y, c, out=...)` into a
one-byte array, the shape of the engine's per-point answer, its point type) and one float64 a point
(`np.multiply(y, 1.0)`, the floor used before ADR 0060). With `--peer-python`, clinical-qikit's `compute` is timed
on the same data by that interpreter (a throwaway virtualenv holding clinical-qikit, not a project dependency):

    python -m venv /tmp/peers && /tmp/peers/bin/pip install clinical-qikit==0.5.0
    python bench/spc.py --peer-python /tmp/peers/bin/python

Goals (issue 24): at least 100x qikit on both cases, and 1M points within 2.5x the floor. See docs/performance.md.
`--stages` adds the processor time of each stage of the engine on the 1M-point series (ADR 0060).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wellled.spc import spc, spc_batch  # noqa: E402
from wellled.spc.render import render_svg  # noqa: E402

CPU: dict[str, float] = {}  # best processor time of this process per case, beside the wall time


def best_of(fn: Callable[[], object], repeat: int, label: str = "") -> float:
    """Best wall-clock time in seconds over `repeat` runs (after one warm-up run).

    The best processor time (time.process_time) of the same runs is kept in CPU[label]: on a shared machine the
    wall time includes waiting for a processor, the processor time does not.
    """
    fn()
    times, cpu = [], []
    for _ in range(repeat):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if label:
        CPU[label] = min(cpu)
    return min(times)


# Times clinical-qikit's compute (individuals chart, its default Anhoej rules) on the bench's arrays, best of N.
PEER_SCRIPT = """
import json, sys, time
import numpy as np
from qikit.spc.compute import compute
y = np.load(sys.argv[1]); repeat = int(sys.argv[2])
def best(fn, r):
    fn(); out = []
    for _ in range(r):
        t = time.perf_counter(); fn(); out.append(time.perf_counter() - t)
    return min(out)
single = best(lambda: compute("i", y), repeat)
table = y.reshape(10_000, 100)
many = best(lambda: [compute("i", row) for row in table], max(1, repeat // 3))
print(json.dumps({"single": single, "many": many}))
"""


def peer_times(python: str, y: np.ndarray, repeat: int) -> dict[str, float]:
    """clinical-qikit's best times on the same 1,000,000 values (one series; 10,000 of 100), in `python`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "y.npy"
        np.save(path, y)
        done = subprocess.run(  # noqa: S603 (the interpreter the person running the bench names)
            [python, "-c", PEER_SCRIPT, str(path), str(repeat)], capture_output=True, text=True, check=True
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def stages(y: np.ndarray, repeat: int) -> None:
    """Print the best processor time of each stage of the engine on one long series (ADR 0060's profile)."""
    from wellled.spc import engine, rules, xmr
    from wellled.spc.segments import Layout
    from wellled.spc.types import ChartType, Direction

    n = y.shape[0]
    starts = np.zeros(1, dtype=np.int64)
    layout = Layout.from_starts(starts, n)
    limits = xmr.xmr_limits(y, layout, fix_after_n_points=None, screen_outliers=True, complete=True)
    flags = rules.mdc_rules(y, limits, layout, trend_length=7, shift_length=7)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("analyse (everything below and the icons)", lambda: engine.analyse(
            y, None, starts, np.zeros(n, dtype=np.bool_), np.full(1, np.nan), chart=ChartType.XMR,
            direction=Direction.INCREASE, fix_after_n_points=None, screen_outliers=True, trend_length=7,
            shift_length=7, multiplier=1.0, min_points=12,
        )),
        ("  is any value missing (np.isnan(y).any())", lambda: np.isnan(y).any()),
        ("  XmR limits: mean and screened moving range", lambda: xmr.xmr_limits(
            y, layout, fix_after_n_points=None, screen_outliers=True, complete=True
        )),
        ("  the four MDC rules and their precedence", lambda: rules.mdc_rules(
            y, limits, layout, trend_length=7, shift_length=7
        )),
        ("  point types", lambda: engine.point_types(flags.rule, flags.side, Direction.INCREASE)),
    ]  # fmt: skip
    print(f"stages of the engine, 1 series x {n:,} points (best processor time of {repeat * 3}):")
    for label, fn in cases:
        best_of(fn, repeat * 3, label)
        print(f"  {label:58s} {CPU[label] * 1000:9.2f} ms")


RESULT_BYTE_COLUMNS = 6  # SPCResult's per-point one-byte columns (wellled.spc.results.PointColumns)


def _result_floor(y: np.ndarray) -> np.ndarray:
    """Read the values once and write the result's per-point one-byte columns into fresh memory, as the engine must."""
    out = np.empty((RESULT_BYTE_COLUMNS, y.shape[0]), dtype=np.int8)
    np.less(y, 100.0, out=out[0].view(np.bool_))  # the one read of the values
    out[1:] = out[0]  # the other columns written from it
    return out


def main() -> int:
    """Run the benchmark and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat", type=int, default=7, help="runs per case; the best is reported")
    p.add_argument(
        "--peer-python", help="a Python with clinical-qikit installed, to time its compute in this run"
    )
    p.add_argument(
        "--stages", action="store_true", help="also print the processor time of each stage of the engine"
    )
    args = p.parse_args()
    rng = np.random.default_rng(2024)

    n = 1_000_000
    y = rng.normal(100, 10, n)
    d = np.datetime64("2000-01-01") + np.arange(n)
    t_single = best_of(lambda: spc(y, d, warn=False), args.repeat, "single")
    codes = np.empty(n, dtype=np.int8)
    t_floor = best_of(lambda: np.less(y, 100.0, out=codes.view(np.bool_)), args.repeat * 3, "floor")
    t_floor_float = best_of(lambda: np.multiply(y, 1.0), args.repeat * 3, "floor_float")
    # The result as the engine returns it: six one-byte columns a point (outside and close to the limits, relative
    # to the mean, rule, side, point type) written fresh; the float columns are one value a group, broadcast.
    t_floor_result = best_of(lambda: _result_floor(y), args.repeat * 3, "floor_result")

    ids = np.repeat(np.arange(10_000), 100)
    dd = np.tile(np.datetime64("2015-01-01") + np.arange(100), 10_000)
    t_batch = best_of(lambda: spc_batch(ids, dd, y), args.repeat, "batch")
    perm = rng.permutation(n)
    ids_s, dd_s, y_s = ids[perm], dd[perm], y[perm]
    t_batch_shuffled = best_of(lambda: spc_batch(ids_s, dd_s, y_s), max(3, args.repeat // 2))
    names = np.array([f"measure-{i:05d}" for i in range(10_000)]).repeat(100)
    t_batch_str = best_of(lambda: spc_batch(names, dd, y), max(3, args.repeat // 2))

    months = (np.datetime64("2016-04", "M") + np.arange(36)).astype("datetime64[D]")
    charts = [
        spc(
            rng.normal(1700, 300, 36).round(),
            months,
            target=1500,
            improvement_direction="decrease",
            rebase=["2018-07-01"],
            series=f"Measure {i}",
            warn=False,
        )  # fmt: skip
        for i in range(100)
    ]
    t_svg = best_of(lambda: [render_svg(r) for r in charts], args.repeat)

    print(
        f"wellled.spc benchmark on {platform.machine()} / Python {platform.python_version()} / numpy {np.__version__}"
    )
    print(f"command: python bench/spc.py --repeat {args.repeat}   (best of {args.repeat})")
    rows = [
        ("1 series x 1,000,000 points (spc)", t_single, 0.040),
        ("10,000 series x 100 points (spc_batch, sorted table)", t_batch, 0.080),
        ("10,000 series x 100 points (spc_batch, shuffled rows)", t_batch_shuffled, None),
        ("10,000 series x 100 points (spc_batch, string ids)", t_batch_str, None),
        ("100 SVG charts of 36 points (render_svg)", t_svg, 1.0),
    ]
    for label, t, target in rows:
        verdict = "" if target is None else (" OK" if t <= target else " OVER")
        goal = "" if target is None else f"  (target {target * 1000:.0f} ms){verdict}"
        print(f"  {label:58s} {t * 1000:9.1f} ms{goal}")
    print(
        f"  numpy floor, read 1,000,000 float64 once, write an int8 each  {t_floor * 1000:9.3f} ms; "
        f"spc is {t_single / t_floor:.1f}x the floor (goal <= 2.5x)"
    )
    print(
        f"  numpy floor, read once, write a float64 each (np.multiply)    {t_floor_float * 1000:9.3f} ms; "
        f"spc is {t_single / t_floor_float:.1f}x this floor"
    )
    print(
        f"  numpy floor, read once, write the result's six int8 columns   {t_floor_result * 1000:9.3f} ms; "
        f"spc is {t_single / t_floor_result:.1f}x this floor"
    )
    print(
        f"  processor time (best): spc {CPU['single'] * 1000:.1f} ms, spc_batch {CPU['batch'] * 1000:.1f} ms, "
        f"int8 floor {CPU['floor'] * 1000:.3f} ms, float64 floor {CPU['floor_float'] * 1000:.3f} ms "
        f"(process_time ticks may be coarse); by processor time spc is {CPU['single'] / CPU['floor']:.0f}x the int8 floor"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"  load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} processors)"
    )
    if args.stages:
        stages(y, args.repeat)
    if args.peer_python:
        peer = peer_times(args.peer_python, y, max(1, args.repeat // 2))
        print(
            f"  clinical-qikit compute('i'), 1 series x 1,000,000 points     {peer['single'] * 1000:9.1f} ms; "
            f"wellled.spc is {peer['single'] / t_single:.0f}x faster (goal >= 100x)"
        )
        print(
            f"  clinical-qikit compute('i'), 10,000 series x 100 (a loop)   {peer['many'] * 1000:9.1f} ms; "
            f"wellled.spc_batch is {peer['many'] / t_batch:.0f}x faster (goal >= 100x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
