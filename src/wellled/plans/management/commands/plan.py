"""`wellled plan import` and `wellled plan export`: an action plan in and out of a spreadsheet.

    wellled plan import plan.xlsx --organisation ZNM --plan "Well-led self-review 2025/26" [--dry-run] [--as USERNAME]
        [--as-at YYYY-MM-DD]
    wellled plan export --organisation ZNM --plan "Well-led self-review 2025/26" --format xlsx --out plan.xlsx
    wellled plan standing [--all]

`plan standing` works out again every action's kept standing position that no longer holds today (missing, or
at the day a dated update, revision or cycle comes into force; ADR 0061): run it daily from the scheduler, and
once with --all after an upgrade to fill them for existing plans.

The import prints what it would change and every problem by row and column; it saves nothing if the file has an
error (or with --dry-run), and creates the plan if the organisation has none of that name. Changes are made as
--as (a governance editor or administrator of the organisation) or else, like `wellled board-paper`, as the
organisation's first administrator: the plan services record who made every change. Bad input ends with one line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.access import current_memberships
from wellled.core.choices import Role
from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.selectors import command_actor
from wellled.plans.choices import PlanKind
from wellled.plans.position.stored import standing_refresh_due
from wellled.plans.selectors import plans_for_user
from wellled.plans.spreadsheet import export, importer
from wellled.plans.spreadsheet.read import UnreadableFile, load_file

EXIT_BAD_INPUT = 2
PROGRESS_MIN_ROWS = 500  # shorter files are read before a progress bar would be worth drawing
PROGRESS_WIDTH = 30
TITLE_SHOWN = 70  # characters of a new action's title in the listing


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Import an action plan from a spreadsheet (`plan import FILE`) or export one (`plan export`)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        load = sub.add_parser(
            "import", help="Import an .xlsx or .csv action plan into a plan (created if new)."
        )
        load.add_argument("file", help="The .xlsx or .csv file.")
        load.add_argument("--organisation", required=True, help="The organisation's ODS code, e.g. ZNM.")
        load.add_argument(
            "--plan", required=True, help="The plan's name; a new plan is created if there is none."
        )
        load.add_argument(
            "--kind",
            choices=PlanKind.values,
            default=PlanKind.SELF_REVIEW,
            help="The kind of a new plan (default: self_review).",
        )
        load.add_argument(
            "--dry-run", action="store_true", help="Check the file and show the changes; save nothing."
        )
        load.add_argument(
            "--as-at",
            dest="as_at",
            help="The position date the workbook reports (YYYY-MM-DD); it dates every imported update "
            "(default: the workbook's 'Position as at' line, else today).",
        )
        load.add_argument(
            "--as",
            "--as-user",
            dest="as_user",
            help="Make the changes as this username (default: the organisation's first administrator).",
        )
        load.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="A progress bar on stderr (default: when stderr is a terminal).",
        )
        out = sub.add_parser("export", help="Write a plan as .xlsx or .csv in the layout the import reads.")
        out.add_argument("--organisation", required=True, help="The organisation's ODS code, e.g. ZNM.")
        out.add_argument("--plan", required=True, help="The plan's name, exactly as in the app.")
        out.add_argument("--format", dest="fmt", required=True, choices=sorted(export.FORMATS))
        out.add_argument("--out", required=True, help="The file to write.")
        out.add_argument(
            "--as",
            "--as-user",
            dest="as_user",
            help="Read as this username (default: the organisation's first administrator).",
        )

        keep = sub.add_parser(
            "standing",
            help="Work out again the kept standing positions that no longer hold today (daily; ADR 0061).",
        )
        keep.add_argument(
            "--all",
            dest="every",
            action="store_true",
            help="Every action's, not only those due (after an upgrade).",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "import":
            return self._import(options)
        if subcommand == "standing":
            started = time.perf_counter()
            count = standing_refresh_due(every=options["every"])
            self.stdout.write(
                f"{count} action{'s' if count != 1 else ''}' standing positions worked out again "
                f"in {time.perf_counter() - started:.1f} s."
            )
            return None
        return self._export(options)

    # Import ---------------------------------------------------------------------------------------------------

    def _import(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise _bad(f"{path}: no such file.")
        organisation = self._organisation(options["organisation"])
        by = self._user(organisation, options["as_user"])
        role = current_memberships(user=by, organisation=organisation).values_list("role", flat=True).first()
        if not role_allows(role, Permission.MANAGE_PLANS):
            raise _bad(
                f"{by.username} is a {role.replace('_', ' ')} at {organisation.name}, and only governance "
                "editors and administrators can import plans."
            )
        name = " ".join(options["plan"].split())
        plan = plans_for_user(user=by, organisation=organisation).filter(name=name).first()
        if plan is None:
            self.stdout.write(f"{organisation.name} has no plan called ‘{name}’: the import creates it.")
        try:
            with path.open("rb") as handle:
                file = load_file(handle)
        except UnreadableFile as exc:
            raise _bad(f"{path.name}: {exc}") from None
        show_progress = options["progress"] if options["progress"] is not None else self.stderr.isatty()
        progress = self._progress if show_progress else None
        as_at = None
        if options.get("as_at"):
            try:
                as_at = datetime.date.fromisoformat(options["as_at"])
            except ValueError:
                raise _bad(f"--as-at {options['as_at']!r} is not a date: write it as YYYY-MM-DD.") from None
        # What the preview reads is what the apply saves: the same workbook, plan, person, name and date.
        same: dict[str, Any] = {
            "organisation": organisation,
            "plan_or_none": plan,
            "file": file,
            "by": by,
            "plan_name": name,
            "as_at": as_at,
        }
        preview = importer.plan_import_preview(**same, progress=progress)
        if not preview.readable:
            raise _bad(f"{path.name}: {preview.errors[0].message}")
        self._report(preview)
        if preview.errors:
            raise _bad(f"{path.name} has {len(preview.errors)} error(s); nothing saved.")
        if options["dry_run"]:
            self.stdout.write("Nothing saved (--dry-run).")
            return
        try:
            result = importer.plan_import_apply(
                **same, plan_kind=options["kind"], expected_fingerprint=preview.fingerprint
            )
        except (importer.ImportOutOfDate, importer.ImportRefused) as exc:
            raise _bad(str(exc)) from None
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise _bad(" ".join(messages) + " Nothing saved.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into {result.plan.name}: {len(result.created)} added, {len(result.updated)} "
                f"changed, {result.unchanged} unchanged."
                + (f" Invited: {', '.join(result.invited)}." if result.invited else "")
            )
        )

    def _report(self, preview: importer.ImportPreview) -> None:
        """The preview as text: counts, every problem by row and column, then each change."""
        write = self.stdout.write
        write(
            f"{preview.file_name}: {len(preview.actions)} actions read for {preview.plan_name}: "
            f"{len(preview.to_create)} to add, {len(preview.to_update)} to change, "
            f"{len(preview.unchanged)} unchanged."
        )
        if preview.position_as_at:
            write(f"Position as at {day_text(preview.position_as_at)}, from {preview.position_from}.")
        if preview.untouched:
            write(f"Not in the file, left as they are: {', '.join(preview.untouched)}.")
        for problem in preview.problems:
            write(f"  {problem.level.upper()}: {problem}")
        for section in preview.new_sections:
            write(f"  New section {section.code}: {section.title}")
        for match in preview.lead_matches:
            rows = ", ".join(str(r) for r in match.rows)
            write(
                f"  Lead ‘{match.token}’ taken to be {importer.person_label(match.person)} "
                f"(row{'s' if len(match.rows) > 1 else ''} {rows}): check, or change it on the upload page"
            )
        for person in preview.invitees:
            rows = ", ".join(str(r) for r in person.rows)
            write(f"  Person to invite: {person.display} (row{'s' if len(person.rows) > 1 else ''} {rows})")
        for change in preview.to_create:
            title = change.source.title
            title = title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1] + "…"
            write(f"  + {change.reference} (row {change.row}): {title}")
        for change in preview.to_update:
            write(f"  ~ {change.reference} (row {change.row}): {'; '.join(change.changes)}")

    def _progress(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_ROWS:
            return
        filled = PROGRESS_WIDTH * done // total
        self.stderr.write(
            f"\rReading actions [{'#' * filled}{'-' * (PROGRESS_WIDTH - filled)}] {done:,}/{total:,}",
            ending="\n" if done == total else "",
        )
        self.stderr.flush()

    # Export ---------------------------------------------------------------------------------------------------

    def _export(self, options) -> None:
        organisation = self._organisation(options["organisation"])
        by = self._user(organisation, options["as_user"])
        plans = plans_for_user(user=by, organisation=organisation)
        plan = plans.filter(name=options["plan"]).first()
        if plan is None:
            names = ", ".join(f"‘{p.name}’" for p in plans) or "none"
            raise _bad(f"{organisation.name} has no plan called ‘{options['plan']}’. Its plans: {names}.")
        path = Path(options["out"])
        if not path.parent.is_dir():
            raise _bad(f"The folder {path.parent} does not exist.")
        file = export.plan_export(user=by, organisation=organisation, plan=plan, fmt=options["fmt"])
        path.write_bytes(file.data)
        self.stdout.write(
            f"Wrote {plan.name} ({plan.actions.count()} actions) to {path} ({len(file.data):,} bytes)."
        )

    # Shared ---------------------------------------------------------------------------------------------------

    def _organisation(self, ods: str) -> Organisation:
        organisation = Organisation.objects.filter(ods_code=ods.strip().upper()).first()
        if organisation is None:
            raise _bad(f"No organisation has the ODS code {ods!r}.")
        return organisation

    def _user(self, organisation: Organisation, username: str | None) -> User:
        """The --as person, who must belong to the organisation; else its first administrator."""
        try:
            return command_actor(organisation=organisation, username=username)
        except LookupError as exc:
            raise _bad(str(exc)) from exc
        membership = (
            current_memberships(organisation=organisation, role=Role.ADMINISTRATOR)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if membership is None:
            raise _bad(f"{organisation.name} has no administrator: name a governance editor with --as.")
        return membership.user
