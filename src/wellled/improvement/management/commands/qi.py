"""`wellled qi export --organisation ODS --out projects.xlsx`: the QI projects as a workbook.
`wellled qi import projects.xlsx --organisation ODS [--dry-run] [--as-user USERNAME]`: the same workbook back,
matched by project ID; --dry-run prints each row's differences and writes nothing; otherwise every change is
written, or none if any row has a problem."""

from __future__ import annotations

from wellled.core.management.register_command import RegisterCommand

from ...register import projects_export, projects_import


class Command(RegisterCommand):
    help = (
        "QI projects both ways: `qi export` writes the workbook, `qi import` reads it back (all or nothing)."
    )
    export = staticmethod(projects_export)
    run = staticmethod(projects_import)
