"""`wellled ipr`: the integrated performance report as a PDF or Word file, for automation.

    wellled ipr --organisation ZNM --format pdf --out ipr.pdf [--as-at 2026-11-30] [--as-user USERNAME]

Read as a named person (default: the organisation's first administrator) through the same scoped reads as the app.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wellled.core.models import Organisation
from wellled.core.selectors import command_actor
from wellled.reports.board_paper import as_at_problem
from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf

RENDERERS = {"pdf": render_ipr_pdf, "docx": render_ipr_docx}


class Command(BaseCommand):
    help = "Produce the integrated performance report (SPC charts, icons and commentary) as PDF or Word."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The trust's ODS code.")
        parser.add_argument("--as-at", dest="as_at", help="Position as at YYYY-MM-DD (default: today).")
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(RENDERERS))
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument(
            "--as-user", dest="as_user", help="Read as this person (default: an administrator)."
        )

    def handle(
        self, *args, organisation: str, as_at: str | None, fmt: str, out: str, as_user: str | None, **options
    ):
        org = Organisation.objects.filter(ods_code__iexact=organisation).first()
        if org is None:
            raise CommandError(f"No organisation has the ODS code {organisation}.")
        try:
            day = datetime.date.fromisoformat(as_at) if as_at else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-at {as_at}: use a date such as 2026-11-30.") from None
        if problem := as_at_problem(day):
            raise CommandError(f"--as-at {as_at}: {problem}")
        user = command_actor(organisation=org, username=as_user)
        report = ipr_build(user=user, organisation=org, as_at=day)
        data = RENDERERS[fmt](report)
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {len(report.measures)} measures, {len(report.exceptions)} exceptions."
            )
        )
