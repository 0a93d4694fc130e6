"""Scoring a statement and attaching evidence to it (files checked for type and size, or links)."""

from __future__ import annotations

import datetime
import mimetypes
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.models import User
from wellled.core.service_kit import (
    ExpectedVersion,
    locked_get,
    record_change,
    version_check,
)
from wellled.core.stored_files import FileStoreUnreachable, upload_store

from ..choices import ScoringMethod
from ..models import (
    Assessment,
    EvidenceItem,
    StatementAssessment,
)
from .checks import score_permission_require

# Evidence uploads: common office documents and images only, up to a size set in settings.
EVIDENCE_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_max_bytes() -> int:
    return int(getattr(settings, "WELLLED_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def _evidence_categories(assessment: Assessment) -> dict[str, str]:
    return {
        c["key"]: c.get("name", c["key"])
        for c in assessment.framework.evidence_categories or []
        if "key" in c
    }


@transaction.atomic
def statement_score(
    *,
    statement: StatementAssessment,
    by: User,
    expected_version: ExpectedVersion,
    score: int | None = None,
    evidence_scores: dict[str, int] | None = None,
    narrative: str | None = None,
) -> StatementAssessment:
    """Record a statement's score (directly, or per evidence category) and what was found; no score = not assessed."""
    assessment = locked_get(Assessment, statement.assessment_id)
    score_permission_require(by, assessment)
    statement = locked_get(StatementAssessment, statement.pk)
    version_check(statement, expected_version)
    changes: dict[str, Any] = {"updated_by": by, "updated_at": timezone.now()}
    if assessment.method == ScoringMethod.DIRECT:
        if score is not None and (isinstance(score, bool) or score not in (1, 2, 3, 4)):
            raise ValidationError({"score": "Choose a score from 1 to 4, or not assessed."})
        changes |= {"score": score, "evidence_scores": {}}
    else:
        known = _evidence_categories(assessment)
        cleaned = {}
        for key, value in (evidence_scores or {}).items():
            if key not in known:
                raise ValidationError(
                    {"evidence_scores": f"{key} is not an evidence category of this framework."}
                )
            if value is None:
                continue
            if isinstance(value, bool) or value not in (1, 2, 3, 4):
                raise ValidationError({"evidence_scores": f"Choose a score from 1 to 4 for {known[key]}."})
            cleaned[key] = value
        changes |= {"score": None, "evidence_scores": cleaned}
    if narrative is not None:
        changes["narrative"] = narrative.strip()
    return record_change(statement, changes, by=by, organisation=assessment.organisation)


def _safe_name(name: str) -> str:
    return PurePath(name or "evidence").name[:200]


@transaction.atomic
def evidence_add(
    *,
    statement: StatementAssessment,
    by: User,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    at: datetime.datetime | None = None,
) -> EvidenceItem:
    """Attach a file (checked for type and size, stored under a random name) or a link to a statement."""
    assessment = locked_get(Assessment, statement.assessment_id)
    score_permission_require(by, assessment)
    if bool(file) == bool(url.strip()):
        raise ValidationError("Upload a file or give a link, one or the other.")
    item = EvidenceItem(
        statement=statement, title=title.strip(), url=url.strip(), added_by=by, added_at=at or timezone.now()
    )
    if file:
        name = _safe_name(file.name or "")
        extension = PurePath(name).suffix.lower()
        if extension not in EVIDENCE_EXTENSIONS:
            allowed = ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))
            raise ValidationError({"file": f"Upload a file of one of these types: {allowed}."})
        limit = evidence_max_bytes()
        size = file.size or 0
        if size > limit:
            raise ValidationError({"file": f"The file must be smaller than {limit // (1024 * 1024)} MB."})
        if size == 0:
            raise ValidationError({"file": "The file is empty."})
        item.original_name = name
        item.content_type = EVIDENCE_EXTENSIONS[extension] or mimetypes.guess_type(name)[0] or ""
        try:
            stored = upload_store(
                into=item.file,
                name=f"{assessment.organisation_id}/{uuid.uuid4().hex}{extension}",
                content=file,
            )
        except FileStoreUnreachable as exc:
            raise ValidationError({"file": str(exc)}) from exc
        item.size, item.sha256 = stored.size, stored.sha256
        if not item.title:
            item.title = name
    item.full_clean()
    item.save()
    after = snapshot(item)
    after["file"] = item.file.name or ""  # the stored name, not the file object
    audit_record(
        by=by, organisation=assessment.organisation, action=AuditAction.CREATE, instance=item, after=after
    )
    return item
