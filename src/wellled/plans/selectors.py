"""Reads for plans, always through the signed-in person's membership of the organisation."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from wellled.core.choices import AuditAction
from wellled.core.models import AuditLog, DeliveryStatus, Organisation, User
from wellled.core.selectors import delivery_statuses, get_or_404, scoped

from .choices import ActionState, CycleState
from .models import (
    Action,
    Finding,
    Plan,
    PlanImport,
    ProgressUpdate,
    ReportingCycle,
    Section,
    TimescaleRevision,
)


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


def section_get(*, user: User, organisation: Organisation, pk) -> Section:
    """One section of one of the organisation's plans, or 404."""
    sections = scoped(
        Section.objects.select_related("plan"),
        user=user,
        organisation=organisation,
        path="plan__organisation",
    )
    return get_or_404(sections, pk=pk)


def finding_get(*, user: User, organisation: Organisation, pk) -> Finding:
    """One finding of one of the organisation's plans, or 404."""
    findings = scoped(
        Finding.objects.select_related("plan", "framework_element"),
        user=user,
        organisation=organisation,
        path="plan__organisation",
    )
    return get_or_404(findings, pk=pk)


def cycle_get(*, user: User, organisation: Organisation, pk) -> ReportingCycle:
    """One reporting cycle of one of the organisation's plans, or 404."""
    cycles = scoped(
        ReportingCycle.objects.select_related("plan", "opened_by"),
        user=user,
        organisation=organisation,
        path="plan__organisation",
    )
    return get_or_404(cycles, pk=pk)


def progress_update_get(*, user: User, organisation: Organisation, pk) -> ProgressUpdate:
    """One progress update of one of the organisation's actions, or 404."""
    updates = scoped(
        ProgressUpdate.objects.select_related("action__plan", "status", "created_by"),
        user=user,
        organisation=organisation,
        path="action__plan__organisation",
    )
    return get_or_404(updates, pk=pk)


def _with_board_detail(actions: QuerySet[Action], *, history: bool = True) -> QuerySet[Action]:
    """Everything a plan table row shows, in a fixed number of queries.

    With `history=False` only each action's latest update and the updates of open cycles are fetched: enough for
    a page of the plan as it stands, and far less than every update of a long-running plan."""
    latest_updates = ProgressUpdate.objects.select_related("status", "created_by").order_by(
        "-created_at", "-id"
    )
    if not history:
        newest = ProgressUpdate.objects.filter(action_id=OuterRef("action_id")).order_by("-created_at", "-id")
        latest_updates = latest_updates.filter(
            Q(pk=Subquery(newest.values("pk")[:1])) | Q(cycle__state=CycleState.OPEN)
        )
    return actions.select_related("section", "lead", "status", "plan").prefetch_related(
        "other_leads",
        "findings",
        Prefetch("timescales", queryset=TimescaleRevision.objects.order_by("created_at", "id")),
        Prefetch("updates", queryset=latest_updates, to_attr="updates_newest_first"),
    )


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
) -> list[Action]:
    """The plan's actions in board order with their detail, filtered as the plan page asks (`history=False`: only
    the updates the plan page shows, see _with_board_detail)."""
    filters = filters or ActionFilters()
    on = on or timezone.localdate()
    actions = actions_for_user(user=user, organisation=organisation).filter(plan=plan)
    if filters.status == "none":
        actions = actions.filter(status__isnull=True)
    elif filters.status:
        actions = actions.filter(status__code=filters.status)
    if filters.lead:
        actions = actions.filter(Q(lead_id=filters.lead) | Q(other_leads__id=filters.lead)).distinct()
    if filters.section:
        actions = actions.filter(section_id=filters.section)
    if filters.overdue:
        actions = actions.overdue(on)
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
    rows = list(_with_board_detail(actions, history=history).order_by("section__order", "order", "reference"))
    cycle = open_cycle(plan=plan)
    for action in rows:
        annotate_action(action, cycle=cycle, on=on)
    if filters.slipped:
        rows = [a for a in rows if a.slipped]
    if filters.awaiting:
        rows = [a for a in rows if a.update_awaited]
    return rows


