"""Import an action plan from a spreadsheet: a preview of what would change, then all of it or nothing.

`plan_import_preview` reads the file and compares it with the plan; it writes nothing. `plan_import_apply` does
the same inside one transaction with the plan's rows locked, refuses if the file has any error or if the plan moved
on since the preview (its fingerprint differs), then writes: people to invite and sections and findings through
their usual services, and the actions in bulk, with the records the single-action services would write (an
action's creation; each timescale revision, progress update and edit with its audit record). Bulk, because 5,000
rows through `action_create` one by one take over a minute. A re-import matches actions by reference and updates
them; it never deletes an action the file leaves out.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from wellled.core.audit import AuditEntry, audit_record, audit_record_many, snapshot
from wellled.core.bulk import insert_many
from wellled.core.choices import AuditAction, Role
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.selectors import delivery_statuses, organisation_people
from wellled.core.service_kit import permission_require
from wellled.core.services import person_create

from .. import services
from ..choices import ActionState, CycleState, DatePrecision, ImportState, PlanKind, PlanOrganisedBy
from ..models import Action, Plan, PlanImport, ProgressUpdate, TimescaleRevision
from ..selectors import actions_for_user
from .interpret import (
    ACTION_CLOSED,
    ActionRow,
    Heading,
    Invitee,
    Level,
    PeopleIndex,
    Problem,
    Reading,
    read_actions,
    timescale_text,
)
from .read import SpreadsheetFile, UnreadableFile, load_file, read_spreadsheet

ORIGINAL_TIMESCALE_REASON = "Original timescale"  # as action_create writes it
IMPORT_REVISION_REASON = "Revised in the imported spreadsheet {file}"
# A status changed with no progress text still becomes a progress update, so an action's status is always its
# latest update's (pages, papers and exceptions then agree).
IMPORT_STATUS_ONLY = (
    "Status set to {code} in the imported spreadsheet {file}; the file gave no progress text."
)
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


# What a preview says ------------------------------------------------------------------------------------------


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


@dataclass
class NewSection:
    """A section the import would add to the plan."""

    key: str
    code: str
    title: str
    framework_element: object = None


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


# Reading and comparing ----------------------------------------------------------------------------------------


def _require_import(by: User, organisation: Organisation) -> None:
    """Importing edits the plan and records progress updates: editors and administrators only."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_PLANS)
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.UPDATE_ANY_ACTION)


def plan_import_preview(
    *,
    organisation: Organisation,
    plan_or_none: Plan | None,
    file,
    by: User,
    plan_name: str = "",
    progress=None,
) -> ImportPreview:
    """Read a spreadsheet and say what importing it into the plan (or a new plan) would do; saves nothing."""
    _require_import(by, organisation)
    if plan_or_none is not None and plan_or_none.organisation_id != organisation.pk:
        raise PermissionDenied("That plan belongs to another organisation.")
    plan_name = " ".join((plan_name or "").split())
    try:
        upload = load_file(file)
    except UnreadableFile as exc:
        return _unreadable(organisation, plan_or_none, plan_name, getattr(file, "name", ""), str(exc))
    preview = ImportPreview(
        file_name=upload.name,
        organisation=organisation,
        plan=plan_or_none,
        plan_name=plan_or_none.name if plan_or_none else plan_name,
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )
    if plan_or_none is None:
        if not plan_name:
            preview.problems.append(Problem(Level.ERROR, PLAN_NAME_MISSING))
        elif Plan.objects.filter(organisation=organisation, name=plan_name).exists():
            preview.problems.append(Problem(Level.ERROR, PLAN_NAME_TAKEN.format(name=plan_name)))
    reading = _reading(upload, preview, organisation=organisation, by=by, progress=progress)
    if reading is None:
        return preview
    preview.problems.extend(reading.problems)
    preview.rows = reading.rows
    preview.invitees = list(reading.invitees.values())
    _compare(preview, by=by)
    return preview


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a big file is read or written: the hundreds of thousands of
    short-lived objects otherwise set off full collections that cost a third of the time, and create no cycles
    that cannot wait a few seconds to be collected."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_readings: OrderedDict[tuple, Reading] = OrderedDict()
