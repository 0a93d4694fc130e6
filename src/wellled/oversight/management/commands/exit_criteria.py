"""`wellled exit_criteria export --organisation ODS --out criteria.xlsx`: an oversight body's exit criteria and their
evidence as a workbook, a sheet each.
`wellled exit_criteria import criteria.xlsx --organisation ODS [--dry-run] [--as-user USERNAME]`: the same
workbook back, matched by the criterion's and the evidence's IDs; --dry-run prints each row's differences and
writes nothing; otherwise every change is written, or none if any row has a problem."""

from __future__ import annotations

from wellled.core.management.register_command import RegisterCommand

from ...register import criteria_export, criteria_import


class Command(RegisterCommand):
    help = "Exit criteria and evidence both ways: `export` writes the workbook, `import` reads it back."
    export = staticmethod(criteria_export)
    run = staticmethod(criteria_import)
