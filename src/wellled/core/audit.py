"""The auditor: every service that changes plan data calls `audit_record` inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .bulk import insert_many
from .choices import AuditAction
from .context import current_request_id
from .models import AuditLog, Organisation, User

# Secrets never enter the audit log.
SNAPSHOT_EXCLUDED_FIELDS = frozenset({"password", "client_secret_encrypted", "token_digest"})


def snapshot(
    instance: models.Model, *, many_to_many: dict[str, Iterable[int]] | None = None
) -> dict[str, Any]:
    """The instance's concrete fields (and many-to-many ids) as JSON-safe values, for before/after records.

    `many_to_many` gives ids the caller already holds (a bulk import), instead of a query per field."""
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
            if many_to_many is not None and field.name in many_to_many:
                state[field.name] = sorted(many_to_many[field.name])
            else:
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


class AuditEntry(NamedTuple):
    """One record for `audit_record_many`: what happened to which object, with its state before and after."""

    action: str
    instance: models.Model
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str = ""


def audit_record_many(
    *, by: User | None, organisation: Organisation | None, entries: Iterable[AuditEntry]
) -> int:
    """Write many audit records in one insert (a spreadsheet import), by the same rules as `audit_record`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the service's transaction.atomic block.")
    request_id = current_request_id() or ""
    actor_id = by.pk if by is not None and by.pk else None
    organisation_id = organisation.pk if organisation is not None else None
    rows = []
    for entry in entries:
        after = entry.after
        if entry.action != AuditAction.DELETE and after is None:
            after = snapshot(entry.instance)
        rows.append(
            AuditLog(
                actor_id=actor_id,
                organisation_id=organisation_id,
                action=entry.action,
                content_type_id=ContentType.objects.get_for_model(entry.instance, for_concrete_model=True).pk,
                object_id=str(entry.instance.pk),
                object_repr=str(entry.instance)[:300],
                before=entry.before,
                after=after,
                request_id=request_id,
                note=entry.note[:300],
            )
        )
    return insert_many(rows)
