"""`wellled demo`: migrate, load the demo (once, relative to today), print the sign-ins, serve on 127.0.0.1:8000.

`wellled demo` implies local settings (debug, a secret key generated in the data directory; see
`wellled.__main__`). While it serves, the background worker (board papers being issued) runs beside it.
"""

from __future__ import annotations

from typing import TextIO, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wellled.core.worker import background_worker
from wellled.demo.plans import DEMO_PASSWORD, DemoLogin, DemoResult
from wellled.demo.steps import demo_run

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
        result, *others = demo_run(stdout=self.stdout if verbosity > 1 else None)
        # Steps after the first may add sign-ins of their own (the oversight region's improvement director).
        self._print_logins(result, [login for other in others for login in getattr(other, "logins", [])])
        if no_serve:
            return
        if not settings.DEBUG:
            self.stderr.write(
                "The demo is meant to run with local settings (WELLLED_DEBUG left unset or 1): without them, "
                "sign-in cookies need HTTPS and only WELLLED_ALLOWED_HOSTS are served."
            )
        self.stdout.write(f"Serving the demo at http://{addrport}/ (Ctrl+C to stop).")
        with background_worker(stdout=cast(TextIO, self.stdout)):  # Django's OutputWrapper is a text stream
            call_command("runserver", addrport, use_reloader=False)

    def _print_logins(self, result: DemoResult, extra: list[DemoLogin] | None = None) -> None:
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
            for login in [*result.logins, *(extra or [])]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))
        self.stdout.write(
            f"Every demo person signs in (username or e-mail) with the password: {DEMO_PASSWORD}"
        )
