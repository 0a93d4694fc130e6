"""Writes for plans: each validates, saves, and writes its audit record in one transaction."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from wellled.core.access import members_allowed
from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.formatting import long_date
from wellled.core.limits import fields_clean
from wellled.core.models import DeliveryStatus, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    AS_IT_STANDS,
    EditRule,
    ExpectedVersion,
    fields_update,
    locked_get,
    membership_role,
    people_check,
    permission_require,
    record_change,
    record_create,
    version_bump,
    version_check,
)
from wellled.core.url_kit import site_url
from wellled.frameworks.models import Framework, FrameworkElement

from .choices import ActionState, CycleState, DatePrecision, PlanOrganisedBy
from .models import (
    Action,
    ActionStateChange,
    Finding,
    Plan,
    ProgressUpdate,
    ReminderSent,
    ReportingCycle,
    Section,
    TimescaleRevision,
)
from .position import default_position, latest_update, position_problem
from .position.stored import standing_refresh
from .timescales import due_by, timescale_text

logger = logging.getLogger(__name__)

M = TypeVar("M", Plan, Section, Finding)


def user_may_update_action(*, user: User, action: Action) -> bool:
    """Editors may update any action; a lead only the actions they lead."""
    role = membership_role(user=user, organisation_id=action.plan.organisation_id)
    if role_allows(role, Permission.UPDATE_ANY_ACTION):
        return True
    if role_allows(role, Permission.UPDATE_OWN_ACTION):
        return action.lead_id == user.pk or action.other_leads.filter(pk=user.pk).exists()
    return False


# Plans and sections -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    organisation,
    by: User,
    name: str,
    kind: str,
    organised_by: str = PlanOrganisedBy.FRAMEWORK,
    framework: Framework | None = None,
    description: str = "",
    sections_from_framework: bool = True,
) -> Plan:
    """Create a plan; organised by a framework, it gets a section per top-level element (W1..W8)."""
    plan = Plan(
        organisation=organisation,
        name=name.strip(),
        kind=kind,
        organised_by=organised_by,
        framework=framework,
        description=description,
    )
    record_create(instance=plan, by=by, organisation=organisation, permission=Permission.MANAGE_PLANS)
    if framework is not None and organised_by == PlanOrganisedBy.FRAMEWORK and sections_from_framework:
        top = framework.elements.filter(parent__isnull=True).order_by("order")
        for order, element in enumerate(top, start=1):
            section_create(
                plan=plan,
                by=by,
                code=element.code,
                title=element.question or element.name,
                framework_element=element,
                order=order,
            )
    return plan


PLAN_EDITABLE_FIELDS = frozenset({"name", "kind", "description", "archived", "part_b_actions_in_part_a"})


def _plan_part_update(
    instance: M, plan: Plan, by: User, expected_version: ExpectedVersion, allowed: Iterable[str], fields: dict
) -> M:
    """Change a plan, or a part of it, as someone who manages plans (the edits of plans, sections and findings)."""
    rule = EditRule(Permission.MANAGE_PLANS, frozenset(allowed))
    return rule.apply(
        instance, by=by, organisation=plan.organisation, expected_version=expected_version, changes=fields
    )


@transaction.atomic
def plan_update(*, plan: Plan, by: User, expected_version: ExpectedVersion, **fields) -> Plan:
    """Change a plan's name, kind or description."""
    return _plan_part_update(plan, plan, by, expected_version, PLAN_EDITABLE_FIELDS, fields)