_readings_lock = threading.Lock()


def _reading(
    upload: SpreadsheetFile, preview: ImportPreview, *, organisation, by, progress
) -> Reading | None:
    """What the file says, read against the organisation's scale and people; None (with the reason noted on the
    preview) if it cannot be read. A reading depends only on those, so one kept from the preview is reused."""
    scale = delivery_statuses(organisation=organisation, include_inactive=True)
    people = list(organisation_people(user=by, organisation=organisation))
    key = (
        preview.sha256,
        upload.name,
        organisation.pk,
        organisation.name,
        tuple((s.pk, s.code, s.label, s.active) for s in scale),
        tuple((p.pk, p.initials, p.first_name, p.last_name, p.username, p.email) for p in people),
    )
    with _readings_lock:
        if key in _readings:
            _readings.move_to_end(key)
            return _readings[key]
    try:
        with _collector_paused():
            spreadsheet = read_spreadsheet(upload)
            reading = read_actions(
                spreadsheet,
                scale=scale,
                people=PeopleIndex(people),
                organisation_name=organisation.name,
                progress=progress,
            )
    except UnreadableFile as exc:
        preview.readable = False
        preview.problems.append(Problem(Level.ERROR, str(exc)))
        return None
    with _readings_lock:
        _readings[key] = reading
        while len(_readings) > READINGS_KEPT:
            _readings.popitem(last=False)
    return reading


def _unreadable(organisation, plan, plan_name, name, message) -> ImportPreview:
    preview = ImportPreview(
        file_name=str(name or ""),
        organisation=organisation,
        plan=plan,
        plan_name=plan.name if plan else plan_name,
        readable=False,
    )
    preview.problems.append(Problem(Level.ERROR, message))
    return preview


@dataclass
class _Current:
    """What the plan says now about one action, read in a few flat queries (a plan may have thousands)."""

    pk: int
    reference: str
    title: str
    section_code: str | None
    lead_id: int | None
    lead_note: str
    success_measure: str
    due_date: datetime.date | None
    due_precision: str
    status_id: int | None
    version: int
    state: str
    other_lead_ids: list[int] = field(default_factory=list)
    finding_numbers: list[int] = field(default_factory=list)
    timescales: list[tuple[datetime.date, str]] = field(default_factory=list)
    latest: tuple[str, int] | None = None  # the newest update's narrative and status id


def _existing_actions(preview: ImportPreview, by: User) -> dict[str, _Current]:
    if preview.plan is None:
        return {}
    actions = actions_for_user(user=by, organisation=preview.organisation).filter(plan=preview.plan)
    current = {
        row[0]: _Current(*row)
        for row in actions.values_list(
            "pk",
            "reference",
            "title",
            "section__code",
            "lead_id",
            "lead_note",
            "success_measure",
            "due_date",
            "due_precision",
            "status_id",
            "version",
            "state",
        )
    }
    in_plan = {"action__plan": preview.plan}
    for action_id, user_id in Action.other_leads.through.objects.filter(**in_plan).values_list(
        "action_id", "user_id"
    ):
        current[action_id].other_lead_ids.append(user_id)
    for action_id, number in Action.findings.through.objects.filter(**in_plan).values_list(
        "action_id", "finding__number"
    ):
        current[action_id].finding_numbers.append(number)
    for action_id, due_date, precision in (
        TimescaleRevision.objects.filter(**in_plan)
        .order_by("action_id", "created_at", "id")
        .values_list("action_id", "due_date", "precision")
    ):
        current[action_id].timescales.append((due_date, precision))
    for action_id, narrative, status_id in (
        ProgressUpdate.objects.filter(**in_plan)
        .order_by("action_id", "created_at", "id")
        .values_list("action_id", "narrative", "status_id")
    ):
        current[action_id].latest = (narrative, status_id)  # the last one wins: the newest
    return {a.reference.casefold(): a for a in current.values()}


