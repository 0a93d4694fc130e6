"""Storing an issued paper (frozen, fingerprinted, audited) and withdrawing one: the writes every kind shares."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction
from wellled.core.formatting import long_date
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import permission_require, record_create

from ..formats import FORMATS
from ..models import IssuedPaper, IssuedPaperFile, PaperWithdrawal
from ..snapshot import checksum
from .kind import DEFAULT_ISSUE_PERMISSION
from .registry import kind_label

WITHDRAW_NO_REASON = "Enter the reason the paper is withdrawn: the board's record keeps it."
WITHDRAWN_ALREADY = "This paper was withdrawn already."


def fingerprint(content: bytes) -> str:
    """SHA-256 of a file's bytes, as 64 hex digits (ADR 0009)."""
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def issued_paper_store(
    *,
    organisation: Organisation,
    kind: str,
    as_at: datetime.date,
    title: str,
    issued_at: datetime.datetime,
    data: dict,
    files: list[tuple[str, str, bytes]],
    total: int,
    counts: list[dict[str, Any]],
    by: User,
    permission: Permission,
    note: str,
    plan=None,
    cycle=None,
) -> IssuedPaper:
    """Store an issued paper: the snapshot with its checksum, each (format, filename, bytes) file with its own, and
    the audit record, together or not at all. The role is read again here: it may have changed while rendering."""
    permission_require(user=by, organisation_id=organisation.pk, permission=permission)
    if plan is not None and plan.organisation_id != organisation.pk:
        raise ValueError("The plan belongs to another organisation.")
    issued = IssuedPaper.objects.create(
        organisation=organisation,
        kind=kind,
        plan=plan,
        cycle=cycle,
        as_at=as_at,
        title=title[:300],
        issued_by=by,
        issued_at=issued_at,
        data=data,
        data_sha256=checksum(data),
        total=total,
        counts=counts,
    )
    described = []
    for fmt, name, content in files:
        digest = fingerprint(content)
        IssuedPaperFile.objects.create(
            paper=issued,
            format=fmt,
            filename=name,
            content_type=FORMATS[fmt].content_type,
            content=content,
            size=len(content),
            sha256=digest,
        )
        described.append(f"{FORMATS[fmt].name} {len(content):,} bytes, SHA-256 {digest}")
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.CREATE,
        instance=issued,
        after={
            "kind": kind,
            **({"plan_id": plan.pk, "cycle_id": cycle.pk if cycle else None} if plan is not None else {}),
            "as_at": as_at.isoformat(),
            "title": issued.title,
            "total": total,
            "data_sha256": issued.data_sha256,
            "files": "; ".join(described),
        },
        note=note,
    )
    return issued


@transaction.atomic
def paper_withdraw(*, paper: IssuedPaper, by: User, reason: str) -> PaperWithdrawal:
    """Withdraw an issued paper of any kind with a reason: it is kept as issued and marked withdrawn, and no longer
    counts as the latest paper or in comparisons (ADR 0034)."""
    permission_require(user=by, organisation_id=paper.organisation_id, permission=DEFAULT_ISSUE_PERMISSION)
    paper = (
        IssuedPaper.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=paper.pk)
    )
    if not reason.strip():
        raise ValidationError({"reason": WITHDRAW_NO_REASON})
    if PaperWithdrawal.objects.filter(paper=paper).exists():
        raise ValidationError({"reason": WITHDRAWN_ALREADY})
    return record_create(
        instance=PaperWithdrawal(
            paper=paper, reason=reason.strip(), withdrawn_by=by, withdrawn_at=timezone.now()
        ),
        by=by,
        organisation=paper.organisation,
        permission=None,  # checked above, before the lock
        clean=[],
        note=f"{kind_label(paper.kind)} withdrawn: position as at {long_date(paper.as_at)}",
    )
