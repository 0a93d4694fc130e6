"""`wellled board-paper`: produce a plan's board paper as a file, for automation.

    wellled board-paper --organisation ZNM --plan "Well-led self-review 2025/26" --format pdf --out paper.pdf

The paper is read as a named person (--as-user, default: the organisation's first administrator), through the
same scoped reads as the app, so the command can never show what that person could not see.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wellled.core.choices import Role
from wellled.core.models import Membership, Organisation, User
from wellled.plans.selectors import plans_for_user
from wellled.reports.board_paper import board_paper_build
from wellled.reports.formats import FORMATS, render


class Command(BaseCommand):
    help = "Produce a plan's board paper (pdf, docx, xlsx, html or csv) as at a date."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The trust's ODS code, e.g. ZNM.")
        parser.add_argument("--plan", required=True, help="The plan's name, exactly as in the app.")
        parser.add_argument("--as-at", dest="as_at", help="Position as at YYYY-MM-DD (default: the open cycle's "
                                                         "position date, else today).")
        parser.add_argument("--format", dest="fmt", required=True, help=f"One of {', '.join(FORMATS)}.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--template", help="A trust's Word template (.docx) whose styles the paper uses.")
        parser.add_argument("--as-user", dest="as_user", help="Read as this username (default: the "
                                                              "organisation's first administrator).")

    def handle(self, *args, organisation, plan, as_at, fmt, out, template, as_user, **options):
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        if template and fmt != "docx":
            raise CommandError("--template applies to --format docx only.")
        if template and not Path(template).is_file():
            raise CommandError(f"The template {template} does not exist.")
        org = Organisation.objects.filter(ods_code=organisation.strip().upper()).first()
        if org is None:
            raise CommandError(f"No organisation has the ODS code {organisation!r}.")
        user = self._user(org, as_user)
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
        paper = board_paper_build(user=user, organisation=org, plan=chosen, as_at=day)
        data = render(paper, fmt, template=template)
        path = Path(out)
        if path.parent and not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        path.write_bytes(data)
        self.stdout.write(f"Wrote the {FORMATS[fmt].name} board paper for {chosen.name}, position as at "
                          f"{paper.as_at_text}, to {path} ({len(data):,} bytes, {paper.total} actions).")

    def _user(self, org: Organisation, username: str | None) -> User:
        if username:
            membership = Membership.objects.filter(organisation=org, user__username=username).select_related(
                "user").first()
            if membership is None:
                raise CommandError(f"No member of {org.name} has the username {username!r}.")
            return membership.user
        membership = Membership.objects.filter(organisation=org, role=Role.ADMINISTRATOR).select_related(
            "user").order_by("created_at", "pk").first()
        if membership is None:
            raise CommandError(f"{org.name} has no administrator: name a member with --as-user.")
        return membership.user
