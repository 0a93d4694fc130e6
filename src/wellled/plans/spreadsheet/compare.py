"""Reading an uploaded file (kept for the apply that follows its preview) and comparing it with the plan; this
writes nothing."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied

from wellled.core.collector import collector_paused
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.selectors import delivery_statuses, organisation_people
from wellled.core.service_kit import permission_require

from ..choices import ActionState, CycleState
from ..models import Action, Plan, ProgressUpdate, TimescaleRevision
from ..selectors import actions_for_user
from ..timescales import timescale_text
from .heading_rules import Heading
from .interpret import ActionRow, LeadChoice, Reading, read_actions
from .lead_rules import PeopleIndex, invitee_for
from .outcome import (
    GENERATED_SECTION_PREFIX,
    LEAD_CHOICE_INVITE,
    LEAD_CHOICE_UNKNOWN,
    PLAN_NAME_MISSING,
    PLAN_NAME_TAKEN,
    POSITION_CYCLE_CLOSED,
    POSITION_FROM_LINE,
    POSITION_GIVEN,
    READINGS_KEPT,
    ActionChange,
    ImportPreview,
    LeadMatch,
    LegendWording,
    NewSection,
)
from .position import position_problem
from .problems import ACTION_CLOSED, Level, Problem
from .read import SpreadsheetFile, UnreadableFile, load_file, read_spreadsheet
from .status_rules import StatusError, match_status


def import_permission_require(by: User, organisation: Organisation) -> None:
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
    as_at: datetime.date | None = None,
    lead_choices: dict[str, str] | None = None,
) -> ImportPreview:
    """Read a spreadsheet and say what importing it into the plan (or a new plan) would do; saves nothing. The
    position date (`as_at`, else the workbook's "Position as at …" line) dates every imported update.
    `lead_choices` changes who a lead matched by initials is (token → a person's id, or "invite")."""
    import_permission_require(by, organisation)
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
    preview.findings_source = reading.findings_source
    _position(preview, reading, as_at)
    preview.legend_offer = _legend_offer(reading, organisation)
    _lead_matches(preview, lead_choices or {}, by=by)
    _compare(preview, by=by)
    return preview


def _position(preview: ImportPreview, reading: Reading, as_at: datetime.date | None) -> None:
    """The position the import reports: the date given, else the workbook's own line; checked for range."""
    if as_at is not None:
        problem = position_problem(as_at)
        if problem:
            preview.problems.append(Problem(Level.ERROR, problem))
            return
        preview.position_as_at, preview.position_from = as_at, POSITION_GIVEN
    elif reading.position_as_at is not None:
        preview.position_as_at = reading.position_as_at
        preview.position_from = POSITION_FROM_LINE.format(line=reading.position_text)
    if preview.position_as_at is not None and preview.plan is not None:
        cycle = preview.plan.cycles.filter(position_as_at=preview.position_as_at).first()
        if cycle is not None and cycle.state == CycleState.CLOSED:
            preview.problems.append(Problem(Level.WARNING, POSITION_CYCLE_CLOSED.format(cycle=cycle.name)))


def _legend_offer(reading: Reading, organisation: Organisation) -> list[LegendWording]:
    """The statuses whose meaning the workbook's key words otherwise than the organisation's scale."""
    scale = delivery_statuses(organisation=organisation, include_inactive=True)
    offer: dict[int, LegendWording] = {}
    for code, wording in reading.legend:
        try:
            status = match_status(code, scale, organisation.name)
        except StatusError:
            continue
        if status is not None and wording.strip() != status.meaning.strip() and status.pk not in offer:
            offer[status.pk] = LegendWording(status=status, wording=wording.strip()[:300])
    return list(offer.values())


def _matched_by_initials(choice: LeadChoice) -> User | None:
    """The person the file's initials were taken to mean (the editor must see whom), or None."""
    person = choice.person
    if person is None:
        return None
    token = " ".join(choice.token.split()).casefold()
    other_keys = {
        person.get_full_name().casefold(),
        person.username.casefold(),
        (person.email or "").casefold(),
    }
    return person if token == person.display_initials.casefold() and token not in other_keys else None


def _lead_matches(preview: ImportPreview, choices: dict[str, str], *, by: User) -> None:
    """List the leads matched by initials, and apply the editor's choices to the rows (copies: a reading is kept
    and shared between previews)."""
    people = {str(p.pk): p for p in organisation_people(user=by, organisation=preview.organisation)}
    matches: dict[str, LeadMatch] = {}
    invitees = {i.key: i for i in preview.invitees}
    rows = []
    for row in preview.rows:
        leads = []
        for choice in row.leads:
            matched = _matched_by_initials(choice)
            if matched is not None:
                key = choice.token.casefold()
                match = matches.setdefault(key, LeadMatch(token=choice.token, person=matched))
                match.rows.append(row.row)
                wanted = choices.get(key, "")
                if wanted == LEAD_CHOICE_INVITE:
                    invitee = invitees.get(key) or invitee_for(choice.token)
                    if invitee is not None:
                        invitee = invitees.setdefault(key, replace(invitee, rows=[]))
                        invitee.rows.append(row.row)
                        choice = LeadChoice(token=choice.token, invitee=invitee)
                elif wanted and wanted != str(matched.pk):
                    if wanted not in people:
                        message = LEAD_CHOICE_UNKNOWN.format(
                            token=choice.token, organisation=preview.organisation.name
                        )
                        preview.problems.append(Problem(Level.ERROR, message))
                    else:
                        choice = LeadChoice(token=choice.token, person=people[wanted])
            leads.append(choice)
        rows.append(replace(row, leads=leads) if leads != row.leads else row)
    preview.rows = rows
    preview.invitees = list(invitees.values())
    preview.lead_matches = list(matches.values())


_readings: OrderedDict[tuple, Reading] = OrderedDict()
_readings_lock = threading.Lock()


def readings_forget() -> None:
    """Forget the kept readings, so the next apply reads its file again (the benchmark times both ways)."""
    with _readings_lock:
        _readings.clear()


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
        with collector_paused():
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
    latest: tuple[str, int, bool] | None = None  # the latest update's narrative, status id and awaited mark


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
    for action_id, user_id in (
        Action.other_leads.through.objects.filter(**in_plan)
        .order_by("id")
        .values_list("action_id", "user_id")
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
    for action_id, narrative, status_id, awaited in (
        ProgressUpdate.objects.filter(**in_plan)
        .order_by("action_id", "update_date", "created_at", "id")
        .values_list("action_id", "narrative", "status_id", "awaited")
    ):
        current[action_id].latest = (narrative, status_id, awaited)  # the last one wins: the latest position
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
        # A Part B table's actions answer its findings and belong to no section (ADR 0033); a row whose own
        # Section cell names one (as Wellled's export writes it) keeps it.
        if (
            row.findings is not None
            and row.section is not None
            and not row.section_named
            and row.section.code.casefold() == "part b"
        ):
            row.section = None
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
                    new_update=bool(row.narrative) or (row.update_awaited and row.status is not None),
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
        wanted = [c.key for c in row.leads]
        others = [p for p in action.other_lead_ids if p != action.lead_id]  # in the order written
        current = ([action.lead_id] if action.lead_id else []) + others
        if wanted != current or row.lead_note != action.lead_note:
            change.fields["leads"] = row.leads
            change.fields["lead_note"] = row.lead_note
            old = " / ".join(people.get(p, "?") for p in current) or action.lead_note or "none"
            new = " / ".join(c.initials for c in row.leads)
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
    if row.narrative or (row.update_awaited and row.status is not None):
        if (
            action.latest is None
            or (row.narrative and action.latest[0].strip() != row.narrative)
            or action.latest[1] != row.status.pk
            or action.latest[2] != row.update_awaited
        ):
            change.new_update = True
            awaited = ", update awaited" if row.update_awaited else ""
            change.changes.append(f"new progress update ({row.status.code}{awaited})")
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
    if plan is not None and plan.framework_id and plan.framework is not None:
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
