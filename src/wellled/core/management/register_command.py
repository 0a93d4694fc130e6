"""What every register's command shares (core.registers): `export --organisation ODS --out FILE.xlsx` and
`import FILE --organisation ODS [--dry-run]`, acting as a member of the organisation (`--as-user`, else its first
administrator); the import prints every problem by row and column and writes nothing, or prints the differences row
by row and then writes them all (nothing with --dry-run)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from wellled.core.models import Organisation, User
from wellled.core.registers import Comparison, Upload

from .command_kit import command_member, command_organisation


class RegisterCommand(BaseCommand):
    """A command with `export` and `import` for one app's register(s): set `export` (user, organisation → bytes)
    and `run` (organisation, by, file, dry_run → comparisons) as static methods."""

    export: Callable[..., bytes]
    run: Callable[..., Sequence[Comparison]]

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        export = sub.add_parser("export", help="Write the register as an .xlsx workbook.")
        export.add_argument("--out", required=True, type=Path)
        imp = sub.add_parser("import", help="Read the workbook back: every change, or none.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Print the differences; write nothing.")
        for each in (export, imp):
            each.add_argument("--organisation", required=True, help="The organisation's ODS code.")
            each.add_argument("--as-user", help="Act as this member (default: its first administrator).")

    def handle(self, *args, verb: str, organisation: str, as_user: str | None, **options: Any):
        org = command_organisation(organisation)
        by = command_member(org, as_user)
        if verb == "export":
            options["out"].write_bytes(type(self).export(user=by, organisation=org))
            self.stdout.write(f"Wrote {options['out']}.")
            return
        self._import(org, by, options["file"], options["dry_run"])

    def _import(self, organisation: Organisation, by: User, path: Path, dry_run: bool) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        upload = Upload(name=path.name, data=path.read_bytes())
        try:
            results = type(self).run(organisation=organisation, by=by, file=upload, dry_run=dry_run)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        problems = [f"{r.register.sheet}: {p}" for r in results for p in r.problems]
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found; nothing was imported.")
        for result in results:
            for line in result.lines():
                self.stdout.write(f"{result.register.sheet}: {line}")
            self.stdout.write(
                f"{'Dry run' if dry_run else 'Imported'}, {result.register.sheet}: {result.summary()}."
            )