@transaction.atomic
def section_create(
    *,
    plan: Plan,
    by: User,
    code: str,
    title: str,
    framework_element: FrameworkElement | None = None,
    executive_lead: User | None = None,
    order: int | None = None,
    purpose: str = "",
) -> Section:
    """Add a section (a framework element or a workstream) to a plan."""
    if order is None:
        order = (plan.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    section = Section(
        plan=plan,
        code=code.strip(),
        title=title.strip(),
        framework_element=framework_element,
        executive_lead=executive_lead,
        order=order,
        purpose=purpose.strip(),
    )
    _leads_check(plan.organisation_id, None, executive_lead=executive_lead)
    return record_create(
        instance=section, by=by, organisation=plan.organisation, permission=Permission.MANAGE_PLANS
    )


SECTION_EDITABLE_FIELDS = frozenset(
    {"code", "title", "executive_lead", "order", "framework_element", "purpose"}
)


@transaction.atomic
def section_update(*, section: Section, by: User, expected_version: ExpectedVersion, **fields) -> Section:
    """Change a section's code, title, executive lead or order."""
    if "executive_lead" in fields:
        _leads_check(section.plan.organisation_id, section, executive_lead=fields["executive_lead"])
    return _plan_part_update(section, section.plan, by, expected_version, SECTION_EDITABLE_FIELDS, fields)


# Findings -----------------------------------------------------------------------------------------------------


@transaction.atomic
def finding_create(*, plan: Plan, by: User, number: int | None = None, text: str, **fields) -> Finding:
    """Record a numbered finding (Part B) on a plan."""
    if number is None:
        number = (plan.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    finding = Finding(plan=plan, number=number, text=text.strip(), **fields)
    return record_create(
        instance=finding, by=by, organisation=plan.organisation, permission=Permission.MANAGE_PLANS
    )


FINDING_EDITABLE_FIELDS = frozenset(
    {"number", "text", "finding_type", "regulation", "source", "source_date", "framework_element"}
)


@transaction.atomic
def finding_update(*, finding: Finding, by: User, expected_version: ExpectedVersion, **fields) -> Finding:
    """Change a finding's text, type, regulation or source."""
    return _plan_part_update(finding, finding.plan, by, expected_version, FINDING_EDITABLE_FIELDS, fields)


# Actions ------------------------------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    by: User,
    reference: str,
    title: str,
    section: Section | None = None,
    lead: User | None = None,
    other_leads: Iterable[User] = (),
    lead_note: str = "",
    success_measure: str = "",
    due_date: datetime.date | None = None,
    due_precision: str = DatePrecision.MONTH,
    findings: Iterable[Finding] = (),
    at: datetime.datetime | None = None,
) -> Action:
    """Add an action to a plan, with its original timescale as the first timescale record."""
    permission_require(user=by, organisation_id=plan.organisation_id, permission=Permission.MANAGE_PLANS)
    at = at or timezone.now()
    order = (plan.actions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    due_date = due_by(due_date, due_precision) if due_date else None
    action = Action(
        plan=plan,
        section=section,
        reference=reference.strip(),
        title=title.strip(),
        lead=lead,
        lead_note=lead_note,
        success_measure=success_measure,
        due_date=due_date,
        due_precision=due_precision,
        order=order,
    )
    _check_reference_free(action, action.reference)
    other_leads = list(other_leads)
    _leads_check(plan.organisation_id, None, lead=lead, other_leads=other_leads)
    action.full_clean()
    action.save()
    _co_leads_set(action, other_leads)
    action.findings.set(list(findings))
    if due_date is not None:
        TimescaleRevision.objects.create(
            action=action,
            due_date=due_date,
            precision=due_precision,
            reason="Original timescale",
            created_by=by,
            created_at=at,
        )
    audit_record(by=by, organisation=plan.organisation, action=AuditAction.CREATE, instance=action)
    standing_refresh([action.pk])
    return action


def _co_leads_set(action: Action, people: Iterable[User]) -> None:
    """Link the co-leads in the order given, which is the order papers print them (ADR 0033)."""
    links = Action.other_leads.through
    wanted = list(dict.fromkeys(p.pk for p in people))
    if list(links.objects.filter(action=action).order_by("id").values_list("user_id", flat=True)) == wanted:
        return
    links.objects.filter(action=action).delete()
    links.objects.bulk_create([links(action_id=action.pk, user_id=pk) for pk in wanted])


def _leads_check(organisation_id: int, instance: Action | Section | None, **chosen) -> None:
    """An action's leads and a section's executive lead are people who can act on actions they lead (core.access):
    never a viewer, a leaver or an invitee yet to accept; whoever the record already names may stay."""
    chosen = {k: list(v) if k == "other_leads" else v for k, v in chosen.items()}
    people_check(
        organisation_id=organisation_id,
        permissions=[Permission.UPDATE_OWN_ACTION],
        instance=instance,
        **chosen,
    )


def _check_reference_free(action: Action, reference: str) -> None:
    """A reference names one action in its plan; say which plan already uses it, by the reference field."""
    taken = Action.objects.filter(plan_id=action.plan_id, reference=reference).exclude(pk=action.pk)
    if reference and taken.exists():
        raise ValidationError(
            {"reference": f"{action.plan.name} already has an action {reference}: choose another reference."}
        )


ACTION_EDITABLE_FIELDS = frozenset(
    {"reference", "title", "section", "lead", "lead_note", "success_measure", "other_leads", "findings"}
)


def _action_check(row: Action, changes: Mapping[str, Any]) -> None:
    _check_reference_free(row, changes.get("reference", row.reference))
    leads = {k: v for k, v in changes.items() if k in ("lead", "other_leads")}
    _leads_check(row.plan.organisation_id, row, **leads)


@transaction.atomic
def action_update(*, action: Action, by: User, expected_version: ExpectedVersion, **fields) -> Action:
    """Change what an action says (not its timescale, status or state: those have their own services)."""
    action = fields_update(
        instance=action,
        by=by,
        organisation=action.plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=expected_version,
        allowed=ACTION_EDITABLE_FIELDS,
        changes=fields,
        check=lambda row, changes: _action_check(row, changes),
    )
    if "other_leads" in fields:  # the same people, linked again in the order given
        _co_leads_set(action, fields["other_leads"])
    return action


@transaction.atomic
def action_timescale_revise(
    *,
    action: Action,
    by: User,
    expected_version: ExpectedVersion,
    due_date: datetime.date,
    precision: str = DatePrecision.MONTH,
    reason: str,
    at: datetime.datetime | None = None,
) -> TimescaleRevision:
    """Revise an action's timescale; the old date stays in its history and the reason is required."""
    permission_require(
        user=by, organisation_id=action.plan.organisation_id, permission=Permission.MANAGE_PLANS
    )
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the timescale is changing."})
    action = locked_get(Action, action.pk)
    version_check(action, expected_version)
    due_date = due_by(due_date, precision)
    if action.due_date and timescale_text(action.due_date, action.due_precision) == timescale_text(
        due_date, precision
    ):
        raise ValidationError(
            {
                "due_date": f"The new timescale is the same as the current one "
                f"({timescale_text(due_date, precision)})."
            }
        )
    position_date = None  # loaded history (`at` given) stands from the day it is dated
    if at is None:
        cycle = action.plan.cycles.filter(state=CycleState.OPEN).first()
        position_date = default_position(
            cycle_position=cycle.position_as_at if cycle else None, today=timezone.localdate()
        )
    revision = TimescaleRevision(
        action=action,
        due_date=due_date,
        precision=precision,
        reason=reason.strip(),
        position_date=position_date,
        created_by=by,
        created_at=at or timezone.now(),
    )
    revision.full_clean()
    revision.save()
    record_change(
        action,
        {"due_date": due_date, "due_precision": precision},
        by=by,
        organisation=action.plan.organisation,
        note=f"Timescale revised: {reason.strip()}",
    )
    standing_refresh([action.pk])
    return revision


@transaction.atomic
def action_state_set(
    *,
    action: Action,
    by: User,
    expected_version: ExpectedVersion,
    state: str,
    assurance_evidence: str = "",
    at: datetime.datetime | None = None,
) -> Action:
    """Mark an action open, completed, or closed with the evidence of assurance (required to close); the change
    is kept with its time (`at`: when it happened, for loaded history), so earlier papers keep the earlier state."""
    permission_require(
        user=by, organisation_id=action.plan.organisation_id, permission=Permission.MANAGE_PLANS
    )
    if state not in ActionState.values:
        raise ValidationError({"state": "Choose open, completed or closed."})
    if state == ActionState.CLOSED and not assurance_evidence.strip():
        raise ValidationError({"assurance_evidence": "Enter the evidence of assurance that allows closing."})
    action = locked_get(Action, action.pk)
    version_check(action, expected_version)
    before = snapshot(action)
    from_state = action.state
    action.state = state
    action.assurance_evidence = assurance_evidence.strip()
    fields_clean(action, ["state", "assurance_evidence"])  # the evidence's limit, before anything is written
    if state != from_state:  # only a real change of state is a state change; new evidence alone is audited
        ActionStateChange.objects.create(
            action=action,
            from_state=from_state,
            state=state,
            assurance_evidence=assurance_evidence.strip(),
            created_by=by,
            created_at=at or timezone.now(),
        )
    version_bump(action, ["state", "assurance_evidence"])
    audit_record(
        by=by,
        organisation=action.plan.organisation,
        action=AuditAction.UPDATE,
        instance=action,
        before=before,
    )
    standing_refresh([action.pk])
    return action


# Progress updates ---------------------------------------------------------------------------------------------


@transaction.atomic
def progress_update_record(
    *,
    action: Action,
    by: User,
    narrative: str,
    status: DeliveryStatus,
    expected_version: ExpectedVersion,
    update_date: datetime.date | None = None,
    supersedes: ProgressUpdate | None = None,
    at: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Append a dated progress update; the action takes its status. A correction supersedes an earlier one."""
    action = locked_get(Action, action.pk)
    if not user_may_update_action(user=by, action=action):
        raise PermissionDenied("Only the action's lead or a governance editor can record progress on it.")
    # Adding an update overwrites nothing, so one sent without the action's version (the API without If-Match) is
    # added to the action as it stands; a form that gives the version it was opened at is held to it.
    version_check(action, AS_IT_STANDS if expected_version is None else expected_version)
    if action.state == ActionState.CLOSED:
        raise ValidationError(
            f"{action.reference} is closed with evidence of assurance: a governance editor "
            "reopens it before more progress is recorded."
        )
    if not narrative.strip():
        raise ValidationError({"narrative": "Enter the progress update."})
    if status.organisation_id != action.plan.organisation_id or not status.active:
        raise ValidationError({"status": "Choose a delivery status from your organisation's scale."})
    if supersedes is not None:
        if supersedes.action_id != action.pk:
            raise ValidationError({"supersedes": "A correction must be to an update of the same action."})
        if ProgressUpdate.objects.filter(supersedes=supersedes).exists():
            raise ValidationError({"supersedes": "That update has already been corrected."})
        latest = latest_update(action.updates.all())
        if latest is not None and latest.pk != supersedes.pk:
            raise ValidationError(
                {"supersedes": "Only the latest update can be corrected: record a new update instead."}
            )
    at = at or timezone.now()
    today = timezone.localdate(at)
    cycle = action.plan.cycles.filter(state=CycleState.OPEN).first()
    cycle_position = cycle.position_as_at if cycle else None
    if update_date is None:
        update_date = default_position(cycle_position=cycle_position, today=today)
    problem = position_problem(update_date, today=today, allowed=[cycle_position] if cycle_position else [])
    if problem:
        raise ValidationError({"update_date": problem})
    update = ProgressUpdate(
        action=action,
        cycle=cycle,
        narrative=narrative.strip(),
        status=status,
        update_date=update_date,
        supersedes=supersedes,
        created_by=by,
        created_at=at,
    )
    update.full_clean()
    update.save()
    # The action's status is its latest update by position, then by recording time (ADR 0032): an update
    # back-dated behind a newer position is kept in the history without becoming the current status.
    current = latest_update(action.updates.all()) or update
    organisation = action.plan.organisation
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=update)
    note = f"Progress update recorded: {status.code}" + (
        "" if current.pk == update.pk else f", position as at {update_date}: not the latest position"
    )
    changes = {"status": current.status, "last_update_at": at}
    record_change(action, changes, by=by, organisation=organisation, note=note)
    standing_refresh([action.pk])
    return update


# Reporting cycles ---------------------------------------------------------------------------------------------


@transaction.atomic
def cycle_open(
    *,
    plan: Plan,
    by: User,
    name: str,
    position_as_at: datetime.date,
    update_deadline: datetime.date,
    at: datetime.datetime | None = None,
) -> ReportingCycle:
    """Open a reporting cycle; the plan's previous open cycle (if any) is closed first."""
    permission_require(user=by, organisation_id=plan.organisation_id, permission=Permission.MANAGE_CYCLES)
    Plan.objects.select_for_update().get(pk=plan.pk)
    at = at or timezone.now()
    latest = plan.cycles.order_by("-position_as_at").first()
    if latest is not None and position_as_at <= latest.position_as_at:
        raise ValidationError(
            {
                "position_as_at": f"The position date must be after the plan's latest cycle "
                f"({latest.name}, position as at "
                f"{long_date(latest.position_as_at)})."
            }
        )
    for previous in plan.cycles.filter(state=CycleState.OPEN):
        cycle_close(cycle=previous, by=by, at=at)
    cycle = ReportingCycle(
        plan=plan,
        name=name.strip(),
        position_as_at=position_as_at,
        update_deadline=update_deadline,
        opened_at=at,
        opened_by=by,
    )
    cycle = record_create(
        instance=cycle, by=by, organisation=plan.organisation, permission=None
    )  # checked above
    standing_refresh(plan.actions.all())  # every action now answers the new cycle
    return cycle


@transaction.atomic
def cycle_close(*, cycle: ReportingCycle, by: User, at: datetime.datetime | None = None) -> ReportingCycle:
    """Close a reporting cycle; updates recorded afterwards belong to the next one."""
    permission_require(
        user=by, organisation_id=cycle.plan.organisation_id, permission=Permission.MANAGE_CYCLES
    )
    cycle = locked_get(ReportingCycle, cycle.pk)
    if cycle.state == CycleState.CLOSED:
        return cycle
    closed = {"state": CycleState.CLOSED, "closed_at": at or timezone.now()}
    cycle = record_change(cycle, closed, by=by, organisation=cycle.plan.organisation)
    standing_refresh(cycle.plan.actions.all())
    return cycle


# A lead reminded less than a day ago is not reminded again without the sender saying so.
REMIND_AGAIN_AFTER = datetime.timedelta(days=1)


class RemindedRecently(Exception):
    """Some of the leads were reminded less than a day ago; nothing was sent (ask, then send with repeat=True)."""

    def __init__(self, last: dict[User, datetime.datetime]):
        self.last = last
        names = ", ".join(str(person) for person in last)
        super().__init__(f"{names} had a reminder in the last day: send again only if you mean to.")


def last_reminded(*, cycle: ReportingCycle) -> dict[int, datetime.datetime]:
    """When each lead was last reminded in this cycle, by the lead's id."""
    last: dict[int, datetime.datetime] = {}
    for recipient_id, sent_at in cycle.reminders.order_by("sent_at").values_list("recipient_id", "sent_at"):
        last[recipient_id] = sent_at
    return last


REMINDER_SUBJECT = "Progress updates needed by {deadline}: {plan}"
REMINDER_SUBJECT_LATE = "Progress updates were due by {deadline}: {plan}"
MAIL_SERVER_UNREACHABLE = (
    "The reminders could not be sent: the mail server did not answer. Try again later, or ask your Wellled "
    "administrator to check the e-mail settings."
)
REMINDERS_NONE_SENT = "No reminder was sent."
REMINDERS_PARTLY_SENT = "{count} went before it stopped (to {names}), but are not recorded as sent."


@transaction.atomic
def cycle_send_reminders(
    *, cycle: ReportingCycle, by: User, awaiting: dict[User, list[Action]], repeat: bool = False
) -> int:
    """E-mail each lead the actions still awaiting their update in this cycle; returns how many were sent. A lead
    reminded less than a day ago is reminded again only with `repeat` (else RemindedRecently, nothing sent)."""
    permission_require(
        user=by, organisation_id=cycle.plan.organisation_id, permission=Permission.MANAGE_CYCLES
    )
    cycle = locked_get(ReportingCycle, cycle.pk)
    if cycle.state != CycleState.OPEN:
        raise ValidationError("Reminders can only be sent while the cycle is open.")
    # Never a leaver, nor someone whose role no longer lets them update the actions they lead.
    able = members_allowed(
        organisation_id=cycle.plan.organisation_id, permissions=[Permission.UPDATE_OWN_ACTION]
    )
    able_ids = set(able.values_list("pk", flat=True))
    awaiting = {lead: acts for lead, acts in awaiting.items() if lead is not None and lead.pk in able_ids}
    if not repeat:
        last = last_reminded(cycle=cycle)
        since = timezone.now() - REMIND_AGAIN_AFTER
        recent = {
            lead: last[lead.pk]
            for lead, actions in awaiting.items()
            if lead is not None and lead.email and actions and last.get(lead.pk, since) > since
        }
        if recent:
            raise RemindedRecently(recent)
    from django.template.loader import render_to_string

    sent, sent_to = 0, list[str]()
    now = timezone.now()
    for lead, actions in awaiting.items():
        if lead is None or not lead.email or not actions:
            continue
        body = render_to_string(
            "plans/email/reminder.txt.jinja",
            {
                "lead": lead,
                "cycle": cycle,
                "actions": actions,
                "site_url": site_url(),
            },
        )
        try:
            send_mail(
                (
                    REMINDER_SUBJECT_LATE
                    if cycle.update_deadline < timezone.localdate()
                    else REMINDER_SUBJECT
                ).format(deadline=long_date(cycle.update_deadline), plan=cycle.plan.name),
                body,
                None,
                [lead.email],
            )
        except (smtplib.SMTPException, OSError) as exc:  # no mail server, refused, timed out: say so, stop
            logger.warning("Reminder e-mail to %s failed: %s", lead.email, exc)
            already = (
                REMINDERS_PARTLY_SENT.format(count=sent, names=", ".join(sent_to))
                if sent
                else REMINDERS_NONE_SENT
            )
            raise ValidationError(f"{MAIL_SERVER_UNREACHABLE} {already}") from None
        sent_to.append(str(lead))
        reminder = ReminderSent.objects.create(
            cycle=cycle, recipient=lead, action_count=len(actions), sent_by=by, sent_at=now
        )
        audit_record(
            by=by, organisation=cycle.plan.organisation, action=AuditAction.CREATE, instance=reminder
        )
        sent += 1
    return sent


@transaction.atomic
def actions_lead_reassign(*, actions: Iterable[Action], person: User, to: User, by: User) -> int:
    """Hand a person's open actions to someone else (a leaver's, usually): where they lead, `to` leads; where they
    co-lead, `to` co-leads. Each action is changed by action_update, so versioned and audited. Returns how many."""
    count = 0
    for action in actions:
        others = [p for p in action.other_leads.all() if p.pk not in (person.pk, to.pk)]
        lead: User | None
        if action.lead_id == person.pk:
            lead = to
        else:
            lead = action.lead
            if action.lead_id != to.pk:
                others.append(to)
        action_update(action=action, by=by, expected_version=AS_IT_STANDS, lead=lead, other_leads=others)
        count += 1
    return count
