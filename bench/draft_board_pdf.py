"""Benchmark of the board paper's draft PDF (issue 24's slowest page under load): `python bench/draft_board_pdf.py`
prints the median CPU (and wall-clock) milliseconds of producing the draft as the download view does (the scoped reads, the layout,
the draft's marks) and of rendering the PDF alone, for the demo's largest plan, each drawn afresh; then of the same
draft downloaded again (its PDF kept, reports.render_pdf), and cProfile's top functions.

It reads the demo's data (`--data-dir`, else $WELLLED_DATA_DIR); with neither, it prepares the demo in a temporary
folder first (`wellled demo --no-serve`, about a minute) and removes it afterwards. The times are CPU-bound, so a
busy machine stretches them: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# The load test's trust person (bench/load.py), who downloads the draft there.
PERSON = "grace.mcallister"


def _prepare(data_dir: str | None) -> tuple[str, bool]:
    """The data folder to read, and whether it is a throwaway made here."""
    if data_dir:
        return data_dir, False
    made = tempfile.mkdtemp(prefix="wellled-draft-pdf-")
    env = {**os.environ, "WELLLED_DATA_DIR": made, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "wellled", "demo", "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return made, True


def _median_ms(fn, repeat: int) -> tuple[float, float, float]:
    """Median milliseconds of this process's CPU time, its least, and the median wall-clock time, over `repeat`
    runs after one warm-up run (CPU time is the figure to compare: other work on a shared machine stretches the
    wall clock, and stretches CPU time less)."""
    fn()
    cpu, wall = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(cpu), min(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data-dir", default=os.environ.get("WELLLED_DATA_DIR"), help="the demo's data folder"
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each (after a warm-up)")
    parser.add_argument("--top", type=int, default=25, help="functions shown from the profile (0: none)")
    parser.add_argument("--plan", type=int, help="a plan's id (default: the person's plan with most actions)")
    args = parser.parse_args()

    data_dir, throwaway = _prepare(args.data_dir)
    os.environ["WELLLED_DATA_DIR"] = data_dir
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.http import QueryDict

    from wellled.core.models import User
    from wellled.plans.models import Plan
    from wellled.reports.formats import render
    from wellled.reports.papers.draft import draft_produce, draft_request
    from wellled.reports.papers.registry import kind_get

    person = User.objects.get(username=PERSON)
    membership = person.memberships.select_related("organisation").first()
    organisation = membership.organisation
    plans = Plan.objects.filter(organisation=organisation).annotate(actions_count=Count("actions"))
    plan = plans.get(pk=args.plan) if args.plan else plans.order_by("-actions_count", "pk").first()
    parameters = QueryDict(f"plan={plan.pk}")

    def draft() -> bytes:
        asked = draft_request("board", organisation=organisation, by=person, parameters=parameters)
        return draft_produce("board", "pdf", asked).content

    from wellled.reports import render_pdf as board_pdf

    forget = getattr(board_pdf, "pdfs_kept_forget", lambda: None)  # before issue 24 nothing was kept

    def draft_drawn() -> bytes:
        forget()  # a paper not drawn before (each download of a changed plan)
        return draft()

    asked = draft_request("board", organisation=organisation, by=person, parameters=parameters)
    paper = kind_get("board").build(asked)
    size = len(draft())
    draft_cpu, draft_least, draft_wall = _median_ms(draft_drawn, args.repeat)
    render_cpu, render_least, render_wall = _median_ms(lambda: (forget(), render(paper, "pdf")), args.repeat)
    again_cpu, again_least, again_wall = _median_ms(draft, args.repeat)
    load = os.getloadavg()
    print(
        f"Plan {plan.pk} ({plan.name}, {plan.actions_count} actions), draft PDF {size / 1024:.0f} KiB; "
        f"{args.repeat} runs after a warm-up; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"draft PDF (build + render + marks): median CPU {draft_cpu:.0f} ms (least {draft_least:.0f} ms), "
        f"wall {draft_wall:.0f} ms"
    )
    print(
        f"the same draft again (PDF kept):    median CPU {again_cpu:.0f} ms (least {again_least:.0f} ms), "
        f"wall {again_wall:.0f} ms"
    )
    print(
        f"render_pdf alone:                   median CPU {render_cpu:.0f} ms (least {render_least:.0f} ms), "
        f"wall {render_wall:.0f} ms"
    )

    if args.top:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            draft_drawn()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print("\ncProfile of 5 drafts drawn afresh, by own time:")
        print(out.getvalue())

    if throwaway:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
