"""A plan's position as at a date, decided in one place (ADR 0032, ADR 0042).

Every reader (the plan page, the dashboard, My actions, the board paper, the export, the portfolio, information
answers and the API) asks this package which update an action shows as at a date, its delivery status, whether an
update is awaited, whether it is overdue or slipped, and how it moved since the previous cycle.
"""

from __future__ import annotations

from .action import ActionFacts, ActionPosition, action_position
from .cycles import Baseline, cycle_of, end_of_day, previous_cycle, recorded_by_for
from .dates import BACKDATE_WINDOW, POSITION_IN_FUTURE, POSITION_TOO_EARLY, default_position, position_problem
from .movement import Moved, moved
from .order import Positioned, latest_update, position_key, revision_position, update_as_at
from .plan import PlanPosition, plan_position, standing_date

__all__ = [
    "BACKDATE_WINDOW",
    "POSITION_IN_FUTURE",
    "POSITION_TOO_EARLY",
    "ActionFacts",
    "ActionPosition",
    "Baseline",
    "Moved",
    "PlanPosition",
    "Positioned",
    "action_position",
    "cycle_of",
    "default_position",
    "end_of_day",
    "latest_update",
    "moved",
    "plan_position",
    "position_key",
    "position_problem",
    "previous_cycle",
    "recorded_by_for",
    "revision_position",
    "standing_date",
    "update_as_at",
]
