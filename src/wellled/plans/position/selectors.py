"""Many plans' positions at once (an oversight portfolio reads 220 trusts): a fixed number of queries, whatever
the number of plans, then the same pure rule as every page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wellled.core.models import DeliveryStatus

from ..choices import CycleState
from ..models import Action, ProgressUpdate, ReportingCycle
from .action import ActionFacts, ActionPosition
from .plan import plan_position

# Newest first by position, then by recording time: an action's latest update states its status (ADR 0032).
POSITION_ORDER = ("-update_date", "-created_at", "-id")
UPDATE_FIELDS = ("id", "action_id", "cycle_id", "status_id", "update_date", "created_at", "awaited")


def standing_updates(updates: QuerySet[ProgressUpdate], *, today: datetime.date) -> QuerySet[ProgressUpdate]:
    """Of these updates, enough for a plan as it stands: each action's latest and the open cycles' updates, or
    all of a plan with a cycle for today or later (its closing cut-off may leave out the latest)."""
    newest = ProgressUpdate.objects.filter(action_id=OuterRef("action_id")).order_by(*POSITION_ORDER)
    dated_today = ReportingCycle.objects.filter(
        plan_id=OuterRef("action__plan_id"), position_as_at__gte=today
    )
    return updates.filter(
        Q(pk=Subquery(newest.values("pk")[:1])) | Q(cycle__state=CycleState.OPEN) | Q(Exists(dated_today))
    )


@dataclass(frozen=True)
class Revision:
    """A timescale revision as the rule reads it (TimescaleRevision's fields, read with its action)."""

    due_date: datetime.date
    precision: str
    position_date: datetime.date | None
    created_at: datetime.datetime


@dataclass(frozen=True)
class Cycle:
    """A reporting cycle as the rule reads it (ReportingCycle's fields, read with its plan's actions)."""

    pk: int
    name: str
    state: str
    position_as_at: datetime.date
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None


ACTION_FIELDS = ("pk", "plan_id", "plan__organisation_id", "state", "status_id", "due_date", "due_precision")
REVISION_FIELDS = tuple(
    f"timescales__{name}" for name in ("id", "due_date", "precision", "position_date", "created_at")
)
CYCLE_FIELDS = tuple(
    f"standing_cycle__{name}" for name in ("id", "name", "state", "position_as_at", "opened_at", "closed_at")
)


@dataclass
class StandingFacts:
    """What the standing positions of some actions read: each action's facts by plan, the cycles a standing position
    can answer by plan, and each action's plan and organisation ids."""

    by_plan: dict[int, list[ActionFacts]]
    cycles: dict[int, dict[int, Cycle]]
    plan_of: dict[int, int]
    organisation_of: dict[int, int]


def standing_facts(
    actions: QuerySet[Action], *, today: datetime.date, dated_ahead: bool = False
) -> StandingFacts:
    """The facts of these actions' standing positions in two queries (the actions with their timescale revisions
    and candidate cycles; their standing updates). `dated_ahead` also reads every update dated today or later, so
    the day the position next changes can be told (plans.position.horizon)."""
    rows: dict[int, tuple] = {}
    revisions: dict[int, dict[int, Revision]] = defaultdict(dict)
    cycles: dict[int, dict[int, Cycle]] = defaultdict(dict)
    candidates = FilteredRelation(
        "plan__cycles",
        condition=Q(plan__cycles__state=CycleState.OPEN) | Q(plan__cycles__position_as_at__gte=today),
    )
    # One row per action, timescale revision and candidate cycle (either side empty when there is none).
    joined = (
        actions.annotate(standing_cycle=candidates)
        .order_by("pk", "timescales__created_at", "timescales__id")
        .values_list(*ACTION_FIELDS, *REVISION_FIELDS, *CYCLE_FIELDS)
    )
    width = len(ACTION_FIELDS)
    for values in joined:
        row, revision, cycle = values[:width], values[width : width + 5], values[width + 5 :]
        rows[row[0]] = row
        if revision[0] is not None:
            revisions[row[0]][revision[0]] = Revision(*revision[1:])
        if cycle[0] is not None:
            cycles[row[1]][cycle[0]] = Cycle(*cycle)
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    wanted = standing_updates(ProgressUpdate.objects.filter(action_id__in=list(rows)), today=today)
    if dated_ahead:
        wanted = wanted | ProgressUpdate.objects.filter(action_id__in=list(rows), update_date__gte=today)
    for update in wanted.only(*UPDATE_FIELDS):
        updates[update.action_id].append(update)
    found = StandingFacts(by_plan=defaultdict(list), cycles=cycles, plan_of={}, organisation_of={})
    for pk, plan_id, organisation_id, state, status_id, due_date, precision in rows.values():
        found.organisation_of[pk] = organisation_id
        found.plan_of[pk] = plan_id
        found.by_plan[plan_id].append(
            ActionFacts(
                pk=pk,
                state=state,
                status_id=status_id,
                due_date=due_date,
                due_precision=precision,
                revisions=tuple(revisions[pk].values()),
                updates=tuple(updates[pk]),
            )
        )
    return found


def standing_positions_of(
    actions: QuerySet[Action], *, complete_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, tuple[int, ActionPosition]]:
    """Each action's status, awaited and overdue flags as its plan stands now, with its plan's organisation id,
    in two queries (standing_facts). No previous paper is read, so these positions carry no movement. The actions
    must already be scoped to what the person may see; `complete_ids` are the delivered statuses of their scales."""
    today = today or timezone.localdate()
    facts = standing_facts(actions, today=today)
    now = timezone.now()
    found: dict[int, tuple[int, ActionPosition]] = {}
    for plan_id, plan_facts in facts.by_plan.items():
        position = plan_position(
            cycles=facts.cycles[plan_id].values(),
            facts=plan_facts,
            complete_ids=frozenset(complete_ids),
            now=now,
            today=today,
        )
        found.update((pk, (facts.organisation_of[pk], p)) for pk, p in position.actions.items())
    return found


def standing_positions_for(actions: Iterable[Action]) -> tuple[dict[int, ActionPosition], dict[int, str]]:
    """The positions of these actions as their plans stand now, and the codes of their organisations' delivery
    statuses by id, in three queries however many actions (an API page of them)."""
    ids = [a.pk for a in actions]
    scale = DeliveryStatus.objects.filter(organisation__plans__actions__in=ids).distinct()
    codes: dict[int, str] = {}
    complete: list[int] = []
    for pk, code, is_complete in scale.values_list("pk", "code", "is_complete"):
        codes[pk] = code
        if is_complete:
            complete.append(pk)
    found = standing_positions_of(Action.objects.filter(pk__in=ids), complete_ids=complete)
    return {pk: position for pk, (_, position) in found.items()}, codes
