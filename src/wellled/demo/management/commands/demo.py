"""`wellled demo`: migrate, load the demo (once, relative to today), print the sign-ins, serve on 127.0.0.1:8000.

`--scale N` adds N synthetic trusts in an oversight region (`wellled.demo.scale`), each with about 500 actions
and 100 measures of five years' figures, and prints the improvement director's sign-in.

`wellled demo` implies local settings (debug, a secret key generated in the data directory; see
`wellled.__main__`). While it serves, the background worker (board papers being issued) runs beside it.
"""

from __future__ import annotations

from typing import TextIO, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from wellled.core.url_kit import site_url_imply
from wellled.core.worker import background_worker
from wellled.demo.plans import DEMO_PASSWORD, DemoLogin, DemoResult
from wellled.demo.scale import ACTIONS, MEASURES, MONTHS, ScaleResult, ScaleSize, load_scale
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
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also load N synthetic trusts in an oversight region (idempotent; docs/demo.md).",
        )
        parser.add_argument(
            "--scale-actions",
            type=int,
            default=ACTIONS,
            help=f"Actions per synthetic trust (default {ACTIONS}).",
        )
        parser.add_argument(
            "--scale-measures",
            type=int,
            default=MEASURES,
            help=f"Measures per synthetic trust, at most {MEASURES} (default {MEASURES}).",
        )
        parser.add_argument(
            "--scale-months",
            type=int,
            default=MONTHS,
            help=f"Monthly figures per measure (default {MONTHS}).",
        )

    def handle(self, *args, no_serve: bool, addrport: str, scale: int = 0, **options):
        verbosity = options.get("verbosity", 1)
        if scale < 0:
            raise CommandError("--scale takes a number of trusts (0 or more).")
        try:
            size = ScaleSize(
                actions=options.get("scale_actions", ACTIONS),
                measures=options.get("scale_measures", MEASURES),
                months=options.get("scale_months", MONTHS),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        # The address served is the site's address (when WELLLED_SITE_URL does not say), for every link the demo's
        # e-mails carry, those written while loading included.
        url, implied = site_url_imply(addrport) if not no_serve else (settings.SITE_URL, False)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        result, *others = demo_run(stdout=self.stdout if verbosity > 1 else None)
        # Steps after the first may add sign-ins of their own (the oversight region's improvement director).
        self._print_logins(result, [login for other in others for login in getattr(other, "logins", [])])
        if scale:
            self.stdout.write(f"Loading {scale} synthetic trusts (those already there are kept as they are).")
            self._print_scale(load_scale(scale, size=size, stdout=self.stdout if verbosity > 0 else None))
        self._print_mail()
        if implied:
            self.stdout.write(
                f"Links in e-mails point to {url} (set WELLLED_SITE_URL to choose another address)."
            )
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

    def _print_mail(self) -> None:
        """Say once where e-mails go when they are written to files (the demo's default), not sent."""
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                f"E-mails are not sent: each is written to a file in {settings.EMAIL_FILE_PATH}"
            )

    def _print_scale(self, result: ScaleResult) -> None:
        """What the scale load added, and the improvement director who oversees the region."""
        added = len(result.created)
        rows = ", ".join(f"{count:,} {name}" for name, count in result.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic trusts: {added} added, {result.already} already there, in {result.region.name} "
                f"({result.seconds:.1f} s)."
            )
        )
        if rows:
            self.stdout.write(f"Written: {rows}.")
        director = result.director
        self.stdout.write(
            f"Improvement director: {director.username} ({director.get_full_name()}), password {result.password}"
        )
