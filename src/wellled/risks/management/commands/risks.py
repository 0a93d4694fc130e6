"""`wellled risks import FILE --organisation ODS [--dry-run]`, `wellled risks export --organisation ODS --out PATH`
and `wellled risks remind --organisation ODS` (e-mail owners their overdue reviews; for a daily timer).

Import matches each row to a risk by its reference, checks every row first and prints each problem with its row and
column; nothing is written unless every row is good, and never with --dry-run, which prints each row's differences
(field: old → new) instead. Export writes the register in the layout the import reads.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wellled.core.management.command_kit import command_member, command_organisation
from wellled.risks.selectors import RegisterFilters, risk_register
from wellled.risks.spreadsheet import Upload, register_export, register_import


class Command(BaseCommand):
    help = "Import a risk register from a spreadsheet (all or nothing), or export the register."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a register (.xlsx or .csv).")
        imp.add_argument("file")
        imp.add_argument("--organisation", required=True)
        imp.add_argument("--dry-run", action="store_true", help="Check and show the problems; write nothing.")
        imp.add_argument("--as-user", dest="as_user")
        exp = sub.add_parser("export", help="Export the register as .xlsx.")
        exp.add_argument("--organisation", required=True)
        exp.add_argument("--out", required=True)
        exp.add_argument("--as-user", dest="as_user")
        remind = sub.add_parser("remind", help="E-mail each owner the risks overdue for review.")
        remind.add_argument("--organisation", required=True)
        remind.add_argument("--as-user", dest="as_user")

    def handle(self, *args, action: str, **options):
        trust = command_organisation(options["organisation"])
        user = command_member(trust, options.get("as_user"))
        if action == "remind":
            from wellled.risks.services import review_reminders_send

            sent = review_reminders_send(organisation=trust, by=user, on=timezone.localdate())
            self.stdout.write(f"Reminders sent to {sent} people.")
            return
        if action == "export":
            risks = risk_register(
                user=user, organisation=trust, filters=RegisterFilters(status="all"), on=timezone.localdate()
            )
            Path(options["out"]).write_bytes(register_export(risks=risks))
            self.stdout.write(f"Wrote {options['out']}: {risks.count()} risks.")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = register_import(
                organisation=trust,
                by=user,
                dry_run=options["dry_run"],
                file=Upload(name=path.name, data=path.read_bytes()),
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if result.header_row:
            self.stdout.write(
                f"Headers found in row {result.header_row}: "
                + ", ".join(f"{k} ← “{v}”" for k, v in result.columns.items())
            )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s) found; nothing was imported.")
        for line in result.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {result.summary()}; nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {result.summary()}."))