def _compare(preview: ImportPreview, *, by: User) -> None:
    """Fill in, for every row read, what the import would create or change in the plan."""
    plan = preview.plan
    existing = _existing_actions(preview, by)
    sections = _section_keys(preview)
    findings = _finding_numbers(preview)
    people = {
        p.pk: p.display_initials for p in organisation_people(user=by, organisation=preview.organisation)
    }
    codes = {
        s.pk: s.code for s in delivery_statuses(organisation=preview.organisation, include_inactive=True)
    }
    seen = set()
    for row in preview.rows:
        key = row.reference.casefold()
        seen.add(key)
        action = existing.get(key)
        section_key = sections(row.section)
        finding_numbers = findings(row)
        if action is None:
            preview.actions.append(
                ActionChange(
                    reference=row.reference,
                    row=row.row,
                    kind="create",
                    source=row,
                    fields={"section": section_key, "findings": finding_numbers},
                    new_timescales=list(row.timescale.dates),
                    new_update=bool(row.narrative),
                    new_status=row.status is not None,
                )
            )
            continue
        change = ActionChange(
            reference=action.reference,
            row=row.row,
            kind="update",
            action_id=action.pk,
            version=action.version,
            source=row,
        )
        _compare_action(change, action, row, section_key, finding_numbers, people, codes)
        if action.state == ActionState.CLOSED and (change.new_update or change.new_status):
            preview.problems.append(
                Problem(
                    Level.ERROR, ACTION_CLOSED.format(reference=action.reference), row.row, None, row.sheet
                )
            )
        if not change.changes:
            change.kind = "unchanged"
        preview.actions.append(change)
    if plan is not None:
        preview.untouched = sorted((a.reference for k, a in existing.items() if k not in seen), key=_natural)


def _compare_action(
    change: ActionChange,
    action: _Current,
    row: ActionRow,
    section_key: str | None,
    finding_numbers: list[int] | None,
    people: dict[int, str],
    codes: dict[int, str],
) -> None:
    if row.title != action.title.strip():
        change.fields["title"] = row.title
        change.changes.append("planned action")
    current_section = action.section_code.casefold() if action.section_code else None
    if row.section is not None and section_key != current_section:
        change.fields["section"] = section_key
        change.changes.append(
            f"section: {action.section_code or 'none'} → {row.section.code or row.section.title}"
        )
    if row.leads or row.lead_note:  # a blank lead cell leaves the leads as they are
        wanted = [(c.person.pk if c.person else c.invitee.key) for c in row.leads]
        others = sorted(p for p in action.other_lead_ids if p != action.lead_id)
        current = ([action.lead_id] if action.lead_id else []) + others
        if wanted[:1] + sorted(wanted[1:], key=str) != current or row.lead_note != action.lead_note:
            change.fields["leads"] = row.leads
            change.fields["lead_note"] = row.lead_note
            old = " / ".join(people.get(p, "?") for p in current) or action.lead_note or "none"
            new = " / ".join(c.person.display_initials if c.person else c.invitee.initials for c in row.leads)
            change.changes.append(f"lead: {old} → {new or row.lead_note or 'none'}")
    if row.success_measure and row.success_measure != action.success_measure.strip():
        change.fields["success_measure"] = row.success_measure
        change.changes.append("success measure")
    if finding_numbers is not None and sorted(finding_numbers) != sorted(action.finding_numbers):
        change.fields["findings"] = finding_numbers
        change.changes.append("findings")
    _compare_timescale(change, action, row)
    _compare_progress(change, action, row, codes)


