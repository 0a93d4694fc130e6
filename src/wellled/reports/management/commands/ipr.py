"""`wellled ipr`: the integrated performance report as a PDF or Word file, for automation.

    wellled ipr --organisation ZNM --format pdf --out ipr.pdf [--as-at 2026-11-30] [--as-user USERNAME]
    wellled ipr --organisation ZNM --issue [--as-at 2026-11-30] [--format pdf --out ipr.pdf]

Read as a named person (default: the organisation's first administrator) through the same scoped reads as the app.
--issue stores the report frozen (PDF and Word, with checksums) as that person, who must be allowed to issue
papers; with --format and --out it also writes that issued file.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wellled.core.management.command_kit import command_member, command_organisation
from wellled.core.models import Organisation, User
from wellled.reports.board_paper import as_at_problem
from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf
from wellled.reports.ipr.kind import ipr_issue
from wellled.reports.management.commands._issuing import issue_refusals, say_issued
from wellled.reports.paper_errors import command_paper_errors
from wellled.reports.progress import TerminalProgress

RENDERERS = {"pdf": render_ipr_pdf, "docx": render_ipr_docx}


class Command(BaseCommand):
    help = (
        "Produce the integrated performance report (SPC charts, icons and commentary) as PDF or Word, or issue it "
        "frozen (--issue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The trust's ODS code.")
        parser.add_argument("--as-at", dest="as_at", help="Position as at YYYY-MM-DD (default: today).")
        parser.add_argument("--format", dest="fmt", choices=sorted(RENDERERS))
        parser.add_argument("--out", help="The file to write.")
        parser.add_argument(
            "--issue",
            action="store_true",
            help="Issue the report: store it frozen, with its PDF and Word files and their checksums.",
        )
        parser.add_argument(
            "--as-user", dest="as_user", help="Read as this person (default: an administrator)."
        )

    def handle(
        self,
        *args,
        organisation: str,
        as_at: str | None,
        fmt: str | None,
        out: str | None,
        as_user: str | None,
        issue: bool = False,
        **options,
    ):
        if bool(fmt) != bool(out) or not (fmt or issue):
            raise CommandError("Give --format and --out (both), or --issue (with both or neither).")
        org = command_organisation(organisation)
        try:
            day = datetime.date.fromisoformat(as_at) if as_at else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-at {as_at}: use a date such as 2026-11-30.") from None
        if problem := as_at_problem(day):
            raise CommandError(f"--as-at {as_at}: {problem}")
        user = command_member(org, as_user)
        if issue:
            with command_paper_errors("performance report"):
                self._issue(org, user, day, fmt, out, options.get("verbosity", 1))
            return
        assert fmt is not None and out is not None  # checked above
        with command_paper_errors("performance report"):
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

    def _issue(
        self,
        org: Organisation,
        user: User,
        day: datetime.date,
        fmt: str | None,
        out: str | None,
        verbosity: int,
    ) -> None:
        """Issue the report frozen as the user; optionally also write one of its files."""
        progress = TerminalProgress(cast(TextIO, self.stderr)) if verbosity > 0 else None
        with issue_refusals(user, "papers"):
            issued = ipr_issue(organisation=org, as_at=day, by=user, progress=progress)
        say_issued(
            self.stdout, issued, what=f"performance report of {org.name}", record="report", counted="measures"
        )
        if fmt and out:
            try:
                Path(out).write_bytes(bytes(issued.files.get(format=fmt).content))
            except OSError as exc:
                raise CommandError(f"Cannot write {out}: {exc.strerror}.") from None
            self.stdout.write(f"Wrote the issued {fmt.upper()} file to {out}.")
