"""Which update states an action's position (ADR 0032): the latest by position date, then by recording time,
among those for a position on or before the date and recorded by the cut-off."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from django.utils import timezone


class Positioned(Protocol):
    """A progress update as the rule reads it: its position, when it was recorded, and its id."""

    @property
    def update_date(self) -> datetime.date: ...

    @property
    def created_at(self) -> datetime.datetime: ...

    @property
    def pk(self) -> Any: ...


T = TypeVar("T", bound=Positioned)


def position_key(update: Positioned) -> tuple:
    """How updates are ordered: by position, then by when they were recorded."""
    return (update.update_date, update.created_at, update.pk or 0)


def latest_update(updates: Iterable[T]) -> T | None:
    """The update that states an action's status: the latest by position, then by recording time."""
    return max(updates, key=position_key, default=None)


def standing(updates: Iterable[T], *, as_at: datetime.date, recorded_by: datetime.datetime) -> list[T]:
    """The updates a position as at a date can read: for a position on or before it, recorded by the cut-off."""
    return [u for u in updates if u.update_date <= as_at and u.created_at <= recorded_by]


def update_as_at(updates: Iterable[T], *, as_at: datetime.date, recorded_by: datetime.datetime) -> T | None:
    """The update a paper as at a date shows: for a position on or before it, recorded by the cut-off."""
    return latest_update(standing(updates, as_at=as_at, recorded_by=recorded_by))


def revision_position(revision) -> datetime.date:
    """The position from which a timescale revision stands: its own date, else the day it was recorded."""
    return revision.position_date or timezone.localdate(revision.created_at)


def revisions_as_at(revisions: Iterable, *, as_at: datetime.date, recorded_by: datetime.datetime) -> list:
    """The timescale revisions standing on a date (oldest first, as given), recorded by the cut-off."""
    return [t for t in revisions if revision_position(t) <= as_at and t.created_at <= recorded_by]