def _compare_timescale(change: ActionChange, action: _Current, row: ActionRow) -> None:
    wanted = list(row.timescale.dates)
    if not wanted:
        return
    history = list(action.timescales)
    if not history and action.due_date:
        history = [(action.due_date, action.due_precision)]
    if history and wanted[-1] == history[-1]:
        return
    extends = bool(history) and wanted[: len(history)] == history
    new = wanted[len(history) :] if extends else [wanted[-1]]
    change.new_timescales = new
    texts = [timescale_text(*history[-1])] if history else []
    texts += [timescale_text(*t) for t in new]
    change.changes.append("timescale revised: " + " → ".join(texts))


def _compare_progress(change: ActionChange, action: _Current, row: ActionRow, codes: dict[int, str]) -> None:
    if row.narrative:
        if (
            action.latest is None
            or action.latest[0].strip() != row.narrative
            or action.latest[1] != row.status.pk
        ):
            change.new_update = True
            change.changes.append(f"new progress update ({row.status.code})")
    elif row.status is not None and row.status.pk != action.status_id:
        change.new_status = True
        change.changes.append(f"status: {codes.get(action.status_id, 'none')} → {row.status.code}")


def _section_keys(preview: ImportPreview):
    """A function giving each heading's section key (its code, case-folded), noting the sections to add."""
    plan = preview.plan
    existing = list(plan.sections.select_related("framework_element")) if plan else []
    by_code = {s.code.casefold(): s for s in existing}
    by_title = {s.title.casefold(): s for s in existing}
    elements = {}
    if plan is not None and plan.framework_id:
        elements = {e.code.casefold(): e for e in plan.framework.elements.filter(parent__isnull=True)}
    added: dict[str, NewSection] = {}
    used_codes = set(by_code)

    def key_for(heading: Heading | None) -> str | None:
        if heading is None:
            return None
        if heading.code and heading.code.casefold() in by_code:
            return heading.code.casefold()
        if not heading.code and heading.title.casefold() in by_title:
            return by_title[heading.title.casefold()].code.casefold()
        if heading.key in added:
            return added[heading.key].code.casefold()
        code = heading.code
        if not code:
            n = 1
            while f"{GENERATED_SECTION_PREFIX}{n}".casefold() in used_codes:
                n += 1
            code = f"{GENERATED_SECTION_PREFIX}{n}"
        element = elements.get(code.casefold())
        title = heading.title or (element.question or element.name if element else "") or code
        used_codes.add(code.casefold())
        added[heading.key] = NewSection(
            key=code.casefold(), code=code, title=title, framework_element=element
        )
        preview.new_sections.append(added[heading.key])
        return code.casefold()

    return key_for


def _finding_numbers(preview: ImportPreview):
    """A function giving each row's finding numbers, noting the findings to add or to reword."""
    existing = {f.number: f for f in preview.plan.findings.all()} if preview.plan else {}
    by_text = {f.text.strip().casefold(): f.number for f in existing.values()}
    next_number = [max(existing, default=0)]

    def numbers_for(row: ActionRow) -> list[int] | None:
        if row.findings is None:
            return None
        numbers = []
        for number, text in row.findings:
            if number is None:
                number = by_text.get(text.casefold())
                if number is None:
                    next_number[0] = max(next_number[0], *preview.new_findings.keys(), 0) + 1
                    number = next_number[0]
            if number in existing:
                if existing[number].text.strip() != text and number not in preview.changed_findings:
                    preview.changed_findings[number] = text
            elif number not in preview.new_findings:
                preview.new_findings[number] = text
                by_text[text.casefold()] = number
            numbers.append(number)
        return numbers

    return numbers_for


def _natural(reference: str) -> list:
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", reference)]


