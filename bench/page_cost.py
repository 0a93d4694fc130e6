"""What each page of the load test costs the machine: CPU in the web process and in PostgreSQL, per request.

The load test (bench/load.py) says how a crowd is answered; this says where the machine's time per page goes,
which is what decides how many people two cores can answer. Each page is fetched through Django's test client
(middleware, scoped reads, templates, the PDF) as the load test's people, after the collector is settled as
in a web worker (wellled/wsgi.py). PostgreSQL's share is read from its server process's CPU counters, so it
needs the database on this machine.

Against the issue's case (a 220-trust demo loaded into PostgreSQL, see bench/load.py):

    WELLLED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wl_load220 python bench/page_cost.py

Compare with prepared queries off: `WELLLED_DATABASE_PREPARED=0`. `--small` loads its own small demo into a
throwaway SQLite database (the CI step that keeps this script working; no PostgreSQL figures then).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# The load test's people (bench/load.py): a trust's governance editor and the scale region's director.
TRUST_PERSON = "grace.mcallister"
DIRECTOR = "scale.director"


def _small_demo() -> None:
    """A throwaway SQLite database with the demo and two small scale trusts, as `bench/load.py --small` loads."""
    data_dir = tempfile.mkdtemp(prefix="wellled-page-cost-")
    os.environ["WELLLED_DATA_DIR"] = data_dir
    os.environ["WELLLED_DEBUG"] = "1"
    os.environ.pop("WELLLED_DATABASE_URL", None)
    small = ["--scale", "2", "--scale-actions", "30", "--scale-measures", "5"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "wellled", "demo", "--no-serve", *small],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _server_cpu_ms(connection) -> float | None:
    """CPU time used so far by this connection's PostgreSQL server process, or None (SQLite, or not local)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _pages(client, who: str) -> dict[str, str]:
    """The load test's pages for this person, found as the load test finds them (links on the pages)."""
    if who == DIRECTOR:
        return {
            "portfolio": "/oversight/portfolio/?sort=overdue&order=desc",
            "portfolio, page 2": "/oversight/portfolio/?page=2",
            "trajectories": "/oversight/portfolio/trajectories/",
        }
    dashboard = client.get("/").content.decode()
    plan = sorted(set(re.findall(r'href="/plans/(\d+)/"', dashboard)))[0]
    action = sorted(
        set(re.findall(r'href="/actions/(\d+)/', client.get(f"/plans/{plan}/").content.decode()))
    )[0]
    measure = sorted(set(re.findall(r'href="/measures/(\d+)/"', client.get("/measures/").content.decode())))[
        0
    ]
    return {
        "dashboard": "/",
        "plan page": f"/plans/{plan}/",
        "measure page": f"/measures/{measure}/",
        "progress update form": f"/actions/{action}/update/",
        "paper download (PDF draft)": f"/papers/draft/board.pdf?plan={plan}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--small", action="store_true", help="own small SQLite demo, 3 requests a page (CI)")
    args = parser.parse_args()
    if args.small:
        _small_demo()
        args.repeat = 3
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    os.environ.setdefault("WELLLED_SECRET_KEY", "bench-only-key")
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    import wellled.wsgi  # noqa: F401  (Django set up, and the collector settled, as in a web worker)
    from wellled.core.models import User

    settings.ALLOWED_HOSTS = ["*"]  # the test client's host
    settings.SECURE_SSL_REDIRECT = False  # plain HTTP, as behind the proxy that ends TLS
    print(f"database: {connection.vendor}, options {settings.DATABASES['default'].get('OPTIONS', {})}")
    print(f"{'page':<30} {'web ms':>7} {'database ms':>12}")
    for who in (TRUST_PERSON, DIRECTOR):
        client = Client()
        client.force_login(User.objects.get(username=who))
        for name, url in _pages(client, who).items():
            for _ in range(3):  # warm: templates compiled, queries prepared, the session settled
                assert client.get(url).status_code == 200, url
            server = _server_cpu_ms(connection)
            started = time.process_time()
            for _ in range(args.repeat):
                client.get(url)
            web = (time.process_time() - started) * 1000 / args.repeat
            after = _server_cpu_ms(connection)
            database = (
                f"{(after - server) / args.repeat:12.1f}"
                if server is not None and after is not None
                else "n/a"
            )
            print(f"{name:<30} {web:7.1f} {database:>12}")
    print(f"load average {os.getloadavg()[0]:.1f} (figures stretch on a busy machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
