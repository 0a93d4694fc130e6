"""The auditor: every service that changes plan data calls `audit_record` inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .choices import AuditAction
from .context import current_request_id
from .models import AuditLog, Organisation, User

# Secrets never enter the audit log.
SNAPSHOT_EXCLUDED_FIELDS = frozenset({"password"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete fields (and many-to-many ids) as JSON-safe values, for before/after records."""
    state: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.attname in SNAPSHOT_EXCLUDED_FIELDS:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime.datetime | datetime.date | decimal.Decimal):
            value = value.isoformat() if not isinstance(value, decimal.Decimal) else str(value)
        state[field.attname] = value
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            state[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return state


def audit_record(
    *,
    by: User | None,
    organisation: Organisation | None,
    action: AuditAction | str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditLog:
    """Write one audit record; must run inside the caller's transaction so both land or neither does."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction.atomic block.")
    if action != AuditAction.DELETE and after is None:
        after = snapshot(instance)
    return AuditLog.objects.create(
        actor=by if by is not None and by.pk else None,
        organisation=organisation,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
        request_id=current_request_id() or "",
        note=note[:300],
    )