# Applying -----------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_import_apply(
    *,
    organisation: Organisation,
    plan_or_none: Plan | None,
    file,
    by: User,
    plan_name: str = "",
    plan_kind: str = PlanKind.SELF_REVIEW,
    expected_fingerprint: str | None = None,
    progress=None,
) -> ImportResult:
    """Import the spreadsheet into the plan (or a new plan) in one transaction: everything, or nothing if the file
    has any error or the plan changed since the preview whose fingerprint is given."""
    _require_import(by, organisation)
    plan = None
    if plan_or_none is not None:
        plan = Plan.objects.select_for_update().get(pk=plan_or_none.pk)
        if plan.organisation_id != organisation.pk:
            raise PermissionDenied("That plan belongs to another organisation.")
        list(Action.objects.select_for_update().filter(plan=plan).values_list("pk", flat=True))
    preview = plan_import_preview(
        organisation=organisation, plan_or_none=plan, file=file, by=by, plan_name=plan_name, progress=progress
    )
    if not preview.ok:
        raise ImportRefused(preview.problems)
    if expected_fingerprint is not None and expected_fingerprint != preview.fingerprint:
        raise ImportOutOfDate()
    at = timezone.now()
    if plan is None:
        plan = services.plan_create(
            organisation=organisation,
            by=by,
            name=preview.plan_name,
            kind=plan_kind,
            organised_by=PlanOrganisedBy.WORKSTREAM,
        )
    invited = {i.key: _invite(i, organisation=organisation, by=by) for i in preview.invitees}
    sections = {s.code.casefold(): s for s in plan.sections.all()}
    for new in preview.new_sections:
        sections[new.key] = services.section_create(
            plan=plan, by=by, code=new.code, title=new.title, framework_element=new.framework_element
        )
    findings = {f.number: f for f in plan.findings.all()}
    for number, text in preview.changed_findings.items():
        findings[number] = services.finding_update(
            finding=findings[number], by=by, expected_version=None, text=text
        )
    for number, text in sorted(preview.new_findings.items()):
        findings[number] = services.finding_create(plan=plan, by=by, number=number, text=text)
    writer = _Writer(
        plan=plan,
        by=by,
        at=at,
        file_name=preview.file_name,
        sections=sections,
        findings=findings,
        invited=invited,
    )
    with _collector_paused():
        writer.create(preview.to_create)
        writer.update(preview.to_update)
    return ImportResult(
        plan=plan,
        file_name=preview.file_name,
        created=[a.reference for a in preview.to_create],
        updated=[(a.reference, a.changes) for a in preview.to_update],
        unchanged=len(preview.unchanged),
        invited=[person_label(invited[i.key]) for i in preview.invitees],
        sections=[f"{s.code}: {s.title}" for s in preview.new_sections],
        findings=sorted(preview.new_findings),
        warnings=[str(p) for p in preview.warnings],
    )


def person_label(person: User) -> str:
    """'Jane Smith (JS)', or the initials alone for someone known only by them."""
    name = person.get_full_name()
    return f"{name} ({person.display_initials})" if name else person.display_initials


def _invite(invitee: Invitee, *, organisation: Organisation, by: User) -> User:
    """Invite someone a file names as a lead: a person with no password yet, a lead in the organisation."""
    base = (
        slugify(
            f"{invitee.first_name} {invitee.last_name}"
            if invitee.first_name
            else f"{organisation.ods_code} {invitee.initials}"
        ).replace("-", ".")[:140]
        or "invited"
    )
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}.{n}"
    return person_create(
        username=username,
        by=by,
        organisation=organisation,
        role=Role.LEAD,
        first_name=invitee.first_name,
        last_name=invitee.last_name,
        initials=invitee.initials,
    )


