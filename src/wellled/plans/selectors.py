"""Reads for plans, always through the signed-in person's membership of the organisation."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from wellled.core.access import members_allowed
from wellled.core.choices import AuditAction
from wellled.core.history import ChangeLine, history_rows
from wellled.core.models import AuditLog, DeliveryStatus, Organisation, User
from wellled.core.permissions import Permission
from wellled.core.selectors import (
    audit_for_object,
    delivery_statuses,
    get_or_404,
    scoped,
    scoped_get,
    scoped_many,
)

from .choices import ActionState, CycleState
from .models import (
    Action,
    Finding,
    Plan,
    PlanImport,
    ProgressUpdate,
    ReminderSent,
    ReportingCycle,
    Section,
    TimescaleRevision,
)
from .position import latest_update, moved
from .position.action import slipped_in_cycle
from .position.selectors import POSITION_ORDER, standing_updates
from .position.stored import standing_counts
from .rows import ActionRow, SuccessMeasureSummary, action_row, standing_positions, success_measure_summaries


def plans_for_user(*, user: User, organisation: Organisation) -> QuerySet[Plan]:
    """The organisation's plans, if the user belongs to it."""
    return scoped(Plan.objects.all(), user=user, organisation=organisation).select_related("framework")


def plan_get(*, user: User, organisation: Organisation, pk) -> Plan:
    """One plan of the organisation, or 404."""
    return get_or_404(plans_for_user(user=user, organisation=organisation), pk=pk)


def plan_import_get(*, user: User, organisation: Organisation, pk) -> PlanImport:
    """One spreadsheet uploaded for import into the organisation, or 404."""
    imports = scoped(
        PlanImport.objects.select_related("organisation", "plan", "uploaded_by", "applied_by"),
        user=user,
        organisation=organisation,
    )
    return get_or_404(imports, pk=pk)


def _plan_part_get(model: type[Model], *related: str, user: User, organisation: Organisation, pk):
    """One record of one of the organisation's plans (a section, finding or cycle), read with its plan and the
    `related` records its page shows, or 404."""
    queryset = model._default_manager.select_related("plan", *related)
    return scoped_get(queryset, user=user, organisation=organisation, pk=pk, path="plan__organisation")


def section_get(*, user: User, organisation: Organisation, pk) -> Section:
    """One section of one of the organisation's plans, or 404."""
    return _plan_part_get(Section, user=user, organisation=organisation, pk=pk)


def finding_get(*, user: User, organisation: Organisation, pk) -> Finding:
    """One finding of one of the organisation's plans, or 404."""
    return _plan_part_get(Finding, "framework_element", user=user, organisation=organisation, pk=pk)


def cycle_get(*, user: User, organisation: Organisation, pk) -> ReportingCycle:
    """One reporting cycle of one of the organisation's plans, or 404."""
    return _plan_part_get(ReportingCycle, "opened_by", user=user, organisation=organisation, pk=pk)


def progress_update_get(*, user: User, organisation: Organisation, pk) -> ProgressUpdate:
    """One progress update of one of the organisation's actions, or 404."""
    updates = scoped(
        ProgressUpdate.objects.select_related("action__plan", "status", "created_by"),
        user=user,
        organisation=organisation,
        path="action__plan__organisation",
    )
    return get_or_404(updates, pk=pk)


def co_leads_in_written_order() -> QuerySet[User]:
    """Co-leads in the order they were given ('DMc / AK / MS' stays so): the order their links were made."""
    links = Action.other_leads.through._meta.db_table
    return User.objects.extra(order_by=[f"{links}.id"])


BOARD_RELATED = ("section", "lead", "status", "plan")  # read with each action of a plan table


