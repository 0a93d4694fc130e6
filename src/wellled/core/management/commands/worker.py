"""`wellled worker`: django-tasks-db's `db_worker` with a heartbeat (read by /health/) and a retry loop, so a worker
started while the database is down waits for it instead of dying (ADR 0022). Options are db_worker's."""

from __future__ import annotations

import logging

from django.db import DatabaseError, close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from wellled.core.worker import Heartbeat, backoff_delays, sleep, worker_started

logger = logging.getLogger("wellled.worker")
DATABASE_DOWN = "The database did not answer (%s); the worker tries again in %.0f s."


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (board papers): db_worker with a heartbeat and a retry on database errors."
    )

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        delays = backoff_delays()
        try:
            while True:
                try:
                    worker_started.send(sender=type(self))
                    return super().handle(*args, **options)
                except DatabaseError as exc:
                    delay = next(delays)
                    logger.warning(DATABASE_DOWN, exc, delay)
                    self.stderr.write(DATABASE_DOWN % (exc, delay))
                    close_old_connections()
                    sleep(delay)
        finally:
            heartbeat.stop()
