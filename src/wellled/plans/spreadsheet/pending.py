"""Uploads kept between the preview page and the Import button: stored, checked for age, previewed and applied."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.models import Organisation, User

from ..choices import ImportState, PlanKind
from ..models import Plan, PlanImport
from .apply import plan_import_apply
from .compare import import_permission_require, plan_import_preview
from .outcome import (
    ALREADY_IMPORTED,
    EXPIRED,
    PENDING_IMPORT_LIFETIME,
    ImportPreview,
    ImportRefused,
    ImportResult,
)
from .problems import Level, Problem
from .read import SpreadsheetFile, load_file, read_spreadsheet


def _import_snapshot(pending: PlanImport) -> dict:
    """The upload's record for the audit log, without the file's bytes."""
    state = snapshot(pending)
    state.pop("content", None)
    return state


@transaction.atomic
def plan_import_store(
    *,
    organisation: Organisation,
    plan: Plan | None,
    file,
    by: User,
    plan_name: str = "",
    plan_kind: str = "",
    position_as_at: datetime.date | None = None,
) -> PlanImport:
    """Keep an uploaded spreadsheet until its preview is confirmed; earlier uploads left waiting too long expire."""
    import_permission_require(by, organisation)
    if plan is not None and plan.organisation_id != organisation.pk:
        raise PermissionDenied("That plan belongs to another organisation.")
    upload = load_file(file)
    read_spreadsheet(upload)  # refuse what cannot be read before keeping it
    now = timezone.now()
    for stale in PlanImport.objects.select_for_update().filter(
        organisation=organisation, state=ImportState.PENDING, uploaded_at__lt=now - PENDING_IMPORT_LIFETIME
    ):
        before = _import_snapshot(stale)
        stale.state, stale.content = ImportState.EXPIRED, b""
        stale.save(update_fields=["state", "content"])
        audit_record(
            by=by,
            organisation=organisation,
            action=AuditAction.UPDATE,
            instance=stale,
            before=before,
            after=_import_snapshot(stale),
        )
    pending = PlanImport.objects.create(
        organisation=organisation,
        plan=plan,
        plan_name=" ".join(plan_name.split())[:200],
        plan_kind=plan_kind,
        position_as_at=position_as_at,
        file_name=upload.name[:200],
        content=upload.data,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        uploaded_by=by,
        uploaded_at=now,
    )
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        instance=pending,
        after=_import_snapshot(pending),
    )
    return pending


def pending_file(pending: PlanImport) -> SpreadsheetFile:
    """The kept upload as a file to read."""
    return SpreadsheetFile(name=pending.file_name, data=bytes(pending.content))


def pending_is_live(pending: PlanImport, *, now: datetime.datetime | None = None) -> bool:
    """Waiting, and uploaded less than PENDING_IMPORT_LIFETIME ago."""
    now = now or timezone.now()
    return pending.state == ImportState.PENDING and pending.uploaded_at >= now - PENDING_IMPORT_LIFETIME


def plan_import_preview_pending(*, pending: PlanImport, by: User) -> ImportPreview:
    """The preview of a kept upload, against the plan as it is now."""
    return plan_import_preview(
        organisation=pending.organisation,
        plan_or_none=pending.plan,
        file=pending_file(pending),
        by=by,
        plan_name=pending.plan_name,
        as_at=pending.position_as_at,
    )


@transaction.atomic
def plan_import_apply_pending(
    *,
    pending: PlanImport,
    by: User,
    expected_fingerprint: str | None,
    lead_choices: dict[str, str] | None = None,
    legend_wording: bool = False,
) -> ImportResult:
    """Import a kept upload whose preview was checked; the upload then keeps what was done, not the file."""
    pending = (
        PlanImport.objects.select_for_update(of=("self",))
        .select_related("organisation", "plan")
        .get(pk=pending.pk)
    )
    import_permission_require(by, pending.organisation)
    if pending.state == ImportState.APPLIED:
        raise ImportRefused([Problem(Level.ERROR, ALREADY_IMPORTED)])
    if not pending_is_live(pending):
        raise ImportRefused([Problem(Level.ERROR, EXPIRED)])
    result = plan_import_apply(
        organisation=pending.organisation,
        plan_or_none=pending.plan,
        file=pending_file(pending),
        by=by,
        plan_name=pending.plan_name,
        plan_kind=pending.plan_kind or PlanKind.SELF_REVIEW,
        expected_fingerprint=expected_fingerprint,
        as_at=pending.position_as_at,
        lead_choices=lead_choices,
        legend_wording=legend_wording,
    )
    before = _import_snapshot(pending)
    pending.plan, pending.state, pending.content = result.plan, ImportState.APPLIED, b""
    pending.applied_by, pending.applied_at, pending.result = by, timezone.now(), result.as_json()
    pending.save(update_fields=["plan", "state", "content", "applied_by", "applied_at", "result"])
    audit_record(
        by=by,
        organisation=pending.organisation,
        action=AuditAction.UPDATE,
        instance=pending,
        before=before,
        after=_import_snapshot(pending),
        note=f"Imported into {result.plan.name}: {len(result.created)} added, {len(result.updated)} changed",
    )
    return result
