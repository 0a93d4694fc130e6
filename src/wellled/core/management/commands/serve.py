"""`wellled serve`: run Wellled in production under gunicorn (put a TLS-terminating proxy in front).

It also runs the background worker (`wellled worker`) in a child process, unless --no-worker says a separate
worker service runs it (docs/deployment.md).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from wellled.core.url_kit import site_url_imply
from wellled.core.worker import background_worker

DEFAULT_BIND = "0.0.0.0:8000"  # noqa: S104 - the production server listens behind the proxy
DEFAULT_WORKERS = int(os.environ.get("WELLLED_WORKERS", 3))
DEFAULT_TIMEOUT_SECONDS = 60
WSGI_APP = "wellled.wsgi:application"


class Command(BaseCommand):
    help = "Serve Wellled with gunicorn (production). See docs/deployment.md."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default=DEFAULT_BIND, help=f"Address and port (default {DEFAULT_BIND})."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=f"Worker processes (default {DEFAULT_WORKERS}, or WELLLED_WORKERS).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=DEFAULT_TIMEOUT_SECONDS,
            help=f"Seconds before a silent worker is restarted (default {DEFAULT_TIMEOUT_SECONDS}).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker: `wellled worker` runs as a service of its own.",
        )

    def handle(self, *args, bind: str, workers: int, timeout: int, no_worker: bool = False, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        from gunicorn.app.base import BaseApplication

        class WellledApplication(BaseApplication):
            """gunicorn running Wellled's WSGI application with the options given on the command line."""

            def __init__(self, config: dict[str, object]):
                self.config = config
                super().__init__()

            def load_config(self) -> None:
                for key, value in self.config.items():
                    self.cfg.set(key, value)

            def load(self):
                from django.utils.module_loading import import_string

                return import_string(WSGI_APP.replace(":", "."))

        self.stdout.write(f"Serving Wellled with gunicorn on {bind} ({workers} workers).")
        url, implied = site_url_imply(bind)
        if implied:
            self.stderr.write(
                f"WELLLED_SITE_URL is not set: links in e-mails point to {url}. Set it to the address people "
                "reach Wellled at (docs/deployment.md)."
            )
        application = WellledApplication(
            {
                "bind": bind,
                "workers": workers,
                "timeout": timeout,
                "accesslog": "-",
                "errorlog": "-",
                "forwarded_allow_ips": os.environ.get("WELLLED_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }
        )
        # gunicorn stops by raising SystemExit, so leaving the block stops the worker too.
        with background_worker(enabled=not no_worker, stdout=self.stdout):
            application.run()