class _Writer:
    """Writes an import's actions in bulk, with the rows and audit records the single-action services write."""

    def __init__(self, *, plan, by, at, file_name, sections, findings, invited):
        self.plan, self.by, self.at = plan, by, at
        self.sections, self.findings, self.invited = sections, findings, invited
        self.reason = IMPORT_REVISION_REASON.format(file=file_name)[:500]
        self.file_name = file_name
        self.cycle = plan.cycles.filter(state=CycleState.OPEN).first()
        self.organisation = plan.organisation

    def _leads(self, choices) -> tuple[User | None, list[User]]:
        people = [c.person if c.person else self.invited[c.invitee.key] for c in choices]
        return (people[0] if people else None), people[1:]

    def _update_for(self, action: Action, row: ActionRow) -> ProgressUpdate:
        narrative = row.narrative or IMPORT_STATUS_ONLY.format(code=row.status.code, file=self.file_name)
        return ProgressUpdate(
            action=action,
            cycle_id=self.cycle.pk if self.cycle else None,
            narrative=narrative,
            status_id=row.status.pk,
            update_date=row.update_date or timezone.localdate(self.at),
            created_by_id=self.by.pk,
            created_at=self.at,
        )

    def create(self, changes: list[ActionChange]) -> None:
        if not changes:
            return
        order = self.plan.actions.aggregate(top=Max("order"))["top"] or 0
        actions, extras = [], []
        for i, change in enumerate(changes, start=1):
            row = change.source
            lead, others = self._leads(row.leads)
            last = row.timescale.dates[-1] if row.timescale.dates else (None, DatePrecision.MONTH)
            section = self.sections.get(change.fields["section"])
            action = Action(
                plan_id=self.plan.pk,
                section_id=section.pk if section else None,
                reference=row.reference,
                title=row.title,
                lead_id=lead.pk if lead else None,
                lead_note=row.lead_note,
                success_measure=row.success_measure,
                due_date=last[0],
                due_precision=last[1],
                status_id=row.status.pk if row.status else None,
                last_update_at=self.at if row.narrative else None,
                order=order + i,
            )
            action.clean_fields(exclude=["plan", "section", "lead", "status"])
            actions.append(action)
            findings = [self.findings[n] for n in (change.fields["findings"] or [])]
            extras.append((row, others, findings))
        insert_many(actions)
        ids = dict(Action.objects.filter(plan_id=self.plan.pk).values_list("reference", "pk"))
        for action in actions:
            action.pk = ids[action.reference]  # references are unique in a plan
            action._state.adding, action._state.db = False, Action.objects.db
        lead_links, finding_links, revisions, updates, entries = [], [], [], [], []
        for action, (row, others, findings) in zip(actions, extras, strict=True):
            lead_links += [Action.other_leads.through(action_id=action.pk, user_id=p.pk) for p in others]
            finding_links += [Action.findings.through(action_id=action.pk, finding_id=f.pk) for f in findings]
            revisions += [
                TimescaleRevision(
                    action_id=action.pk,
                    due_date=due,
                    precision=precision,
                    created_by_id=self.by.pk,
                    reason=ORIGINAL_TIMESCALE_REASON if j == 0 else self.reason,
                    created_at=self.at,
                )
                for j, (due, precision) in enumerate(row.timescale.dates)
            ]
            if row.narrative:
                updates.append(self._update_for(action, row))
            entries.append(
                AuditEntry(
                    AuditAction.CREATE,
                    action,
                    after=snapshot(
                        action,
                        many_to_many={
                            "other_leads": [p.pk for p in others],
                            "findings": [f.pk for f in findings],
                        },
                    ),
                )
            )
        insert_many(lead_links)
        insert_many(finding_links)
        insert_many(revisions)
        self._insert_updates(updates)
        entries += [AuditEntry(AuditAction.CREATE, u) for u in updates]
        audit_record_many(by=self.by, organisation=self.organisation, entries=entries)

    def _insert_updates(self, updates: list[ProgressUpdate]) -> None:
        """Insert the progress updates and learn their ids (for their audit records): this import adds at most one
        to each action, all at the same moment."""
        insert_many(updates)
        wanted = {u.action_id for u in updates}
        ids = {
            a: pk
            for a, pk in ProgressUpdate.objects.filter(
                action__plan_id=self.plan.pk,
                created_at=self.at,
                created_by_id=self.by.pk,
            ).values_list("action_id", "pk")
            if a in wanted
        }
        for update in updates:
            update.pk = ids[update.action_id]
            update._state.adding, update._state.db = False, ProgressUpdate.objects.db

    def update(self, changes: list[ActionChange]) -> None:
        """Each change as the services make it: an edit, then timescale revisions, then the progress update."""
        if not changes:
            return
        actions = {
            a.pk: a
            for a in Action.objects.filter(pk__in=[c.action_id for c in changes]).prefetch_related(
                "other_leads", "findings"
            )
        }
        saved_fields: set[str] = set()
        links: dict[str, dict[int, list[int]]] = {"other_leads": {}, "findings": {}}
        revisions, updates, entries = [], [], []
        for change in changes:
            action, row = actions[change.action_id], change.source
            m2m = {
                "other_leads": [p.pk for p in action.other_leads.all()],
                "findings": [f.pk for f in action.findings.all()],
            }
            edited = {k: v for k, v in change.fields.items() if k != "section" or v is not None}
            if edited:
                before = snapshot(action, many_to_many=m2m)
                for name, value in edited.items():
                    if name == "leads":
                        action.lead, others = self._leads(value)
                        m2m["other_leads"] = links["other_leads"][action.pk] = [p.pk for p in others]
                        saved_fields.add("lead")
                    elif name == "findings":
                        m2m["findings"] = links["findings"][action.pk] = [self.findings[n].pk for n in value]
                    elif name == "section":
                        action.section = self.sections[value]
                        saved_fields.add("section")
                    else:
                        setattr(action, name, value)
                        saved_fields.add(name)
                action.clean_fields(exclude=["plan", "section", "lead", "status"])
                action.version += 1
                entries.append(
                    AuditEntry(
                        AuditAction.UPDATE, action, before=before, after=snapshot(action, many_to_many=m2m)
                    )
                )
            for due, precision in change.new_timescales:
                before = snapshot(action, many_to_many=m2m)
                revisions.append(
                    TimescaleRevision(
                        action=action,
                        due_date=due,
                        precision=precision,
                        reason=self.reason,
                        created_by=self.by,
                        created_at=self.at,
                    )
                )
                action.due_date, action.due_precision = due, precision
                action.version += 1
                saved_fields |= {"due_date", "due_precision"}
                entries.append(
                    AuditEntry(
                        AuditAction.UPDATE,
                        action,
                        before=before,
                        after=snapshot(action, many_to_many=m2m),
                        note=f"Timescale revised: {self.reason}",
                    )
                )
            if change.new_update or change.new_status:
                before = snapshot(action, many_to_many=m2m)
                action.status = row.status
                saved_fields.add("status")
                update = self._update_for(action, row)  # with its own text when the file gave none
                updates.append(update)
                action.last_update_at = self.at
                saved_fields.add("last_update_at")
                note = f"Progress update recorded: {row.status.code}"
                action.version += 1
                entries.append(
                    AuditEntry(
                        AuditAction.UPDATE,
                        action,
                        before=before,
                        after=snapshot(action, many_to_many=m2m),
                        note=note,
                    )
                )
            action.updated_at = self.at
        Action.objects.bulk_update(
            list(actions.values()),
            fields=sorted(saved_fields | {"version", "updated_at"}),
            batch_size=BULK_BATCH_SIZE,
        )
        for name, by_action in links.items():
            through = getattr(Action, name).through
            column = "user_id" if name == "other_leads" else "finding_id"
            through.objects.filter(action_id__in=list(by_action)).delete()
            insert_many([through(action_id=a, **{column: pk}) for a, pks in by_action.items() for pk in pks])
        insert_many(revisions)
        self._insert_updates(updates)
        # The progress update's own record comes before the action's, as progress_update_record writes them.
        entries += [AuditEntry(AuditAction.CREATE, u) for u in updates]
        audit_record_many(by=self.by, organisation=self.organisation, entries=entries)