def annotate_action(action: Action, *, cycle: ReportingCycle | None, on: datetime.date) -> Action:
    """Attach what the board reads off a row: timescale history, latest update, overdue, slipped, awaited."""
    timescales = list(action.timescales.all())
    action.timescale_history = timescales
    action.slipped = len(timescales) > 1
    action.slipped_this_cycle = bool(cycle) and any(t.created_at >= cycle.opened_at for t in timescales[1:])
    updates = getattr(action, "updates_newest_first", None)
    if updates is None:
        updates = list(action.updates.select_related("status", "created_by").order_by("-created_at", "-id"))
    action.latest_update = updates[0] if updates else None
    action.overdue = action.is_overdue(on)
    action.update_awaited = (
        cycle is not None
        and action.state == ActionState.OPEN
        and not action.is_delivered
        and not any(u.cycle_id == cycle.pk for u in updates)
    )
    return action


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


def plan_findings(*, user: User, organisation: Organisation, plan: Plan) -> list[Finding]:
    """The plan's findings (Part B) with the actions that answer them."""
    findings = scoped(
        Finding.objects.filter(plan=plan), user=user, organisation=organisation, path="plan__organisation"
    )
    return list(
        findings.select_related("framework_element")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("status", "lead")
                .prefetch_related("other_leads")
                .order_by("reference"),
            )
        )
        .order_by("number")
    )


def cycle_awaiting_by_lead(
    *, user: User, organisation: Organisation, cycle: ReportingCycle
) -> dict[User | None, list[Action]]:
    """Open, undelivered actions with no update yet in this cycle, grouped by lead; no named lead comes last (None)."""
    actions = (
        actions_for_user(user=user, organisation=organisation)
        .filter(plan=cycle.plan)
        .undelivered()
        .exclude(updates__cycle=cycle)
        .select_related("lead", "status")
        .prefetch_related("other_leads")
    )
    grouped: dict[User, list[Action]] = defaultdict(list)
    for action in actions.order_by("reference"):
        people = ([action.lead] if action.lead else []) + list(action.other_leads.all())
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


def my_actions(*, user: User, organisation: Organisation) -> list[Action]:
    """Open actions the person leads in the organisation, those needing an update first."""
    actions = (
        actions_for_user(user=user, organisation=organisation)
        .filter(Q(lead=user) | Q(other_leads=user), state=ActionState.OPEN)
        .distinct()
    )
    rows = list(_with_board_detail(actions, history=False).order_by("plan__name", "reference"))
    cycles = {
        c.plan_id: c
        for c in ReportingCycle.objects.filter(plan_id__in={a.plan_id for a in rows}, state=CycleState.OPEN)
    }
    today = timezone.localdate()
    for action in rows:
        annotate_action(action, cycle=cycles.get(action.plan_id), on=today)
        action.open_cycle = cycles.get(action.plan_id)
    rows.sort(key=lambda a: (not a.update_awaited, a.plan.name, a.reference))
    return rows


def statuses_at(*, actions: list[Action], moment: datetime.datetime) -> dict[int, int | None]:
    """Each action's delivery-status id as it stood at a moment (its latest update recorded by then)."""
    result: dict[int, int | None] = dict.fromkeys((a.pk for a in actions), None)
    rows = (
        ProgressUpdate.objects.filter(action_id__in=result.keys(), created_at__lte=moment)
        .order_by("action_id", "created_at", "id")
        .values_list("action_id", "status_id")
    )
    for action_id, status_id in rows:
        result[action_id] = status_id
    return result


@dataclass
class Movement:
    """How the plan moved since a baseline: actions improved, worsened, newly completed, slipped."""

    baseline: datetime.datetime | None = None
    baseline_label: str = ""
    improved: list[Action] = field(default_factory=list)
    worsened: list[Action] = field(default_factory=list)
    newly_completed: list[Action] = field(default_factory=list)
    slipped: list[Action] = field(default_factory=list)


