"""`wellled frameworks load FILE [--organisation ODS]` and `wellled frameworks list`: frameworks as data."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from wellled.core.management.command_kit import command_organisation
from wellled.frameworks.models import Framework
from wellled.frameworks.services import FrameworkFileError, framework_load

SHARED_LABEL = "shared"


def _check_yaml(path: Path, text: str) -> None:
    """Report unparseable YAML on one line, with the line and column where it went wrong."""
    try:
        yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CommandError(f"{path}{where}: not valid YAML ({exc.problem or exc.context}).")
    except yaml.YAMLError as exc:
        raise CommandError(f"{path}: not valid YAML ({' '.join(str(exc).split())}).")


class Command(BaseCommand):
    help = "Load a framework file (a trust's own, or a shipped one refreshed) or list the loaded frameworks."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{load,list}")
        load = subcommands.add_parser("load", help="Load or refresh a framework from a YAML file.")
        load.add_argument("file", type=Path, help="The framework YAML file (see docs/frameworks.md).")
        load.add_argument(
            "--organisation",
            metavar="ODS",
            help="The ODS code of the trust whose own framework this is; without it, a shared one.",
        )
        subcommands.add_parser("list", help="List the loaded frameworks with their element counts.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "load":
            self._load(options["file"], options.get("organisation"))
        else:
            self._list()

    def _load(self, path: Path, ods_code: str | None) -> None:
        """Load one file; any problem is one line naming the entry and field, and nothing is saved."""
        organisation = None
        if ods_code:
            organisation = command_organisation(ods_code)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc}).")
        _check_yaml(path, text)
        try:
            framework = framework_load(text=text, by=None, organisation=organisation)
        except FrameworkFileError as exc:
            raise CommandError(f"{path}: {' '.join(str(exc).split())}")
        owner = organisation.name if organisation else SHARED_LABEL
        count = framework.elements.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {framework.name} (key {framework.key}, version {framework.version}) for {owner}: "
                f"{count} element{'s' if count != 1 else ''}."
            )
        )

    def _list(self) -> None:
        """One line per framework: key, version, owner, element count and name."""
        frameworks = Framework.objects.select_related("organisation").order_by(
            "organisation__name", "key", "version"
        )
        if not frameworks:
            self.stdout.write("No frameworks are loaded. Run `wellled migrate` to load the shipped ones.")
            return
        for framework in frameworks:
            owner = framework.organisation.ods_code if framework.organisation else SHARED_LABEL
            count = framework.elements.count()
            self.stdout.write(
                f"{framework.key:<28} {framework.version:<10} {owner:<10} {count:>4} elements  "
                f"{framework.name}"
            )
