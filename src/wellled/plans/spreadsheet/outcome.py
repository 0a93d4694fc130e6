"""What an import says: its refusals, the preview of what would change, and what it did."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from wellled.core.models import DeliveryStatus, Organisation, User
from wellled.frameworks.models import FrameworkElement

from ..models import Plan
from .interpret import ActionRow
from .lead_rules import Invitee
from .position import FindingsSource
from .problems import Level, Problem

ORIGINAL_TIMESCALE_REASON = "Original timescale"  # as action_create writes it
IMPORT_REVISION_REASON = "Revised in the imported spreadsheet {file}"
# A status changed with no progress text still becomes a progress update, so an action's status is always its
# latest update's (pages, papers and exceptions then agree).
IMPORT_STATUS_ONLY = (
    "Status set to {code} in the imported spreadsheet {file}; the file gave no progress text."
)
IMPORT_AWAITED_ONLY = (
    "Update awaited: the imported spreadsheet {file} gave status {code} and no progress text."
)
POSITION_GIVEN = "the date given for this import"
POSITION_FROM_LINE = "the workbook’s line ‘{line}’"
POSITION_CYCLE_CLOSED = (
    "The plan’s cycle {cycle} has this position date and is closed: its paper does not change, so the imported "
    "updates show in later papers."
)
BASELINE_CYCLE_NAME = "Position as at {day} (imported)"
LEAD_CHOICE_FIELD = "lead:"  # the preview form's field for each lead matched by initials, then the token
LEAD_CHOICE_INVITE = "invite"  # the choice "someone else: invite them"
LEAD_CHOICE_UNKNOWN = "The person chosen for ‘{token}’ is not at {organisation}: choose again."
PENDING_IMPORT_LIFETIME = datetime.timedelta(hours=24)
BULK_BATCH_SIZE = 500
READINGS_KEPT = 2  # files whose reading is kept in memory: the apply after a preview does not read them again
GENERATED_SECTION_PREFIX = "S"  # code of a section whose heading has none (S1, S2…)

PLAN_NAME_TAKEN = (
    "There is already a plan called ‘{name}’: import into it from its page, or choose another name."
)
PLAN_NAME_MISSING = "Enter the name of the new plan."
OUT_OF_DATE = (
    "The plan has changed since this file was checked, so nothing has been imported. Check the changes again, "
    "then import."
)
ALREADY_IMPORTED = "This file has already been imported."
EXPIRED = "This upload has expired: upload the file again to import it."


class ImportRefused(Exception):
    """The file has errors or cannot be read, or the upload is spent; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.level == Level.ERROR] or problems
        super().__init__("; ".join(str(p) for p in errors[:3]))


class ImportOutOfDate(Exception):
    """The plan changed after the preview was shown; nothing was saved."""

    def __init__(self):
        super().__init__(OUT_OF_DATE)


@dataclass
class ActionChange:
    """What importing one row would do to its action: create it, change it (and how), or nothing."""

    reference: str
    row: int
    kind: str  # "create", "update" or "unchanged"
    changes: list[str] = field(default_factory=list)
    action_id: int | None = None
    version: int | None = None
    source: ActionRow | None = field(default=None, repr=False)
    fields: dict = field(
        default_factory=dict, repr=False
    )  # title, section, lead, lead_note, success_measure…
    new_timescales: list[tuple[datetime.date, str]] = field(default_factory=list, repr=False)
    new_update: bool = False
    new_status: bool = False

    @property
    def read(self) -> ActionRow:
        """The file's row behind a create or an update (the preview always keeps it for those)."""
        if self.source is None:
            raise ValueError(f"Row {self.row} was not read from the file.")
        return self.source


@dataclass
class LeadMatch:
    """A lead the file names by initials that match someone at the organisation: shown in the preview for the editor
    to confirm or change (ADR 0033), never matched silently."""

    token: str
    person: User
    rows: list[int] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        return LEAD_CHOICE_FIELD + self.token.casefold()


@dataclass(frozen=True)
class LegendWording:
    """A status the workbook's key words differently from the organisation's scale: offered, never applied
    unasked (an administrator may take it with the import)."""

    status: DeliveryStatus
    wording: str


@dataclass
class NewSection:
    """A section the import would add to the plan."""

    key: str
    code: str
    title: str
    framework_element: FrameworkElement | None = None


@dataclass
class ImportPreview:
    """Everything an import would do, and every problem with the file; nothing has been saved."""

    file_name: str
    organisation: Organisation
    plan: Plan | None
    plan_name: str
    sha256: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[ActionRow] = field(default_factory=list)
    actions: list[ActionChange] = field(default_factory=list)
    new_sections: list[NewSection] = field(default_factory=list)
    invitees: list[Invitee] = field(default_factory=list)
    new_findings: dict[int, str] = field(default_factory=dict)
    changed_findings: dict[int, str] = field(default_factory=dict)
    untouched: list[str] = field(default_factory=list)  # references of the plan's actions the file leaves out
    readable: bool = True
    position_as_at: datetime.date | None = None  # dates every imported update and timescale (ADR 0033)
    position_from: str = ""  # where that date came from, in words, for the preview
    findings_source: FindingsSource | None = None
    lead_matches: list[LeadMatch] = field(default_factory=list)
    legend_offer: list[LegendWording] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == Level.WARNING]

    @property
    def ok(self) -> bool:
        return self.readable and not self.errors

    @property
    def to_create(self) -> list[ActionChange]:
        return [a for a in self.actions if a.kind == "create"]

    @property
    def to_update(self) -> list[ActionChange]:
        return [a for a in self.actions if a.kind == "update"]

    @property
    def unchanged(self) -> list[ActionChange]:
        return [a for a in self.actions if a.kind == "unchanged"]

    @property
    def fingerprint(self) -> str:
        """A digest of the changes and of the versions they start from: the same only if nothing moved on."""
        content = {
            "plan": self.plan.pk if self.plan else None,
            "name": self.plan_name,
            "file": self.sha256,
            "actions": [(a.reference, a.kind, a.action_id, a.version, a.changes) for a in self.actions],
            "sections": [(s.code, s.title) for s in self.new_sections],
            "people": [i.key for i in self.invitees],
            "findings": [sorted(self.new_findings.items()), sorted(self.changed_findings.items())],
            "position": self.position_as_at,
            "leads": [(m.token, m.person.pk) for m in self.lead_matches],
        }
        return hashlib.sha256(json.dumps(content, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class ImportResult:
    """What an import did."""

    plan: Plan
    file_name: str
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    invited: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "plan": self.plan.pk,
            "plan_name": self.plan.name,
            "file_name": self.file_name,
            "created": self.created,
            "updated": [[r, c] for r, c in self.updated],
            "unchanged": self.unchanged,
            "invited": self.invited,
            "sections": self.sections,
            "findings": self.findings,
            "warnings": self.warnings,
        }
