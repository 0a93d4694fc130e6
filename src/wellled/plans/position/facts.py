"""The facts the position rule reads, taken from rows already fetched (no query when they were prefetched)."""

from __future__ import annotations

from ..models import Action
from .action import ActionFacts


def prefetched(instance, name: str):
    """A prefetched relation's rows, or None when it was not prefetched (so nothing is queried)."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def read(action: Action, name: str, related):
    """An action's related rows as plans.selectors._standing_detail kept them under `name`, else the relation's
    (prefetched) rows."""
    kept = getattr(action, name, None)
    return kept if kept is not None else related.all()


def facts_of(action: Action) -> ActionFacts:
    """An action's facts from its board detail (plans.selectors._with_board_detail): its updates (all, or the
    latest and the open cycles'), timescale revisions and, when prefetched, its state changes."""
    updates = getattr(action, "updates_newest_first", None)
    if updates is None:
        updates = list(action.updates.select_related("status", "created_by"))
    return ActionFacts(
        pk=action.pk,
        state=action.state,
        status_id=action.status_id,
        due_date=action.due_date,
        due_precision=action.due_precision,
        revisions=tuple(read(action, "timescales_read", action.timescales)),
        updates=tuple(updates),
        state_changes=prefetched(action, "state_changes"),
    )


def complete_ids_of(actions, facts) -> frozenset[int]:
    """The delivered statuses among those already read with the actions and their updates (no query)."""
    statuses = [a.status for a in actions if a.status_id]
    statuses += [u.status for f in facts for u in f.updates]
    return frozenset(s.pk for s in statuses if s.is_complete)