# Uploads kept for the preview page ----------------------------------------------------------------------------


def _import_snapshot(pending: PlanImport) -> dict:
    """The upload's record for the audit log, without the file's bytes."""
    state = snapshot(pending)
    state.pop("content", None)
    return state


@transaction.atomic
def plan_import_store(
    *,
    organisation: Organisation,
    plan: Plan | None,
    file,
    by: User,
    plan_name: str = "",
    plan_kind: str = "",
) -> PlanImport:
    """Keep an uploaded spreadsheet until its preview is confirmed; earlier uploads left waiting too long expire."""
    _require_import(by, organisation)
    if plan is not None and plan.organisation_id != organisation.pk:
        raise PermissionDenied("That plan belongs to another organisation.")
    upload = load_file(file)
    read_spreadsheet(upload)  # refuse what cannot be read before keeping it
    now = timezone.now()
    for stale in PlanImport.objects.select_for_update().filter(
        organisation=organisation, state=ImportState.PENDING, uploaded_at__lt=now - PENDING_IMPORT_LIFETIME
    ):
        before = _import_snapshot(stale)
        stale.state, stale.content = ImportState.EXPIRED, b""
        stale.save(update_fields=["state", "content"])
        audit_record(
            by=by,
            organisation=organisation,
            action=AuditAction.UPDATE,
            instance=stale,
            before=before,
            after=_import_snapshot(stale),
        )
    pending = PlanImport.objects.create(
        organisation=organisation,
        plan=plan,
        plan_name=" ".join(plan_name.split())[:200],
        plan_kind=plan_kind,
        file_name=upload.name[:200],
        content=upload.data,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        uploaded_by=by,
        uploaded_at=now,
    )
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        instance=pending,
        after=_import_snapshot(pending),
    )
    return pending