def movement_since(
    *,
    actions: list[Action],
    baseline: datetime.datetime | None,
    statuses: dict[int, DeliveryStatus],
    label: str = "",
) -> Movement:
    """Compare each action's status now with its status at the baseline (ranks decide better or worse)."""
    movement = Movement(baseline=baseline, baseline_label=label)
    if baseline is None:
        return movement
    then = statuses_at(actions=actions, moment=baseline)
    for action in actions:
        before = statuses.get(then[action.pk]) if then[action.pk] else None
        now = action.status
        if now is not None and before is not None and now.rank != before.rank:
            (movement.improved if now.rank > before.rank else movement.worsened).append(action)
        if now is not None and now.is_complete and (before is None or not before.is_complete):
            movement.newly_completed.append(action)
        if any(t.created_at > baseline for t in action.timescale_history[1:]):
            movement.slipped.append(action)
    return movement


@dataclass
class Dashboard:
    """The organisation dashboard: counts by status, movement, overdue, slipped, awaiting update."""

    plans: list[Plan]
    statuses: list[DeliveryStatus]
    counts: list[tuple[DeliveryStatus | None, int]]
    total: int
    overdue: list[Action]
    slipped: list[Action]
    awaiting: list[Action]
    movement: Movement
    cycles: dict[int, ReportingCycle | None]
    ready_to_close: list[Action]  # open, but their latest status says delivered (ADR 0012)
    mine_awaiting: list[Action]  # the signed-in person's own actions awaiting their update this cycle


def dashboard(*, user: User, organisation: Organisation, plan: Plan | None = None) -> Dashboard:
    """Everything the organisation dashboard shows, for all active plans or one."""
    plans = list(plans_for_user(user=user, organisation=organisation).filter(archived=False))
    if plan is not None:
        plans = [p for p in plans if p.pk == plan.pk]
    statuses = delivery_statuses(organisation=organisation, include_inactive=True)
    by_id = {s.pk: s for s in statuses}
    today = timezone.localdate()
    cycles = {p.pk: open_cycle(plan=p) for p in plans}
    actions = list(
        _with_board_detail(
            actions_for_user(user=user, organisation=organisation).filter(plan__in=plans), history=False
        ).order_by("plan__name", "section__order", "order")
    )
    for action in actions:
        annotate_action(action, cycle=cycles.get(action.plan_id), on=today)
    counter = Counter(a.status_id for a in actions)
    counts = [(s, counter.get(s.pk, 0)) for s in statuses if s.active or counter.get(s.pk)]
    counts.append((None, counter.get(None, 0)))
    # Movement is measured from when the current cycle opened (the close of the previous one).
    opened = [c.opened_at for c in cycles.values() if c is not None]
    baseline = min(opened) if opened else None
    label = next((c.name for c in cycles.values() if c is not None and c.opened_at == baseline), "")
    return Dashboard(
        plans=plans,
        statuses=statuses,
        counts=counts,
        total=len(actions),
        overdue=[a for a in actions if a.overdue],
        slipped=[a for a in actions if a.slipped],
        awaiting=[a for a in actions if a.update_awaited],
        movement=movement_since(actions=actions, baseline=baseline, statuses=by_id, label=label),
        cycles=cycles,
        ready_to_close=[a for a in actions if a.state == ActionState.OPEN and a.is_delivered],
        mine_awaiting=[
            a
            for a in actions
            if a.update_awaited
            and (a.lead_id == user.pk or any(p.pk == user.pk for p in a.other_leads.all()))
        ],
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One event in an action's life, for its timeline."""

    at: datetime.datetime
    kind: str  # "update", "timescale", "change"
    item: object


STATE_LABELS = frozenset({"State", "Assurance evidence"})  # shown by the state-change entries instead


def action_timeline(*, user: User, organisation: Organisation, action: Action) -> list[TimelineEntry]:
    """Updates, timescale revisions and other recorded changes of an action, newest first."""
    from wellled.core.history import history_rows
    from wellled.core.selectors import audit_for_object

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
        # The changed fields in words ("Lead: RD → TN"); a change of state has its own entry, at the time it happened.
        row.record.lines = [line for line in row.lines if line.label not in STATE_LABELS]
        if row.record.lines or row.record.action != AuditAction.UPDATE:
            entries.append(TimelineEntry(row.record.created_at, "change", row.record))
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
        .order_by("plan__name", "reference")
    )
