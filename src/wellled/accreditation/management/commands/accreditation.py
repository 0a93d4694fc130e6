"""`wellled accreditation load FILE [--organisation ODS]`: load an accreditation scheme file (checked, line named)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.models import Organisation
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

    def handle(self, *args, verb: str, file: Path, organisation: str | None, as_user: str | None, **options):
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
