"""`wellled ratings import FILE --organisation ODS [--dry-run]`: load published ratings from a CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wellled.assessments.importers import MAX_BYTES, RatingsImportError, ratings_import
from wellled.core.management.command_kit import command_organisation


class Command(BaseCommand):
    help = "Import published ratings (CQC's CSV shape) for an organisation: every row or none."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{import}")
        load = subcommands.add_parser(
            "import", help="Import ratings from a CSV file (see docs/assessments.md)."
        )
        load.add_argument("file", type=Path, help="The CSV file.")
        load.add_argument("--organisation", metavar="ODS", required=True, help="The trust's ODS code.")
        load.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would be added."
        )

    def handle(self, *args, subcommand: str, **options):
        organisation = command_organisation(options["organisation"])
        path: Path = options["file"]
        try:
            too_big = path.stat().st_size > MAX_BYTES  # refused before it is read
            if too_big:
                raise CommandError(
                    f"{path}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it and import each "
                    "part. Nothing was imported."
                )
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({getattr(exc, 'strerror', None) or exc}).")
        try:
            result = ratings_import(organisation=organisation, text=text, by=None, dry_run=options["dry_run"])
        except RatingsImportError as exc:
            for line in exc.errors:
                self.stderr.write(f"{path}: {line}")
            count = len(exc.errors)
            raise CommandError(
                f"{path}: {count} problem{'s' if count != 1 else ''} found; nothing was imported."
            )
        prefix = "Dry run, nothing saved. " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{organisation.name}: {result.summary}"))
