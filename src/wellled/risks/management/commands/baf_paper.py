"""`wellled baf-paper`: the board assurance framework as a file, for automation.

    wellled baf-paper --organisation ZNM --format pdf --out baf.pdf [--as-at 2026-11-30]
    wellled baf-paper --organisation ZNM --issue [--as-at 2026-11-30]

Read as a named person (--as-user, default: the organisation's first administrator) through the app's scoped reads.
--issue stores a frozen paper (every format, with checksums) as that person, who must be allowed to manage risks.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TextIO, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wellled.core.management.command_kit import command_member, command_organisation
from wellled.reports.paper_errors import command_paper_errors
from wellled.reports.progress import TerminalProgress
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.baf_render import FORMATS, render
from wellled.risks.paper_kind import baf_paper_issue


class Command(BaseCommand):
    help = "Produce the board assurance framework paper (pdf, docx, xlsx or csv) as at a date, or issue it."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The trust's ODS code, e.g. ZNM.")
        parser.add_argument("--as-at", dest="as_at", help="As at YYYY-MM-DD (default: today).")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, help=f"One of {', '.join(FORMATS)}.")
        parser.add_argument("--out", help="The file to write.")
        parser.add_argument(
            "--issue", action="store_true", help="Issue the paper: store it frozen, every format."
        )
        parser.add_argument("--as-user", dest="as_user", help="Username of the member to act as.")

    def handle(self, *args, organisation: str, as_at, fmt, out, issue: bool, as_user, **options):
        trust = command_organisation(organisation)
        user = command_member(trust, as_user)
        day = timezone.localdate()
        if as_at:
            try:
                day = datetime.date.fromisoformat(as_at)
            except ValueError:
                raise CommandError(f"--as-at {as_at!r} is not a date: write it as YYYY-MM-DD.") from None
        if day > timezone.localdate():
            raise CommandError("The BAF cannot be produced as at a date in the future.")
        if issue:
            progress = TerminalProgress(cast(TextIO, self.stderr)) if options.get("verbosity", 1) else None
            try:
                with command_paper_errors("board assurance framework"):
                    issued = baf_paper_issue(organisation=trust, as_at=day, by=user, progress=progress)
            except (PermissionDenied, ValidationError) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
            self.stdout.write(f"Issued {issued.title} (paper {issued.pk}).")
            return
        if not fmt or not out:
            raise CommandError("Give --format and --out (or --issue).")
        with command_paper_errors("board assurance framework"):
            paper = baf_paper_build(user=user, organisation=trust, as_at=day)
            content = render(paper, fmt)
        Path(out).write_bytes(content)
        self.stdout.write(
            f"Wrote {out}: {paper.title}, {len(paper.principal)} principal risks, {len(content):,} bytes."
        )
