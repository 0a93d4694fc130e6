"""`wellled board-paper`: produce a plan's board paper as a file, for automation.

    wellled board-paper --organisation ZNM --plan "Well-led self-review 2025/26" --format pdf --out paper.pdf
    wellled board-paper --organisation ZNM --plan "Well-led self-review 2025/26" --issue [--as-at 2026-11-30]

The paper is read as a named person (--as-user, default: the organisation's first administrator), through the
same scoped reads as the app, so the command can never show what that person could not see. --issue stores a
frozen paper (every format, with checksums) as that person, who must be allowed to issue papers. Progress is
shown on standard error (-v 0 hides it).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wellled.core.management.command_kit import command_member, command_organisation
from wellled.core.models import User
from wellled.core.selectors import word_template_get
from wellled.plans.selectors import open_cycle, plans_for_user
from wellled.reports.board_paper import as_at_problem, board_paper_build
from wellled.reports.formats import FORMATS, render
from wellled.reports.management.commands._issuing import issue_refusals, say_issued
from wellled.reports.paper_errors import command_paper_errors
from wellled.reports.progress import (
    FORMAT_WEIGHTS,
    READ_WEIGHT,
    Step,
    TerminalProgress,
    Tracker,
    rendering_label,
)
from wellled.reports.services import paper_issue

WRITE_WEIGHT = 2


class Command(BaseCommand):
    help = (
        "Produce a plan's board paper (pdf, docx, xlsx, html or csv) as at a date, or issue a frozen paper."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The trust's ODS code, e.g. ZNM.")
        parser.add_argument("--plan", required=True, help="The plan's name, exactly as in the app.")
        parser.add_argument(
            "--as-at",
            dest="as_at",
            help="Position as at YYYY-MM-DD (default: the open cycle's position date, else today).",
        )
        parser.add_argument("--format", dest="fmt", help=f"One of {', '.join(FORMATS)}.")
        parser.add_argument("--out", help="The file to write.")
        parser.add_argument(
            "--issue",
            action="store_true",
            help="Issue the paper: store it, frozen, with every "
            "format and their checksums (see past papers).",
        )
        parser.add_argument("--template", help="A trust's Word template (.docx) whose styles the paper uses.")
        parser.add_argument(
            "--as-user",
            dest="as_user",
            help="Read as this username (default: the organisation's first administrator).",
        )

    def handle(self, *args, organisation, plan, as_at, fmt, out, template, as_user, issue=False, **options):
        if (not fmt or not out) and not (issue and not fmt and not out):
            raise CommandError("Give --format and --out (both), or --issue.")
        fmt = (fmt or "").lower()
        if fmt and fmt not in FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        if template and issue:
            raise CommandError(
                "--template cannot be used with --issue: issued papers use the Word template uploaded "
                "on the organisation's page, if there is one."
            )
        if template and fmt != "docx":
            raise CommandError("--template applies to --format docx only.")
        if template and not Path(template).is_file():
            raise CommandError(f"The template {template} does not exist.")
        org = command_organisation(organisation)
        user = command_member(org, as_user)
        chosen = plans_for_user(user=user, organisation=org).filter(name=plan).first()
        if chosen is None:
            names = ", ".join(repr(p.name) for p in plans_for_user(user=user, organisation=org)) or "none"
            raise CommandError(f"{org.name} has no plan called {plan!r}. Its plans: {names}.")
        day = None
        if as_at:
            try:
                day = datetime.date.fromisoformat(as_at)
            except ValueError:
                raise CommandError(f"--as-at {as_at!r} is not a date: write it as YYYY-MM-DD.")
            if problem := as_at_problem(day):
                raise CommandError(f"--as-at {as_at}: {problem}")
        path = Path(out) if out else None
        if path and path.parent and not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        progress = TerminalProgress(self.stderr) if options.get("verbosity", 1) > 0 else None
        with command_paper_errors("board paper"):
            self._produce(chosen, user, org, day, fmt, path, template, progress, issue)

    def _produce(self, chosen, user, org, day, fmt, path, template, progress, issue) -> None:
        """Issue the paper, or write it in one format."""
        if issue:
            self._issue(chosen, user, day, fmt, path, progress)
            return
        tracker = Tracker(
            [
                Step("Reading the plan", READ_WEIGHT),
                Step(rendering_label(fmt), FORMAT_WEIGHTS[fmt]),
                Step("Writing the file", WRITE_WEIGHT),
            ],
            progress,
        )
        tracker.start("Reading the plan")
        paper = board_paper_build(user=user, organisation=org, plan=chosen, as_at=day)
        tracker.start(rendering_label(fmt))
        if fmt == "docx" and not template:  # the organisation's uploaded template, as the app uses
            stored = word_template_get(user=user, organisation=org)
            template = bytes(stored.content) if stored else None
        data = render(paper, fmt, template=template)
        tracker.start("Writing the file")
        path.write_bytes(data)
        tracker.finish("Done")
        self.stdout.write(
            f"Wrote the {FORMATS[fmt].name} board paper for {chosen.name}, position as at "
            f"{paper.as_at_text}, to {path} ({len(data):,} bytes, {paper.total} actions)."
        )

    def _issue(
        self, plan, user: User, day: datetime.date | None, fmt: str, path: Path | None, progress
    ) -> None:
        """Issue a frozen paper as the user; optionally also write one of its files."""
        if day is None:
            cycle = open_cycle(plan=plan)
            day = cycle.position_as_at if cycle else timezone.localdate()
        with issue_refusals(user, "board papers"):
            issued = paper_issue(plan=plan, cycle_or_as_at=day, by=user, progress=progress)
        say_issued(
            self.stdout, issued, what=f"board paper for {plan.name}", record="paper", counted="actions"
        )
        if path is not None:
            path.write_bytes(bytes(issued.files.get(format=fmt).content))
            self.stdout.write(f"Wrote the issued {FORMATS[fmt].name} file to {path}.")
