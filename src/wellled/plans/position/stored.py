"""Each action's standing position kept as a row (ADR 0061): worked out by the one rule (plans.position), written
by the plans services in the transaction that changes it, and read by the portfolio as counts in one query.

What depends on the day read is left to the database: overdue (open, not delivered, its standing timescale before
the day) and awaited (as shown, or the cycle unanswered by an action still to deliver). A row holds until its
`stands_until` day, when a dated update, revision or cycle may change it; a read works such actions out by the
rule, and the daily job (`wellled plan standing`) stores them again."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..choices import ActionState
from ..models import Action, ActionStanding
from .horizon import stands_until
from .plan import plan_position
from .selectors import standing_facts, standing_positions_of

# Rows worked out and written per batch: bounds the memory of a fill of a whole region's 115,000 actions.
REFRESH_BATCH = 5000
STORED_FIELDS = (
    "organisation",
    "plan",
    "status",
    "state",
    "due_date",
    "awaited_as_shown",
    "cycle_unanswered",
    "stands_on",
    "stands_until",
    "refreshed_at",
)


def _on(prefix: str, **lookups) -> Q:
    """A Q over the stored row's fields, read directly (prefix "") or from an action ("standing__")."""
    return Q(**{prefix + name: value for name, value in lookups.items()})


def to_deliver_q(prefix: str = "") -> Q:
    """Open and not reported delivered (ADR 0012), in the stored row's words: no status is not delivered."""
    return _on(prefix, state=ActionState.OPEN) & ~_on(prefix, status__is_complete=True)


def overdue_q(on: datetime.date, prefix: str = "") -> Q:
    """Still to deliver and past the timescale standing on the day (plans.position.action.is_overdue)."""
    return to_deliver_q(prefix) & _on(prefix, due_date__lt=on)


def awaited_q(prefix: str = "") -> Q:
    """Awaited as shown, or the day's cycle unanswered by an action still to deliver (action.is_awaited)."""
    return _on(prefix, awaited_as_shown=True) | (_on(prefix, cycle_unanswered=True) & to_deliver_q(prefix))


def holds_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows that hold on the day: worked out on or before it, and not yet at a day that may change them."""
    return _on(prefix, stands_on__lte=on) & (
        _on(prefix, stands_until__isnull=True) | _on(prefix, stands_until__gt=on)
    )


def worked_out(actions: QuerySet[Action], *, today: datetime.date) -> list[ActionStanding]:
    """The standing rows of these actions on the day, each from plans.position's rule (two queries)."""
    facts = standing_facts(actions, today=today, dated_ahead=True)
    now = timezone.now()
    rows = []
    for plan_id, plan_facts in facts.by_plan.items():
        cycles = list(facts.cycles[plan_id].values())
        # Delivered does not change what is stored (status, state, due date, the cycle's answer): [] will do.
        position = plan_position(cycles=cycles, facts=plan_facts, complete_ids=(), now=now, today=today)
        for f in plan_facts:
            p = position[f.pk]
            rows.append(
                ActionStanding(
                    action_id=f.pk,
                    organisation_id=facts.organisation_of[f.pk],
                    plan_id=plan_id,
                    status_id=p.status_id,
                    state=p.state,
                    due_date=p.due_date,
                    awaited_as_shown=p.awaited_as_shown,
                    cycle_unanswered=p.cycle_unanswered,
                    stands_on=today,
                    stands_until=stands_until(f, cycles=cycles, today=today),
                    refreshed_at=now,
                )
            )
    return rows


def standing_refresh(actions: QuerySet[Action] | Iterable[int], *, today: datetime.date | None = None) -> int:
    """Work out these actions' standing rows again and store them: called by every plans service that records an
    update, a timescale revision, a state or status change or a cycle, inside its transaction. Batched, so a
    whole region's actions can be filled (`wellled plans_standing`)."""
    today = today or timezone.localdate()
    if not isinstance(actions, QuerySet):
        actions = Action.objects.filter(pk__in=list(actions))
    ids = list(actions.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_BATCH):
        rows = worked_out(Action.objects.filter(pk__in=ids[start : start + REFRESH_BATCH]), today=today)
        ActionStanding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["action"],
            update_fields=list(STORED_FIELDS),
            batch_size=2000,
        )
    return len(ids)


def standing_refresh_due(*, every: bool = False, today: datetime.date | None = None) -> int:
    """Work out again the rows that no longer hold today (missing, or at their `stands_until` day), or with
    `every` all of them: the daily job, and the fill after an upgrade (`wellled plan standing`)."""
    today = today or timezone.localdate()
    actions = Action.objects.all()
    if not every:
        actions = actions.exclude(pk__in=ActionStanding.objects.filter(holds_q(today)).values("action_id"))
    return standing_refresh(actions, today=today)


@dataclass
class StandingCounts:
    """One organisation's actions as they stand: how many show each status (None: none), overdue and awaited."""

    by_status: Counter = field(default_factory=Counter)
    overdue: int = 0
    awaited: int = 0


def _counted(condition: Q):
    return Coalesce(Sum(Case(When(condition, then=Value(1)), default=Value(0))), 0)


def standing_counts(
    actions: QuerySet[Action], *, complete_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, StandingCounts]:
    """Counts by organisation of these actions' standing positions (already scoped to what the person may see;
    `complete_ids`: their scales' delivered statuses), in one aggregate query over the actions and their kept rows.
    Any action without a row that holds today (missing, or at its `stands_until` day) is worked out by the rule
    and counted, not stored, since a read never writes (the daily `wellled plan standing` stores it)."""
    today = today or timezone.localdate()
    holds = holds_q(today, "standing__")
    rows = (
        actions.values("plan__organisation_id", "standing__status_id")
        .annotate(
            n=_counted(holds),
            overdue=_counted(holds & overdue_q(today, "standing__")),
            awaited=_counted(holds & awaited_q("standing__")),
            unkept=_counted(~holds | Q(standing__isnull=True)),
        )
        .order_by()
    )
    found: dict[int, StandingCounts] = defaultdict(StandingCounts)
    unkept = False
    for row in rows:
        counts = found[row["plan__organisation_id"]]
        if row["n"]:
            counts.by_status[row["standing__status_id"]] += row["n"]
        counts.overdue += row["overdue"]
        counts.awaited += row["awaited"]
        unkept = unkept or row["unkept"] > 0
    if unkept:
        stale = actions.exclude(pk__in=ActionStanding.objects.filter(holds_q(today)).values("action_id"))
        for organisation_id, p in standing_positions_of(
            stale, complete_ids=complete_ids, today=today
        ).values():
            counts = found[organisation_id]
            counts.by_status[p.status_id] += 1
            counts.overdue += p.overdue
            counts.awaited += p.update_awaited
    return dict(found)
