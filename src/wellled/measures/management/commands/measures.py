"""`wellled measures load FILE --organisation ODS [--as-user USERNAME] [--dry-run]`: load measure values from a file.

The file has the upload layout (measure, period, value or numerator and denominator). Every problem is printed with
its row and column and nothing is saved unless every row is right; a figure for a period that already has one
replaces it and the earlier figure is kept.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, User
from wellled.measures import importers, services
from wellled.measures.models import Measure


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
        load.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            return self._load(
                options["file"], options["organisation"], options.get("as_user"), options["dry_run"]
            )
        raise CommandError(f"Unknown subcommand {subcommand}.")

    def _load(self, file: str, ods: str, username: str | None, dry_run: bool) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        organisation = Organisation.objects.filter(ods_code=ods.upper()).first()
        if organisation is None:
            raise CommandError(f"No organisation has the ODS code {ods}.")
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
            names = sorted({r.measure.name for r in parsed.rows})
            self.stdout.write(
                f"{path.name} is ready: {len(parsed.rows)} rows for {len(names)} measure(s): "
                f"{', '.join(names)}. Nothing saved (--dry-run)."
            )
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