def _with_board_detail(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Everything a plan table row shows, with every update of each action, in a fixed number of queries."""
    latest_updates = ProgressUpdate.objects.select_related("status", "created_by").order_by(*POSITION_ORDER)
    return actions.select_related(*BOARD_RELATED).prefetch_related(
        Prefetch("other_leads", queryset=co_leads_in_written_order()),
        "findings",
        Prefetch("timescales", queryset=TimescaleRevision.objects.order_by("created_at", "id")),
        Prefetch("updates", queryset=latest_updates, to_attr="updates_newest_first"),
    )


def _standing_detail(actions: QuerySet[Action], *, plans: Sequence[Plan] = ()) -> list[Action]:
    """The actions with what a plan table row shows as the plan stands, in five queries: each action's latest update
    and the updates of open cycles only (plans.position.standing_updates), far less than every update of a
    long-running plan.

    Read as plain related rows and kept on each action (`co_leads_read`, `findings_read`, `timescales_read`,
    `updates_newest_first`, which Action.co_leads and plans.position.facts read): Django's prefetching builds a
    manager and a filtered queryset for each action and relation, most of a dashboard's time (issue 24). Actions of
    `plans` (already read) are given them rather than a copy of their plan each."""
    known = {p.pk: p for p in plans}
    found = list(actions.select_related(*(r for r in BOARD_RELATED if not known or r != "plan")))
    for action in found:
        if action.plan_id in known:
            action.plan = known[action.plan_id]
    by_pk = {a.pk: a for a in found}
    updates_of: dict[int, list[ProgressUpdate]] = {}
    for action in found:
        action.co_leads_read, action.findings_read, action.timescales_read = [], [], []
        # The name the board detail's prefetch gives them (to_attr), which plans.position.facts reads.
        action.updates_newest_first = updates_of[action.pk] = []  # type: ignore[attr-defined]
    if not by_pk:
        return found
    ids = list(by_pk)
    leads = Action.other_leads.through.objects.filter(action_id__in=ids).select_related("user")
    for lead in leads.order_by("id"):  # in the order written (co_leads_in_written_order)
        by_pk[lead.action_id].co_leads_read.append(lead.user)
    answers = Action.findings.through.objects.filter(action_id__in=ids).select_related("finding")
    for answer in answers.order_by("finding__number", "finding_id"):
        by_pk[answer.action_id].findings_read.append(answer.finding)
    for revision in TimescaleRevision.objects.filter(action_id__in=ids).order_by("created_at", "id"):
        revision.action = by_pk[revision.action_id]
        by_pk[revision.action_id].timescales_read.append(revision)
    # With their status, not who recorded them: these pages do not say (the action's own pages read every update).
    updates = ProgressUpdate.objects.filter(action_id__in=ids).select_related("status")
    for update in standing_updates(updates, today=timezone.localdate()).order_by(*POSITION_ORDER):
        update.action = by_pk[update.action_id]
        updates_of[update.action_id].append(update)
    return found


def plan_leads(*, user: User, organisation: Organisation, plan: Plan) -> QuerySet[User]:
    """The people who lead or co-lead an action of the plan: the choices of the plan page's lead filter."""
    actions = actions_for_user(user=user, organisation=organisation).filter(plan=plan)
    return (
        User.objects.filter(
            Q(pk__in=actions.exclude(lead=None).values("lead")) | Q(pk__in=actions.values("other_leads"))
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def actions_for_user(*, user: User, organisation: Organisation) -> QuerySet[Action]:
    """Every action of the organisation's plans, if the user belongs to it."""
    return scoped(Action.objects.all(), user=user, organisation=organisation, path="plan__organisation")


def action_get(*, user: User, organisation: Organisation, pk) -> Action:
    """One action with its board detail, or 404."""
    return get_or_404(_with_board_detail(actions_for_user(user=user, organisation=organisation)), pk=pk)


@dataclass(frozen=True)
class ActionFilters:
    """The plan page's filters; all optional."""

    status: str = ""
    lead: str = ""
    section: str = ""
    overdue: bool = False
    slipped: bool = False
    awaiting: bool = False
    q: str = ""


def plan_actions(
    *,
    user: User,
    organisation: Organisation,
    plan: Plan,
    filters: ActionFilters | None = None,
    on: datetime.date | None = None,
    history: bool = True,
    measures: bool = False,
) -> list[ActionRow]:
    """The plan's actions as rows in board order, filtered as the plan page asks (`history=False`: only the updates
    the plan page shows, see _with_board_detail; `measures`: with each linked success measure's summary)."""
    filters = filters or ActionFilters()
    on = on or timezone.localdate()
    actions = actions_for_user(user=user, organisation=organisation).filter(plan=plan)
    if filters.lead:
        actions = actions.filter(Q(lead_id=filters.lead) | Q(other_leads__id=filters.lead)).distinct()
    if filters.section:
        actions = actions.filter(section_id=filters.section)
    if filters.q:
        text = filters.q.strip()
        actions = actions.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(success_measure__icontains=text)
            | Q(updates__narrative__icontains=text)
            | Q(lead_note__icontains=text)
            | Q(lead__first_name__icontains=text)
            | Q(lead__last_name__icontains=text)
            | Q(lead__initials__iexact=text)
            | Q(other_leads__first_name__icontains=text)
            | Q(other_leads__last_name__icontains=text)
            | Q(other_leads__initials__iexact=text)
        ).distinct()
    in_order = actions.order_by("section__order", "order", "reference")
    found = list(_with_board_detail(in_order)) if history else _standing_detail(in_order, plans=[plan])
    summaries = (
        success_measure_summaries(user=user, organisation=organisation, actions=found) if measures else {}
    )
    rows = _standing_rows(found, cycles=list(plan.cycles.all()), on=on, summaries=summaries)
    return [r for r in rows if _passes(r, filters)]


def _passes(row: ActionRow, filters: ActionFilters) -> bool:
    """Whether a row passes the filters that read its position (status, overdue, slipped, awaiting)."""
    status = row.status
    if filters.status == "none" and status is not None:
        return False
    if filters.status and filters.status != "none" and (status is None or status.code != filters.status):
        return False
    return not (
        (filters.overdue and not row.overdue)
        or (filters.slipped and not row.slipped)
        or (filters.awaiting and not row.update_awaited)
    )


def _standing_rows(
    actions: Sequence[Action],
    *,
    cycles: Sequence[ReportingCycle],
    on: datetime.date,
    summaries: Mapping[int, SuccessMeasureSummary] | None = None,
) -> list[ActionRow]:
    """Rows of actions (of one plan or many) at their plan's position as it stands, overdue judged on `on`."""
    summaries = summaries or {}
    by_plan: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_plan[action.plan_id].append(action)
    plan_cycles_of: dict[int, list[ReportingCycle]] = defaultdict(list)
    for cycle in cycles:
        plan_cycles_of[cycle.plan_id].append(cycle)
    positions = {
        plan_id: standing_positions(group, cycles=plan_cycles_of[plan_id], on=on)
        for plan_id, group in by_plan.items()
    }
    return [
        action_row(
            a,
            cycle=_open_of(plan_cycles_of[a.plan_id]),
            on=on,
            position=positions[a.plan_id][a.pk],
            success_measure_summary=summaries.get(a.pk),
        )
        for a in actions
    ]


def _open_of(cycles: Sequence[ReportingCycle]) -> ReportingCycle | None:
    return next((c for c in cycles if c.state == CycleState.OPEN), None)


def action_row_get(
    *, user: User, organisation: Organisation, pk, measures: bool = False, on: datetime.date | None = None
) -> ActionRow:
    """One action as its page shows it (with its success measure if `measures`), or 404."""
    action = action_get(user=user, organisation=organisation, pk=pk)
    return action_row_of(user=user, organisation=organisation, action=action, measures=measures, on=on)


def action_row_of(
    *,
    user: User,
    organisation: Organisation,
    action: Action,
    measures: bool = False,
    on: datetime.date | None = None,
) -> ActionRow:
    """The row of an action already read with action_get (so with its board detail)."""
    summaries = (
        success_measure_summaries(user=user, organisation=organisation, actions=[action]) if measures else {}
    )
    cycles = list(action.plan.cycles.all())
    return _standing_rows([action], cycles=cycles, on=on or timezone.localdate(), summaries=summaries)[0]


def open_cycle(*, plan: Plan) -> ReportingCycle | None:
    """The plan's open reporting cycle, if any."""
    return plan.cycles.filter(state=CycleState.OPEN).first()


def plan_cycles(*, user: User, organisation: Organisation, plan: Plan) -> QuerySet[ReportingCycle]:
    """The plan's reporting cycles, newest first."""
    return (
        scoped(
            ReportingCycle.objects.filter(plan=plan),
            user=user,
            organisation=organisation,
            path="plan__organisation",
        )
        .select_related("opened_by")
        .order_by("-opened_at")
    )


def plan_findings(
    *, user: User, organisation: Organisation, plan: Plan, as_keys: bool = False
) -> list[Finding]:
    """The plan's findings (Part B), each with the keys of the actions that answer them by reference: the plan page
    and the board paper show those actions from the rows they have already read. With `as_keys` the keys are a plain
    list, `answered_by` (the plan page: no related manager per finding), else the prefetched `actions`."""
    findings = scoped(
        Finding.objects.filter(plan=plan), user=user, organisation=organisation, path="plan__organisation"
    ).select_related("framework_element")
    if not as_keys:
        answering = Prefetch("actions", queryset=Action.objects.only("id").order_by("reference"))
        return list(findings.prefetch_related(answering).order_by("number"))
    found = list(findings.order_by("number"))
    by_pk = {f.pk: f for f in found}
    for finding in found:
        finding.answered_by = []
    links = Action.findings.through.objects.filter(finding_id__in=list(by_pk)).order_by("action__reference")
    for finding_id, action_id in links.values_list("finding_id", "action_id"):
        by_pk[finding_id].answered_by.append(action_id)
    return found


def finding_actions(*, user: User, organisation: Organisation, finding: Finding) -> list[Action]:
    """The actions that answer a finding, by reference."""
    return list(
        actions_for_user(user=user, organisation=organisation)
        .filter(findings=finding)
        .select_related("status", "lead")
        .prefetch_related("other_leads")
        .order_by("reference")
    )


def _cycle_records(
    model: type[Model], cycle: ReportingCycle, plan_path: str, *, user: User, organisation: Organisation
) -> QuerySet:
    """The records of one reporting cycle (reached through `plan_path` to their plan) that the user may see."""
    return scoped(
        model._default_manager.filter(cycle=cycle),
        user=user,
        organisation=organisation,
        path=f"{plan_path}__organisation",
    )


def cycle_updates(*, user: User, organisation: Organisation, cycle: ReportingCycle) -> list[ProgressUpdate]:
    """The progress updates recorded in a reporting cycle, newest first."""
    updates = _cycle_records(ProgressUpdate, cycle, "action__plan", user=user, organisation=organisation)
    return list(updates.select_related("action", "status", "created_by", "cycle").order_by("-created_at"))


CYCLE_REMINDERS_SHOWN = 50  # the cycle page lists the latest reminders sent; the audit log keeps them all


def cycle_reminders(*, user: User, organisation: Organisation, cycle: ReportingCycle) -> list[ReminderSent]:
    """The latest reminders sent in a reporting cycle, newest first."""
    reminders = _cycle_records(ReminderSent, cycle, "cycle__plan", user=user, organisation=organisation)
    return list(reminders.select_related("recipient", "sent_by").order_by("-sent_at")[:CYCLE_REMINDERS_SHOWN])


def cycle_awaiting_by_lead(
    *, user: User, organisation: Organisation, cycle: ReportingCycle
) -> dict[User | None, list[Action]]:
    """The actions whose update the cycle awaits (plans.position: open, undelivered, no update for the cycle
    yet), grouped by lead; no named lead comes last (None). An open cycle is read as the plan stands now, a
    closed one as at its position date."""
    found = list(
        _with_board_detail(actions_for_user(user=user, organisation=organisation).filter(plan=cycle.plan))
    )
    cycles = list(cycle.plan.cycles.all())
    as_at = None if cycle.state == CycleState.OPEN else cycle.position_as_at
    position = standing_positions(found, cycles=cycles, on=timezone.localdate(), as_at=as_at)
    actions = [a for a in found if position[a.pk].update_awaited and position.cycle == cycle]
    # A leaver, or someone whose role no longer lets them update, is awaited by no cycle (their work is handed on).
    able = set(
        members_allowed(
            organisation_id=cycle.plan.organisation_id, permissions=[Permission.UPDATE_OWN_ACTION]
        ).values_list("pk", flat=True)
    )
    grouped: dict[User | None, list[Action]] = defaultdict(list)
    for action in sorted(actions, key=lambda a: a.reference):
        people = ([action.lead] if action.lead else []) + list(action.other_leads.all())
        people = [p for p in people if p.pk in able]
        for person in dict.fromkeys(people) or [None]:
            grouped[person].append(action)
    return dict(
        sorted(
            grouped.items(),
            key=lambda item: (
                item[0] is None,
                item[0].last_name if item[0] else "",
                item[0].first_name if item[0] else "",
            ),
        )
    )


def my_actions(*, user: User, organisation: Organisation) -> list[ActionRow]:
    """Open actions the person leads in the organisation, those needing an update first."""
    actions = (
        actions_for_user(user=user, organisation=organisation)
        .filter(Q(lead=user) | Q(other_leads=user), state=ActionState.OPEN)
        .distinct()
    )
    found = _standing_detail(actions.order_by("plan__name", "reference"))
    cycles = list(ReportingCycle.objects.filter(plan_id__in={a.plan_id for a in found}))
    rows = _standing_rows(found, cycles=cycles, on=timezone.localdate())
    rows.sort(key=lambda r: (not r.update_awaited, r.action.plan.name, r.reference))
    return rows


class _Recorded(NamedTuple):
    """A progress update as statuses_at reads it: enough for the position rule (latest_update) and its status."""

    pk: int
    status_id: int
    update_date: datetime.date
    created_at: datetime.datetime


def statuses_at(*, actions: Sequence[Action | ActionRow], moment: datetime.datetime) -> dict[int, int | None]:
    """Each action's delivery-status id as it stood at a moment: its latest update by position among those
    recorded by then (ADR 0032), in one query."""
    updates: dict[int, list[_Recorded]] = defaultdict(list)
    # Plain values, in no order (latest_update orders them): no model rows, and no join for the default ordering.
    for pk, action_id, status_id, update_date, created_at in (
        ProgressUpdate.objects.filter(action_id__in=[a.pk for a in actions], created_at__lte=moment)
        .order_by()
        .values_list("id", "action_id", "status_id", "update_date", "created_at")
    ):
        updates[action_id].append(_Recorded(pk, status_id, update_date, created_at))
    found = {pk: shown.status_id for pk, items in updates.items() if (shown := latest_update(items))}
    return {a.pk: found.get(a.pk) for a in actions}


@dataclass
class Movement:
    """How the plan moved since a baseline: actions improved, worsened, newly completed, slipped."""

    baseline: datetime.datetime | None = None
    baseline_label: str = ""
    improved: list[ActionRow] = field(default_factory=list)
    worsened: list[ActionRow] = field(default_factory=list)
    newly_completed: list[ActionRow] = field(default_factory=list)
    slipped: list[ActionRow] = field(default_factory=list)


def movement_since(
    *,
    actions: list[ActionRow],
    baseline: datetime.datetime | None,
    statuses: dict[int, DeliveryStatus],
    label: str = "",
) -> Movement:
    """Compare each action's status now with its status at the baseline (ranks decide better or worse)."""
    movement = Movement(baseline=baseline, baseline_label=label)
    if baseline is None:
        return movement
    then = statuses_at(actions=actions, moment=baseline)
    for row in actions:
        status_then = then[row.pk]
        change = moved(statuses.get(status_then) if status_then else None, row.status)
        if change.improved:
            movement.improved.append(row)
        if change.worsened:
            movement.worsened.append(row)
        if change.newly_completed:
            movement.newly_completed.append(row)
        if slipped_in_cycle(row.revisions, baseline=None, window_start=baseline):
            movement.slipped.append(row)
    return movement


@dataclass(frozen=True)
class Dashboard:
    """The organisation dashboard: counts by status, movement, overdue, slipped, awaiting update."""

    plans: list[Plan]
    statuses: list[DeliveryStatus]
    counts: list[tuple[DeliveryStatus | None, int]]
    total: int
    overdue: list[ActionRow]
    slipped: list[ActionRow]
    awaiting: list[ActionRow]
    movement: Movement
    cycles: dict[int, ReportingCycle | None]
    ready_to_close: list[ActionRow]  # open, but their latest status says delivered (ADR 0012)
    mine_awaiting: list[ActionRow]  # the signed-in person's own actions awaiting their update this cycle
    # Complete, yet the linked success measure shows concern or consistently fails its target.
    not_improved: list[ActionRow] = field(default_factory=list)


def dashboard(*, user: User, organisation: Organisation, plan: Plan | None = None) -> Dashboard:
    """Everything the organisation dashboard shows, for all active plans or one."""
    # Names and keys only: not each plan's framework.
    plans = list(
        plans_for_user(user=user, organisation=organisation).filter(archived=False).select_related(None)
    )
    if plan is not None:
        plans = [p for p in plans if p.pk == plan.pk]
    statuses = delivery_statuses(organisation=organisation, include_inactive=True)
    by_id = {s.pk: s for s in statuses}
    today = timezone.localdate()
    all_cycles = list(ReportingCycle.objects.filter(plan__in=plans))
    cycles = {p.pk: _open_of([c for c in all_cycles if c.plan_id == p.pk]) for p in plans}
    actions = _standing_detail(
        actions_for_user(user=user, organisation=organisation)
        .filter(plan__in=plans)
        .order_by("plan__name", "section__order", "order"),
        plans=plans,
    )
    summaries = success_measure_summaries(user=user, organisation=organisation, actions=actions)
    rows = _standing_rows(actions, cycles=all_cycles, on=today, summaries=summaries)
    counter = Counter(r.status.pk if r.status else None for r in rows)
    counts: list[tuple[DeliveryStatus | None, int]] = [
        (s, counter.get(s.pk, 0)) for s in statuses if s.active or counter.get(s.pk)
    ]
    counts.append((None, counter.get(None, 0)))
    # Movement is measured from when the current cycle opened (the close of the previous one).
    opened = [c.opened_at for c in cycles.values() if c is not None]
    baseline = min(opened) if opened else None
    label = next((c.name for c in cycles.values() if c is not None and c.opened_at == baseline), "")
    not_improved = [
        r
        for r in rows
        if r.success_measure_summary is not None
        and r.success_measure_summary.action_is_complete
        and r.success_measure_summary.shows_exception
    ]
    return Dashboard(
        plans=plans,
        statuses=statuses,
        counts=counts,
        total=len(rows),
        overdue=[r for r in rows if r.overdue],
        slipped=[r for r in rows if r.slipped],
        awaiting=[r for r in rows if r.update_awaited],
        movement=movement_since(actions=rows, baseline=baseline, statuses=by_id, label=label),
        cycles=cycles,
        ready_to_close=[r for r in rows if r.is_ready_to_close],
        mine_awaiting=[r for r in rows if r.update_awaited and any(p.pk == user.pk for p in r.leads)],
        not_improved=sorted(not_improved, key=lambda r: (r.action.plan.name, r.reference)),
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One event in an action's life, for its timeline."""

    at: datetime.datetime
    kind: str  # "update", "timescale", "state", "change"
    item: object
    lines: tuple[ChangeLine, ...] = ()  # a change's fields in words ("Lead: RD → TN")


STATE_LABELS = frozenset({"State", "Assurance evidence"})  # shown by the state-change entries instead


def action_timeline(*, user: User, organisation: Organisation, action: Action) -> list[TimelineEntry]:
    """Updates, timescale revisions and other recorded changes of an action, newest first."""
    entries = [
        TimelineEntry(u.created_at, "update", u)
        for u in action.updates.select_related(
            "status", "created_by", "cycle", "supersedes", "superseded_by"
        ).all()
    ]
    entries += [
        TimelineEntry(t.created_at, "timescale", t) for t in action.timescales.select_related("created_by")
    ]
    entries += [
        TimelineEntry(c.created_at, "state", c) for c in action.state_changes.select_related("created_by")
    ]
    changes: QuerySet[AuditLog] = audit_for_object(user=user, organisation=organisation, instance=action)
    for row in history_rows([c for c in changes if not c.note]):
        # The changed fields in words; a change of state has its own entry, at the time it happened.
        lines = tuple(line for line in row.lines if line.label not in STATE_LABELS)
        if lines or row.record.action != AuditAction.UPDATE:
            entries.append(TimelineEntry(row.record.created_at, "change", row.record, lines))
    # The action's creation is its first event even when its record was written after history it was loaded with
    # (an imported plan, the demo): it sits at the foot of the timeline, still showing when it was recorded.
    entries.sort(
        key=lambda e: (e.kind != "change" or e.item.action != AuditAction.CREATE, e.at), reverse=True
    )
    return entries


def actions_led_open(*, user: User, organisation: Organisation, person: User) -> QuerySet[Action]:
    """The open actions a person leads (or co-leads) in the organisation: what to reassign when they leave."""
    from django.db.models import Q

    return (
        actions_for_user(user=user, organisation=organisation)
        .filter(state=ActionState.OPEN)
        .filter(Q(lead=person) | Q(other_leads=person))
        .distinct()
        .select_related("plan", "lead", "status")
        .prefetch_related("other_leads")  # the page shows every lead of each action
        .order_by("plan__name", "reference")
    )


# Many organisations at once (an oversight body's portfolio) ---------------------------------------------------


@dataclass
class DeliverySummary:
    """One organisation's actions in its active plans: counts by delivery status (best first, then no status),
    overdue, and awaiting an update in an open reporting cycle."""

    counts: list[tuple[DeliveryStatus | None, int]] = field(default_factory=list)
    total: int = 0
    overdue: int = 0
    awaited: int = 0


def delivery_by_organisation(*, user: User, organisations) -> dict[int, DeliverySummary]:
    """Delivery counts of many organisations' active plans in a fixed number of queries, whatever their number,
    counted in the database from each action's stored standing position (plans.position.stored, ADR 0061: the
    same rule as the dashboard and the paper). Organisations the user may not see come back empty."""
    ids = [o if isinstance(o, int) else o.pk for o in organisations]
    summaries = {pk: DeliverySummary() for pk in ids}
    statuses = list(
        scoped_many(DeliveryStatus.objects.all(), user=user, organisations=ids).order_by(
            "organisation_id", "-rank"
        )
    )
    actions = scoped_many(
        Action.objects.filter(plan__archived=False), user=user, organisations=ids, path="plan__organisation"
    )
    counts = standing_counts(actions, complete_ids=[s.pk for s in statuses if s.is_complete])
    by_org: dict[int, list[DeliveryStatus]] = defaultdict(list)
    for s in statuses:
        by_org[s.organisation_id].append(s)
    for pk, summary in summaries.items():
        found = counts.get(pk)
        counter = found.by_status if found else Counter()
        summary.counts = [(s, counter.get(s.pk, 0)) for s in by_org[pk] if s.active or counter.get(s.pk)]
        summary.counts.append((None, counter.get(None, 0)))
        summary.total = sum(counter.values())
        summary.overdue = found.overdue if found else 0
        summary.awaited = found.awaited if found else 0
    return summaries
