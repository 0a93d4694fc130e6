"""The delivery rule of ADR 0012 in a query's words, for the rare reader that must filter in the database."""

from __future__ import annotations

import datetime

from django.db.models import Q

from ..choices import ActionState


def undelivered_q() -> Q:
    """Open actions whose stored (latest) status does not mean delivered; no status counts as not delivered."""
    return Q(state=ActionState.OPEN) & ~Q(status__is_complete=True)


def overdue_q(on: datetime.date) -> Q:
    """Undelivered actions past their current timescale on a day."""
    return undelivered_q() & Q(due_date__lt=on)
