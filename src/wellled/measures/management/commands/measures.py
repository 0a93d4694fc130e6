"""`wellled measures load FILE --organisation ODS [--as-user USERNAME] [--dry-run]`: load measure values from a file;
`wellled measures export FILE.xlsx --organisation ODS [--measure NAME]`: write them in the same layout.

The file has the upload layout (measure, period, value or numerator and denominator). Every problem is printed with
its row and column and nothing is saved unless every row is right; a figure for a period that already has one
replaces it and the earlier figure is kept; periods the file does not mention are left as they are. A dry run prints
what would change, row by row.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, User
from wellled.measures import exports, importers, services
from wellled.measures.models import Measure, MeasureValue
from wellled.measures.periods import period_label


def _figures(measure: Measure, row) -> str:
    """A row's figures as the dry run prints them, exactly as stored: 240, 305.5, 35 / 120, or blank (a period
    known to be missing)."""
    if measure.has_denominator:
        if row.numerator is None:
            return "blank"
        return f"{row.numerator:g} / {row.denominator:g}"
    return "blank" if row.value is None else f"{row.value:g}"


class Command(BaseCommand):
    help = "Work with measures from the command line: `measures load FILE --organisation ODS`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        load = sub.add_parser("load", help="Load measure values from a CSV or XLSX file.")
        load.add_argument("file", help="The CSV or XLSX file.")
        load.add_argument("--organisation", required=True, help="The organisation's ODS code.")
        load.add_argument(
            "--as-user",
            help="Record the load as this person (a governance editor or administrator "
            "of the organisation); without it the audit log says System.",
        )
        load.add_argument(
            "--dry-run", action="store_true", help="Check the file and print what would change, row by row."
        )
        export = sub.add_parser("export", help="Write measure values to an .xlsx file in the upload layout.")
        export.add_argument("file", help="The .xlsx file to write.")
        export.add_argument("--organisation", required=True, help="The organisation's ODS code.")
        export.add_argument("--measure", help="Only this measure (its name); without it, every measure.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            return self._load(
                options["file"], options["organisation"], options.get("as_user"), options["dry_run"]
            )
        if subcommand == "export":
            return self._export(options["file"], options["organisation"], options.get("measure"))
        raise CommandError(f"Unknown subcommand {subcommand}.")

    def _organisation(self, ods: str) -> Organisation:
        organisation = Organisation.objects.filter(ods_code=ods.upper()).first()
        if organisation is None:
            raise CommandError(f"No organisation has the ODS code {ods}.")
        return organisation

    def _export(self, file: str, ods: str, name: str | None) -> None:
        organisation = self._organisation(ods)
        measures = list(Measure.objects.filter(organisation=organisation).order_by("name"))
        if name is not None:
            measures = [m for m in measures if m.name.strip().lower() == name.strip().lower()]
            if not measures:
                raise CommandError(f"{organisation.name} has no measure called {name}.")
        values = list(MeasureValue.objects.filter(measure__in=measures))
        Path(file).write_bytes(exports.values_workbook(measures, values))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(values)} values of {len(measures)} measure(s) to {file}.")
        )

    def _dry_run(self, path: Path, parsed: importers.ParsedFile, organisation: Organisation) -> None:
        existing = {
            (v.measure_id, v.period): v
            for v in MeasureValue.objects.filter(
                measure__organisation=organisation, measure__in={r.measure.pk for r in parsed.rows}
            )
        }
        changes = importers.compare(parsed, existing)
        for entry in changes:
            measure = entry.measure
            for change in sorted(entry.corrected + entry.added, key=lambda c: c.row):
                old = "no figure" if change.old is None else _figures(measure, change.old)
                self.stdout.write(
                    f"Row {change.row}: {measure.name}, {period_label(change.period, measure.frequency)}: "
                    f"{old} → {_figures(measure, change.new)}"
                )
        added = sum(len(e.added) for e in changes)
        corrected = sum(len(e.corrected) for e in changes)
        unchanged = sum(e.unchanged for e in changes)
        kept = sum(e.kept for e in changes)
        self.stdout.write(
            f"{path.name} is ready: {added} would be added, {corrected} corrected, {unchanged} unchanged, across "
            f"{len(changes)} measure(s); {kept} stored value(s) not in the file would be left as they are. "
            "Nothing saved (--dry-run)."
        )

    def _load(self, file: str, ods: str, username: str | None, dry_run: bool) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        organisation = self._organisation(ods)
        by = None
        if username:
            by = User.objects.filter(username=username).first()
            if not is_current_member(user=by, organisation_id=organisation.pk):
                raise CommandError(f"{username} is not a member of {organisation.name}.")
        measures = list(Measure.objects.filter(organisation=organisation))
        parsed = importers.parse_upload(name=path.name, data=path.read_bytes(), measures=measures)
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(f"{path.name}: {error}")
            if parsed.more_errors:
                self.stderr.write(f"{path.name}: and {parsed.more_errors} more problems.")
            raise CommandError(
                f"{path.name} has {len(parsed.errors) + parsed.more_errors} problem(s); nothing saved."
            )
        if dry_run:
            self._dry_run(path, parsed, organisation)
            return
        try:
            outcome = services.values_load(
                organisation=organisation, by=by, rows=[r.value for r in parsed.rows], source=path.name
            )
        except PermissionDenied:
            raise CommandError(f"{username}'s role does not allow loading measure data.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " Nothing saved.") from None
        added = sum(o.added for o in outcome.values())
        corrected = sum(o.corrected for o in outcome.values())
        unchanged = sum(o.unchanged for o in outcome.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {path.name} into {organisation.name}: {added} added, {corrected} corrected, {unchanged} "
                f"unchanged, across {len(outcome)} measure(s)."
            )
        )
