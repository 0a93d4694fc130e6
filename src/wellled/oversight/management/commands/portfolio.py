"""`wellled portfolio`: an oversight body's portfolio as a spreadsheet, for automation.

    wellled portfolio --organisation ZR001 --format xlsx --out portfolio.xlsx [--as-user director]

The same rows as the portfolio page (one per trust the body oversees today), read as a named member of the body
(--as-user, default: its first administrator) in a constant number of queries. Every cell is formula-safe.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404, QueryDict

from wellled.core.models import Organisation
from wellled.core.selectors import command_actor
from wellled.oversight.portfolio import filters_from, portfolio_build, portfolio_table
from wellled.oversight.portfolio_files import FORMATS, portfolio_file


class Command(BaseCommand):
    help = "Write an oversight body's portfolio (one row per trust it oversees today) as csv or xlsx."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The oversight body's ODS code, e.g. Y56.")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True, help="csv or xlsx.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--as-user", dest="as_user", help="Username of the body's member to act as.")
        parser.add_argument(
            "--measure",
            action="append",
            default=[],
            help="An indicator code to show as a key measure (repeat for more; default: the most shared).",
        )

    def handle(self, *args, organisation: str, fmt: str, out: str, as_user, measure, **options):
        body = Organisation.objects.filter(ods_code=organisation.upper()).first()
        if body is None:
            raise CommandError(f"No organisation has the ODS code {organisation}.")
        if not body.is_oversight_body:
            raise CommandError(f"{body.name} is not an oversight body: only those hold a portfolio.")
        try:
            user = command_actor(organisation=body, username=as_user)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        params = QueryDict(mutable=True)
        params.setlist("measure", measure)
        try:
            portfolio = portfolio_build(user=user, organisation=body, filters=filters_from(params))
        except Http404:
            raise CommandError(f"{user.username} cannot see the portfolio of {body.name}.") from None
        headers, rows = portfolio_table(portfolio)
        content = portfolio_file(headers, rows, fmt=fmt, title=f"{body.name} portfolio")
        Path(out).write_bytes(content)
        self.stdout.write(f"Wrote {out}: {body.name}, {len(rows)} trusts, {len(content):,} bytes.")
