"""Applying an import, all of it or nothing: people to invite, sections and findings through their usual services,
and the actions in bulk with the records the single-action services would write (ADR 0011)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from wellled.core.audit import AuditEntry, audit_record_many, snapshot
from wellled.core.bulk import insert_many
from wellled.core.choices import AuditAction, Role
from wellled.core.collector import collector_paused
from wellled.core.formatting import long_date
from wellled.core.models import DeliveryStatus, Organisation, User
from wellled.core.service_kit import AS_IT_STANDS, record_create
from wellled.core.services import delivery_scale_update, person_create

from .. import services
from ..choices import CycleState, DatePrecision, PlanKind, PlanOrganisedBy
from ..models import Action, Plan, ProgressUpdate, ReportingCycle, TimescaleRevision
from ..position.stored import standing_refresh
from .compare import import_permission_require, plan_import_preview
from .interpret import ActionRow
from .lead_rules import Invitee
from .outcome import (
    BASELINE_CYCLE_NAME,
    BULK_BATCH_SIZE,
    IMPORT_AWAITED_ONLY,
    IMPORT_REVISION_REASON,
    IMPORT_STATUS_ONLY,
    ORIGINAL_TIMESCALE_REASON,
    ActionChange,
    ImportOutOfDate,
    ImportRefused,
    ImportResult,
)


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
    as_at: datetime.date | None = None,
    lead_choices: dict[str, str] | None = None,
    legend_wording: bool = False,
) -> ImportResult:
    """Import the spreadsheet into the plan (or a new plan) in one transaction: everything, or nothing if the file
    has any error or the plan changed since the preview whose fingerprint is given."""
    import_permission_require(by, organisation)
    plan = None
    if plan_or_none is not None:
        plan = Plan.objects.select_for_update().get(pk=plan_or_none.pk)
        if plan.organisation_id != organisation.pk:
            raise PermissionDenied("That plan belongs to another organisation.")
        list(Action.objects.select_for_update().filter(plan=plan).values_list("pk", flat=True))
    read_preview = functools.partial(
        plan_import_preview,
        organisation=organisation,
        plan_or_none=plan,
        file=file,
        by=by,
        plan_name=plan_name,
        as_at=as_at,
    )
    preview = read_preview(progress=progress)
    if not preview.ok:
        raise ImportRefused(preview.problems)
    if expected_fingerprint is not None and expected_fingerprint != preview.fingerprint:
        raise ImportOutOfDate()
    if lead_choices:  # the preview the editor saw, with whom they chose for the leads matched by initials
        preview = read_preview(lead_choices=lead_choices)
        if not preview.ok:
            raise ImportRefused(preview.problems)
    at = timezone.now()
    if legend_wording and preview.legend_offer:  # the administrator takes the workbook's wording of the scale
        delivery_scale_update(
            organisation=organisation,
            by=by,
            changes={w.status.pk: {"meaning": w.wording} for w in preview.legend_offer},
        )
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
            finding=findings[number], by=by, expected_version=AS_IT_STANDS, text=text
        )
    source = preview.findings_source
    for number, text in sorted(preview.new_findings.items()):
        # A workbook's finding has no category unless it says so: none is invented (ADR 0033).
        findings[number] = services.finding_create(
            plan=plan,
            by=by,
            number=number,
            text=text,
            finding_type="",
            **({"source": source.source, "source_date": source.source_date} if source else {}),
        )
    writer = _Writer(
        plan=plan,
        by=by,
        at=at,
        file_name=preview.file_name,
        sections=sections,
        findings=findings,
        invited=invited,
        position=preview.position_as_at,
        cycle=_baseline_cycle(plan, preview.position_as_at, by=by, at=at),
    )
    with collector_paused():
        writer.create(preview.to_create)
        writer.update(preview.to_update)
        writer.statuses_by_position()
    standing_refresh(plan.actions.all())  # the plan's actions as they now stand (ADR 0061)
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


def _baseline_cycle(plan: Plan, position: datetime.date | None, *, by: User, at: datetime.datetime):
    """The cycle imported updates answer: the plan's cycle for the position date, else a closed cycle made for it
    (the workbook's paper becomes the baseline the next paper's movement is measured from); without a position
    date, the open cycle, as for any update."""
    if position is None:
        return plan.cycles.filter(state=CycleState.OPEN).first()
    cycle = plan.cycles.filter(position_as_at=position).first()
    if cycle is not None:
        return cycle
    cycle = ReportingCycle(
        plan=plan,
        name=BASELINE_CYCLE_NAME.format(day=long_date(position)),
        position_as_at=position,
        update_deadline=position,
        state=CycleState.CLOSED,
        opened_at=at,
        opened_by=by,
        closed_at=at,
    )
    return record_create(
        instance=cycle,
        by=by,
        organisation=plan.organisation,
        permission=None,  # import_permission_require ran before anything was written
        note="Made for the position date of an imported workbook",
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

    def __init__(self, *, plan, by, at, file_name, sections, findings, invited, position, cycle):
        self.plan, self.by, self.at = plan, by, at
        self.sections, self.findings, self.invited = sections, findings, invited
        self.reason = IMPORT_REVISION_REASON.format(file=file_name)[:500]
        self.file_name = file_name
        self.position = position  # None: updates report their own date, else the day of the import
        self.cycle = cycle
        self.organisation = plan.organisation
        self.touched: set[int] = set()

    def _leads(self, choices) -> tuple[User | None, list[User]]:
        people = [c.person if c.person else self.invited[c.invitee.key] for c in choices]
        return (people[0] if people else None), people[1:]

    def _update_for(self, action: Action, row: ActionRow) -> ProgressUpdate:
        status = _status_of(row)
        blank = IMPORT_AWAITED_ONLY if row.update_awaited else IMPORT_STATUS_ONLY
        narrative = row.narrative or blank.format(code=status.code, file=self.file_name)
        self.touched.add(action.pk)
        return ProgressUpdate(
            action=action,
            cycle_id=self.cycle.pk if self.cycle else None,
            narrative=narrative,
            status_id=status.pk,
            update_date=row.update_date or self.position or timezone.localdate(self.at),
            awaited=row.update_awaited,
            created_by_id=self.by.pk,
            created_at=self.at,
        )

    def statuses_by_position(self) -> None:
        """Each touched action's status is its latest update by position, then by recording time (ADR 0032): an
        imported position older than one already recorded does not overwrite it."""
        if not self.touched:
            return
        latest: dict[int, int] = {}
        for action_id, status_id in (
            ProgressUpdate.objects.filter(action_id__in=self.touched)
            .order_by("action_id", "update_date", "created_at", "id")
            .values_list("action_id", "status_id")
        ):
            latest[action_id] = status_id
        stale = [
            Action(pk=pk, status_id=latest[pk])
            for pk, status_id in Action.objects.filter(pk__in=latest).values_list("pk", "status_id")
            if status_id != latest[pk]
        ]
        Action.objects.bulk_update(stale, fields=["status"], batch_size=BULK_BATCH_SIZE)

    def create(self, changes: list[ActionChange]) -> None:
        if not changes:
            return
        order = self.plan.actions.aggregate(top=Max("order"))["top"] or 0
        actions, extras = [], []
        for i, change in enumerate(changes, start=1):
            row = change.read
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
            extras.append((row, others, findings, change.new_update))
        insert_many(actions)
        ids = dict(Action.objects.filter(plan_id=self.plan.pk).values_list("reference", "pk"))
        for action in actions:
            action.pk = ids[action.reference]  # references are unique in a plan
            action._state.adding, action._state.db = False, Action.objects.db
        lead_links, finding_links, revisions, updates, entries = [], [], [], [], []
        for action, (row, others, findings, new_update) in zip(actions, extras, strict=True):
            lead_links += [Action.other_leads.through(action_id=action.pk, user_id=p.pk) for p in others]
            finding_links += [Action.findings.through(action_id=action.pk, finding_id=f.pk) for f in findings]
            revisions += [
                TimescaleRevision(
                    action_id=action.pk,
                    due_date=due,
                    precision=precision,
                    created_by_id=self.by.pk,
                    reason=ORIGINAL_TIMESCALE_REASON if j == 0 else self.reason,
                    position_date=self.position,
                    created_at=self.at,
                )
                for j, (due, precision) in enumerate(row.timescale.dates)
            ]
            if new_update:
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
            action, row = actions[_known(change.action_id)], change.read
            m2m: dict[str, Iterable[int]] = {
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
                        position_date=self.position,
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
                note = f"Progress update recorded: {_status_of(row).code}"
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


def _status_of(row: ActionRow) -> DeliveryStatus:
    """The status a row's update records (a row that brings an update always has one)."""
    if row.status is None:
        raise ValueError(f"Row {row.row} brings an update without a status.")
    return row.status


def _known(action_id: int | None) -> int:
    """The id of an action the preview matched (an update always names one)."""
    if action_id is None:
        raise ValueError("An update names no action.")
    return action_id
