"""Benchmark of the API's lists: `python bench/api.py` prints best-of-N times and query counts.

The case: the 500-action plan with 12 cycles of history that bench/board_paper.py builds (about 5,400 progress
updates), read through the API with a governance editor's token, as Power BI would: a page of 500 actions in JSON
and in CSV, then 1,000 progress updates in each, end to end through Django's test client on a throwaway SQLite
file database. A list whose query count grows with its rows would show here as hundreds of queries.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

from _django import remove, throwaway_django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per request; the best is reported")
    args = parser.parse_args()

    data_dir = throwaway_django()
    import board_paper  # bench/board_paper.py: the same 500-action plan
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wellled.api.services import token_create
    from wellled.core.choices import Role
    from wellled.core.services import membership_set

    org, viewer, plan, update_count = board_paper.build_plan()
    membership_set(user=viewer, organisation=org, role=Role.GOVERNANCE_EDITOR, by=None)
    _token, raw = token_create(user=viewer, organisation=org, name="Benchmark", by=viewer)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    requests = {
        "500 actions, JSON": f"/api/actions/?plan={plan.pk}&page_size=500",
        "500 actions, CSV": f"/api/actions/?plan={plan.pk}&page_size=500&format=csv",
        "1,000 progress updates, JSON": f"/api/progress-updates/?plan={plan.pk}&page_size=1000",
        "1,000 progress updates, CSV": f"/api/progress-updates/?plan={plan.pk}&page_size=1000&format=csv",
        "one action with its ETag": f"/api/actions/{plan.actions.order_by('pk')[250].pk}/",
    }
    rows = []
    for name, url in requests.items():

        def fetch(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        fetch()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            size = len(fetch().content)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fetch()
            times.append(time.perf_counter() - start)
        rows.append((name, min(times), len(queries.captured_queries), size))

    print(
        f"API benchmark: {board_paper.ACTIONS} actions, {update_count:,} progress updates, SQLite file "
        f"database, best of {args.repeat}; Python {platform.python_version()} on {platform.machine()}"
    )
    print("| request | time | queries | size |")
    print("|---|---|---|---|")
    for name, seconds, count, size in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms | {count} | {size / 1024:.0f} KiB |")
    remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
