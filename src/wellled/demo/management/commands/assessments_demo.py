"""`wellled assessments_demo`: add the demo assessments and ratings to the demo trust (part of `wellled demo`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wellled.demo.assessments import assessments_demo_load


class Command(BaseCommand):
    help = (
        "Load the demo trust's assessments, ratings and self-assessment (idempotent; `wellled demo` runs it)."
    )

    def handle(self, *args, **options):
        created = assessments_demo_load()
        if options.get("verbosity", 1) > 0:
            state = "loaded" if created else "already loaded (or the demo trust is missing)"
            self.stdout.write(f"Demo assessments {state}.")
