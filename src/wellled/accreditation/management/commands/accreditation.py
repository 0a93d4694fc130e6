"""`wellled accreditation load FILE [--organisation ODS]`: load an accreditation scheme file (checked, line named).
`wellled accreditation export --organisation ODS --out wards.xlsx`: the wards and their assessments, a sheet each.
`wellled accreditation import wards.xlsx --organisation ODS [--dry-run]`: the same workbook back, matched by the
ward's and the assessment's IDs; --dry-run prints each row's differences and writes nothing; otherwise every change
is written, or none if any row has a problem."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.models import Organisation
from wellled.core.registers import Upload
from wellled.core.selectors import command_actor

from ...services import scheme_file_load


class Command(BaseCommand):
    help = "Load a ward accreditation scheme from a YAML file (shipped schemes load after every migrate)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="Load a scheme file.")
        load.add_argument("file", type=Path)
        load.add_argument("--organisation", help="ODS code of the trust whose own scheme this is.")
        load.add_argument(
            "--as-user", help="Username recorded as loading it (an administrator of the trust)."
        )
        export = sub.add_parser("export", help="Export the wards and their assessments as .xlsx.")
        export.add_argument("--organisation", required=True)
        export.add_argument("--out", required=True, type=Path)
        export.add_argument("--as-user")
        imp = sub.add_parser("import", help="Import the wards workbook (all or nothing).")
        imp.add_argument("file", type=Path)
        imp.add_argument("--organisation", required=True)
        imp.add_argument("--dry-run", action="store_true", help="Show the differences; write nothing.")
        imp.add_argument("--as-user")

    def handle(self, *args, verb: str, organisation: str | None, as_user: str | None, **options):
        if verb in ("export", "import"):
            return self._register(verb, organisation or "", as_user, **options)
        file: Path = options["file"]
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        org = by = None
        if organisation:
            org = Organisation.objects.filter(ods_code__iexact=organisation).first()
            if org is None:
                raise CommandError(f"No organisation has the ODS code {organisation}.")
            by = command_actor(organisation=org, username=as_user)
        try:
            scheme = scheme_file_load(text=text, by=by, organisation=org)
        except ValidationError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {scheme.name} version {scheme.version}."))

    def _register(self, verb: str, organisation: str, as_user: str | None, **options) -> None:
        from ...register import wards_export, wards_import

        org = Organisation.objects.filter(ods_code__iexact=organisation).first()
        try:
            if org is None:
                raise LookupError(f"No organisation has the ODS code {organisation}.")
            by = command_actor(organisation=org, username=as_user)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if verb == "export":
            options["out"].write_bytes(wards_export(user=by, organisation=org))
            self.stdout.write(f"Wrote {options['out']}.")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            results = wards_import(
                organisation=org,
                by=by,
                file=Upload(name=path.name, data=path.read_bytes()),
                dry_run=options["dry_run"],
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        problems = [f"{r.register.sheet}: {p}" for r in results for p in r.problems]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) found; nothing was imported.")
        for result in results:
            for line in result.lines():
                self.stdout.write(f"{result.register.sheet}: {line}")
            done = "Dry run" if options["dry_run"] else "Imported"
            self.stdout.write(f"{done}, {result.register.sheet}: {result.summary()}.")
