"""Benchmark of the everyday pages: `python bench/pages.py` prints best-of-N times and query counts.

The case: the 500-action plan with 12 cycles of history that bench/board_paper.py builds (about 5,400 progress
updates). Each page is fetched end to end through Django's test client (middleware, scoped reads, templates) as
a signed-in governance editor, on a throwaway SQLite file database. A page whose query count grows with the
number of actions would show here as hundreds of queries.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

from _django import remove, throwaway_django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per page; the best is reported")
    args = parser.parse_args()

    data_dir = throwaway_django()
    import board_paper  # bench/board_paper.py: the same 500-action plan
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wellled.core.choices import Role
    from wellled.core.services import membership_set
    from wellled.plans.models import Action

    org, viewer, plan, update_count = board_paper.build_plan()
    membership_set(user=viewer, organisation=org, role=Role.GOVERNANCE_EDITOR, by=None)
    client = Client()
    client.force_login(viewer)
    action = Action.objects.filter(plan=plan).order_by("pk")[250]
    pages = {
        "dashboard": "/",
        "plan page (500 actions)": f"/plans/{plan.pk}/",
        "plan page, filtered to R": f"/plans/{plan.pk}/?status=R",
        "action page (12 updates)": f"/actions/{action.pk}/",
        "my actions": "/my-actions/",
        "board paper page (HTML)": f"/plans/{plan.pk}/board-paper/",
    }
    rows = []
    for name, url in pages.items():

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        connection.queries_log.clear()  # a full log (9,000 entries, from the set-up) would hide new queries
        with CaptureQueriesContext(connection) as queries:
            fetch()
        fetch()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fetch()
            times.append(time.perf_counter() - start)
        rows.append((name, min(times), len(queries.captured_queries)))

    print(
        f"Pages benchmark: {board_paper.ACTIONS} actions, {update_count:,} progress updates, SQLite file "
        f"database, best of {args.repeat}; Python {platform.python_version()} on {platform.machine()}"
    )
    print("| page | time | queries |")
    print("|---|---|---|")
    for name, seconds, count in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms | {count} |")
    remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
