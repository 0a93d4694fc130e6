"""`wellled demo`: migrate, load the demo trust (once), print the sign-ins, and serve on 127.0.0.1:8000.

While it serves, the background worker (board papers being issued) runs beside it in a child process.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wellled.core.worker import background_worker
from wellled.plans.demo import DEMO_PASSWORD, DemoResult, demo_load

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Prepare the demo (migrate and load the fictional trusts, idempotently) and serve it locally."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data and stop; do not serve."
        )
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"Where to serve the demo (default {DEFAULT_ADDRPORT}).",
        )

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        verbosity = options.get("verbosity", 1)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        result = demo_load(stdout=self.stdout if verbosity > 1 else None)
        call_command("assessments_demo", verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        __import__("wellled.measures.demo", fromlist=["_"]).measures_demo_load(
            stdout=self.stdout if verbosity > 1 else None
        )
        # Last, so the issued papers carry the success measures too.
        __import__("wellled.reports.demo", fromlist=["_"]).papers_demo_load(
            stdout=self.stdout if verbosity > 1 else None
        )
        self._print_logins(result)
        if no_serve:
            return
        if not settings.DEBUG:
            self.stderr.write(
                "The demo is meant to run with WELLLED_DEBUG=1: without it, sign-in cookies need HTTPS and only "
                "WELLLED_ALLOWED_HOSTS are served."
            )
        self.stdout.write(f"Serving the demo at http://{addrport}/ (Ctrl+C to stop).")
        with background_worker(stdout=self.stdout):
            call_command("runserver", addrport, use_reloader=False)

    def _print_logins(self, result: DemoResult) -> None:
        """The sign-ins as a table: every demo person shares one published password."""
        state = "loaded" if result.created else "already loaded"
        self.stdout.write(
            self.style.SUCCESS(f"Demo data {state}: {result.organisation.name} and its neighbour.")
        )
        rows = [("Username", "Role", "Organisation", "Who")]
        rows += [
            (
                login.username,
                login.role,
                login.organisation,
                f"{login.name} ({login.initials}), {login.job_title}",
            )
            for login in result.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))
        self.stdout.write(
            f"Every demo person signs in (username or e-mail) with the password: {DEMO_PASSWORD}"
        )
