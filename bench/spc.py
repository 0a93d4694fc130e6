"""Benchmark of wellled.spc: `python bench/spc.py` prints best-of-N wall-clock figures.

Cases (targets from issue 3): one series of 1,000,000 points (<= 40 ms); 10,000 series of
100 points through the batched call (<= 80 ms); 100 SVG charts of 36 points (<= 1 s).
Peers (clinical-qikit, controlchartspy) are timed separately in a throwaway virtualenv; see
docs/performance-spc.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wellled.spc import spc, spc_batch  # noqa: E402
from wellled.spc.render import render_svg  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time in seconds over `repeat` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    """Run the benchmark and print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat", type=int, default=7, help="runs per case; the best is reported")
    args = p.parse_args()
    rng = np.random.default_rng(2024)

    n = 1_000_000
    y = rng.normal(100, 10, n)
    d = np.datetime64("2000-01-01") + np.arange(n)
    t_single = best_of(lambda: spc(y, d, warn=False), args.repeat)

    ids = np.repeat(np.arange(10_000), 100)
    dd = np.tile(np.datetime64("2015-01-01") + np.arange(100), 10_000)
    t_batch = best_of(lambda: spc_batch(ids, dd, y), args.repeat)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
