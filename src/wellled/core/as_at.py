"""Records as they stood at a moment, read back from the audit log (every change keeps the whole object before
and after it), so a paper dated in the past says what the record said then, not what it says today (ADR 0043)."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLog

M = TypeVar("M", bound=models.Model)


def states_as_at(model: type[models.Model], ids: Iterable[int], moment: datetime.datetime) -> dict[int, dict]:
    """Each object's audited fields as they stood at the moment: the state after its last change by then, or, for
    an object first audited later (imported without a record), the state before its first later change. An
    object with no audit record at all is absent (what it says now is all there is)."""
    keys = [str(pk) for pk in ids]
    if not keys:
        return {}
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    rows = (
        AuditLog.objects.filter(content_type=content_type, object_id__in=keys)
        .order_by("created_at", "id")
        .values_list("object_id", "created_at", "before", "after")
    )
    states: dict[int, dict] = {}
    settled: set[int] = set()
    for object_id, created_at, before, after in rows:
        pk = int(object_id)
        if created_at <= moment:
            if after:
                states[pk] = after
        elif pk not in settled:
            settled.add(pk)
            if pk not in states and before:
                states[pk] = before
    return states


def as_it_stood(instance: M, state: dict[str, Any] | None, fields: Sequence[str]) -> M:
    """A copy of the instance with the named fields (and foreign keys, by name) as the state gives them; the
    instance itself is not changed. Fields the state does not hold keep today's value."""
    if not state:
        return instance
    stood = copy.copy(instance)
    stood._state = copy.copy(instance._state)
    stood._state.fields_cache = dict(instance._state.fields_cache)
    for name in fields:
        field = instance._meta.get_field(name)
        if not isinstance(field, models.Field) or field.attname not in state:
            continue
        value = field.to_python(state[field.attname])
        if getattr(instance, field.attname) == value:
            continue
        setattr(stood, field.attname, value)
        if field.is_relation:
            stood._state.fields_cache.pop(field.name, None)  # read the object it named then, when asked
    return stood


def records_as_at(instances: Sequence[M], moment: datetime.datetime, fields: Sequence[str]) -> list[M]:
    """Each instance (all of one model) with the named fields as they stood at the moment, in one query: what a
    paper dated in the past prints (a principal risk's wording; an action's lead on the board paper)."""
    if not instances:
        return []
    states = states_as_at(type(instances[0]), [instance.pk for instance in instances], moment)
    return [as_it_stood(instance, states.get(instance.pk), fields) for instance in instances]
