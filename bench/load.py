"""Load test with Locust (issue 24): simulated people sign in and browse a running Wellled, then p50, p95, p99 and
errors are printed per page.

Two kinds of people: a trust's governance editor (dashboard, a plan, an action's progress update, a measure, a
board paper's draft PDF) and the oversight region's improvement director (the portfolio of the scale demo). Every
person signs in once through the real form, so the password hashing is part of the load.

Against a server you started (the issue's case: PostgreSQL, `wellled demo --scale 220 --no-serve`, then
`wellled serve --workers 3`):

    python bench/load.py --host http://127.0.0.1:8000 --users 50 --run-time 2m

`--small` starts its own throwaway server first (SQLite, `wellled demo --scale 2` with small trusts, one worker)
and runs 10 people for 20 s: the CI step that keeps this script working. Needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The demo's people (src/wellled/demo/data/trusts.yaml and scale.yaml): one trust's governance editor and the
# scale region's improvement director; every demo person shares the demo password.
TRUST_PERSON = "grace.mcallister"
DIRECTOR = "scale.director"
PASSWORD_ENV = "WELLLED_LOAD_PASSWORD"  # noqa: S105 (the name of a variable, not a password)
# Share of people who are the region's director (the rest are trust editors): most sign-ins are a trust's.
DIRECTOR_SHARE = 5  # one in five
# Seconds each person waits between two requests, as Locust's `between(low, high)`: 1 to 3 s is the pace of the
# issue's own measurement (50 people made about 24 requests a second). `--think` changes it.
THINK_ENV = "WELLLED_LOAD_THINK"
THINK_DEFAULT = "1,3"
# How long the throwaway server of --small may take to start (collecting static files on a busy machine).
SERVER_WAIT_SECONDS = 180

try:  # the locustfile part: only when Locust runs this file
    # FastHttpUser (geventhttpclient) rather than HttpUser (python-requests): the people are simulated on the
    # same two cores as the server, and Locust's documentation gives the fast client as the one that uses
    # several times less CPU per request, so less of the box goes to the crowd and more to the pages measured.
    from locust import FastHttpUser, between, events, task
except ImportError:  # `python bench/load.py` without Locust installed: main() says what to install
    FastHttpUser = None  # type: ignore[assignment,misc]


def _password() -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    return yaml.safe_load((ROOT / "src/wellled/demo/data/trusts.yaml").read_text())["password"]


def _form_fields(html: str, action_hint: str = "") -> dict[str, str]:
    """The fields of the page's form: hidden and text inputs as given, the first choice of each radio group, and
    some words in each text area."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = (re.search(r'type="([^"]+)"', tag) or [None, "text"])[1]
        value = (re.search(r'value="([^"]*)"', tag) or [None, ""])[1]
        if kind == "radio":
            fields.setdefault(name[1], value)
        elif kind == "checkbox":
            continue
        else:
            fields[name[1]] = value.replace("&amp;", "&")
    for name in re.findall(r'<textarea[^>]*name="([^"]+)"', html):
        fields[name] = "Work continued this month as planned (load test)."
    return fields


if FastHttpUser is not None:
    PASSWORD = _password()

    class Person(FastHttpUser):
        """Signs in once, then browses; which pages depend on who they are."""

        wait_time = between(*(float(x) for x in os.environ.get(THINK_ENV, THINK_DEFAULT).split(",")))
        abstract = True
        username = ""

        def on_start(self) -> None:
            page = self.client.get("/accounts/login/", name="sign-in page")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            self.client.post(
                "/accounts/login/",
                {
                    "username": self.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token[1] if token else "",
                },
                headers={"Referer": self.host + "/accounts/login/"},
                name="sign-in",
            )

    class TrustEditor(Person):
        username = TRUST_PERSON
        weight = DIRECTOR_SHARE - 1

        def on_start(self) -> None:
            super().on_start()
            dashboard = self.client.get("/", name="dashboard").text
            self.plans = sorted(set(re.findall(r'href="/plans/(\d+)/"', dashboard)))
            plan = self.client.get(f"/plans/{self.plans[0]}/", name="plan page").text if self.plans else ""
            self.actions = sorted(set(re.findall(r'href="/actions/(\d+)/', plan)))[:20]
            measures = self.client.get("/measures/", name="measures list").text
            self.measures = sorted(set(re.findall(r'href="/measures/(\d+)/"', measures)))[:20]

        @task(3)
        def dashboard(self) -> None:
            self.client.get("/", name="dashboard")

        @task(3)
        def plan_page(self) -> None:
            if self.plans:
                self.client.get(f"/plans/{self.plans[0]}/", name="plan page")

        @task(2)
        def measure_page(self) -> None:
            if self.measures:
                pk = self.measures[int(time.time() * 1000) % len(self.measures)]
                self.client.get(f"/measures/{pk}/", name="measure page")

        @task(1)
        def progress_update(self) -> None:
            if not self.actions:
                return
            pk = self.actions[int(time.time() * 1000) % len(self.actions)]
            form = self.client.get(f"/actions/{pk}/update/", name="progress update form")
            if form.status_code != 200:
                return
            with self.client.post(
                f"/actions/{pk}/update/",
                _form_fields(form.text),
                headers={"Referer": f"{self.host}/actions/{pk}/update/"},
                name="progress update",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                # Saved (302), or refused in words because someone else saved first (409/400): not an error.
                if response.status_code in (200, 302, 400, 409):
                    response.success()

        @task(1)
        def paper_download(self) -> None:
            if self.plans:
                self.client.get(
                    f"/papers/draft/board.pdf?plan={self.plans[0]}", name="paper download (PDF draft)"
                )

    class RegionDirector(Person):
        username = DIRECTOR
        weight = 1

        @task(3)
        def portfolio(self) -> None:
            self.client.get("/oversight/portfolio/?sort=overdue&order=desc", name="portfolio")

        @task(1)
        def portfolio_next_page(self) -> None:
            self.client.get("/oversight/portfolio/?page=2", name="portfolio, page 2")

        @task(1)
        def trajectories(self) -> None:
            self.client.get("/oversight/portfolio/trajectories/", name="trajectories")

    @events.quitting.add_listener
    def _report(environment, **_kwargs) -> None:
        """p50, p95, p99 and errors of every page, as the issue's table wants them."""
        stats = environment.runner.stats
        print(f"\n{'page':<32} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for entry in sorted(stats.entries.values(), key=lambda e: e.name):
            print(
                f"{entry.name:<32} {entry.num_requests:>8} {entry.num_failures:>6} "
                f"{entry.get_response_time_percentile(0.5):>7.0f} {entry.get_response_time_percentile(0.95):>7.0f} "
                f"{entry.get_response_time_percentile(0.99):>7.0f}"
            )
        total = stats.total
        print(
            f"{'all':<32} {total.num_requests:>8} {total.num_failures:>6} "
            f"{total.get_response_time_percentile(0.5):>7.0f} {total.get_response_time_percentile(0.95):>7.0f} "
            f"{total.get_response_time_percentile(0.99):>7.0f}; {total.total_rps:.1f} requests/s"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(data_dir: str) -> tuple[subprocess.Popen, str]:
    """A throwaway Wellled on SQLite with the demo and two small scale trusts, served by one worker."""
    env = {**os.environ, "WELLLED_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT / "src")}
    env.pop("WELLLED_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    # A local, plain-HTTP server: debug settings (its own secret key, localhost allowed, no HTTPS redirect).
    env["WELLLED_DEBUG"] = "1"
    wellled = [sys.executable, "-m", "wellled"]
    small = ["--scale", "2", "--scale-actions", "30", "--scale-measures", "5"]
    if not (Path(data_dir) / "demo-loaded").exists():  # WELLLED_LOAD_DATA_DIR may name one loaded before
        subprocess.run(
            [*wellled, "demo", "--no-serve", *small], env=env, check=True, stdout=subprocess.DEVNULL
        )
        (Path(data_dir) / "demo-loaded").touch()
    port = _free_port()
    server = subprocess.Popen(
        [*wellled, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-worker"],
        env=env,
        stdout=open(Path(data_dir) / "serve.log", "wb"),  # noqa: SIM115 (the server keeps it open)
        stderr=subprocess.STDOUT,
    )
    host = f"http://127.0.0.1:{port}"
    for _ in range(SERVER_WAIT_SECONDS):
        try:
            urllib.request.urlopen(host + "/accounts/login/", timeout=5)  # noqa: S310 (our own local server)
            return server, host
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit(f"The throwaway server did not answer: see {data_dir}/serve.log")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", help="a running Wellled, e.g. http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people started a second (default 10)")
    parser.add_argument("--run-time", default="2m", help="how long, as Locust reads it (default 2m)")
    parser.add_argument("--small", action="store_true", help="own throwaway server, 10 people for 20 s (CI)")
    parser.add_argument(
        "--think",
        default=THINK_DEFAULT,
        help="LOW,HIGH seconds a person waits between requests (default 1,3: the issue's pace)",
    )
    args = parser.parse_args()
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    if not Path(locust).exists():
        sys.exit("Locust is not installed: pip install -e '.[bench]'")
    server = None
    data_dir = ""
    if args.small:
        data_dir = os.environ.get("WELLLED_LOAD_DATA_DIR") or tempfile.mkdtemp(prefix="wellled-load-")
        server, args.host = _start_server(data_dir)
        args.users, args.spawn_rate, args.run_time = 10, 5, "20s"
    if not args.host:
        sys.exit("Name the server with --host (or use --small to start a throwaway one).")
    try:
        command = [locust, "-f", __file__, "--headless", "--host", args.host, "--users", str(args.users)]
        command += ["--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time, "--only-summary"]
        low, high = (float(x) for x in args.think.split(","))
        print(
            f"{args.users} people, {args.spawn_rate} started a second, each waiting {low:g}-{high:g} s between requests"
        )
        env = {**os.environ, PASSWORD_ENV: _password(), THINK_ENV: f"{low},{high}"}
        return subprocess.run(command, check=False, env=env).returncode
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            if os.environ.get("WELLLED_LOAD_KEEP"):
                print(f"kept {data_dir}")
            else:
                shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
