"""`wellled ftsu return --organisation ODS --quarter "2024/25 Q1" --out FILE.csv|.xlsx [--as-user U] [--definition
FILE] [--suppressed]`: the quarterly return, exact only when acting as a guardian (suppressed otherwise).
`wellled ftsu retention [--today YYYY-MM-DD]`: the scheduled job that erases cases closed longer ago than the
retention period (WELLLED_FTSU_RETENTION_YEARS), keeping their counts.
`wellled ftsu national FILE`: load (or replace) a financial year's national figures for the board report."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wellled.core.models import Organisation
from wellled.core.selectors import command_actor

from ...national import NationalFileError
from ...periods import quarter_parse
from ...returns import (
    DEFAULT_DEFINITION,
    DefinitionError,
    definition_load,
    quarter_return,
    return_csv,
    return_xlsx,
)
from ...services import cases_erase_expired, national_figures_load


class Command(BaseCommand):
    help = "Freedom to Speak Up: the quarterly return as CSV or Excel, and the retention job."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        ret = sub.add_parser("return", help="Write a quarter's return (CSV or .xlsx, by the file's name).")
        ret.add_argument("--organisation", required=True, help="The organisation's ODS code.")
        ret.add_argument("--quarter", required=True, help="The financial quarter, like 2024/25 Q1.")
        ret.add_argument("--out", required=True, type=Path)
        ret.add_argument("--as-user", help="Act as this member (default: its first administrator).")
        ret.add_argument(
            "--definition", type=Path, default=DEFAULT_DEFINITION, help="The return's definition file."
        )
        ret.add_argument(
            "--suppressed", action="store_true", help="A guardian's copy suppressed as others see it."
        )
        keep = sub.add_parser(
            "retention", help="Erase closed cases past the retention period, keeping counts."
        )
        keep.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        national = sub.add_parser(
            "national",
            help="Load a year's national figures for the board report's comparison (replaces that year's).",
        )
        national.add_argument(
            "file", type=Path, help="A national figures file, like ftsu/data/national-2024-25.yaml."
        )

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "national":
            try:
                loaded = national_figures_load(path=options["file"])
            except NationalFileError as exc:
                raise CommandError(str(exc)) from None
            shown = " (illustrative)" if loaded.illustrative else ""
            self.stdout.write(f"Loaded {len(loaded.figures)} national figures for {loaded.year}{shown}.")
            return
        if verb == "retention":
            erased = cases_erase_expired(today=options["today"])
            self.stdout.write(f"Erased {erased} case{'' if erased == 1 else 's'} past the retention period.")
            return
        org = Organisation.objects.filter(ods_code__iexact=options["organisation"]).first()
        if org is None:
            raise CommandError(f"No organisation has the ODS code {options['organisation']}.")
        try:
            by = command_actor(organisation=org, username=options["as_user"])
            quarter = quarter_parse(options["quarter"])
            definition = definition_load(options["definition"])
        except (LookupError, ValueError, DefinitionError) as exc:
            raise CommandError(str(exc)) from None
        result = quarter_return(
            user=by,
            organisation=org,
            quarter=quarter,
            definition=definition,
            suppressed=options["suppressed"],
        )
        out: Path = options["out"]
        out.write_bytes(return_xlsx(result) if out.suffix.lower() == ".xlsx" else return_csv(result))
        shown = "suppressed" if result.suppressed else "exact (guardian)"
        self.stdout.write(f"Wrote {out}: the {quarter.label} return, {shown}{', nil' if result.nil else ''}.")