def pending_file(pending: PlanImport) -> SpreadsheetFile:
    """The kept upload as a file to read."""
    return SpreadsheetFile(name=pending.file_name, data=bytes(pending.content))


def pending_is_live(pending: PlanImport, *, now: datetime.datetime | None = None) -> bool:
    """Waiting, and uploaded less than PENDING_IMPORT_LIFETIME ago."""
    now = now or timezone.now()
    return pending.state == ImportState.PENDING and pending.uploaded_at >= now - PENDING_IMPORT_LIFETIME


def plan_import_preview_pending(*, pending: PlanImport, by: User) -> ImportPreview:
    """The preview of a kept upload, against the plan as it is now."""
    return plan_import_preview(
        organisation=pending.organisation,
        plan_or_none=pending.plan,
        file=pending_file(pending),
        by=by,
        plan_name=pending.plan_name,
    )


@transaction.atomic
def plan_import_apply_pending(
    *, pending: PlanImport, by: User, expected_fingerprint: str | None
) -> ImportResult:
    """Import a kept upload whose preview was checked; the upload then keeps what was done, not the file."""
    pending = (
        PlanImport.objects.select_for_update(of=("self",))
        .select_related("organisation", "plan")
        .get(pk=pending.pk)
    )
    _require_import(by, pending.organisation)
    if pending.state == ImportState.APPLIED:
        raise ImportRefused([Problem(Level.ERROR, ALREADY_IMPORTED)])
    if not pending_is_live(pending):
        raise ImportRefused([Problem(Level.ERROR, EXPIRED)])
    result = plan_import_apply(
        organisation=pending.organisation,
        plan_or_none=pending.plan,
        file=pending_file(pending),
        by=by,
        plan_name=pending.plan_name,
        plan_kind=pending.plan_kind or PlanKind.SELF_REVIEW,
        expected_fingerprint=expected_fingerprint,
    )
    before = _import_snapshot(pending)
    pending.plan, pending.state, pending.content = result.plan, ImportState.APPLIED, b""
    pending.applied_by, pending.applied_at, pending.result = by, timezone.now(), result.as_json()
    pending.save(update_fields=["plan", "state", "content", "applied_by", "applied_at", "result"])
    audit_record(
        by=by,
        organisation=pending.organisation,
        action=AuditAction.UPDATE,
        instance=pending,
        before=before,
        after=_import_snapshot(pending),
        note=f"Imported into {result.plan.name}: {len(result.created)} added, {len(result.updated)} changed",
    )
    return result
