"""Papers for an agenda item (issue 22, ADR 0057): a Wellled paper issued and frozen for the meeting through the one
paper pipeline, an uploaded PDF or Word file (its kind read from its content, its size limited, its SHA-256 kept,
stored through Django's storage) or a verbal update; each with its cover sheet. Every write is audited."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    ExpectedVersion,
    locked_get,
    permission_require,
    version_bump,
    version_check,
)
from wellled.reports.papers.kind import PaperRequest
from wellled.reports.papers.pipeline import issue
from wellled.reports.papers.registry import UnknownPaperKind, kind_get

from ..choices import CommitteeKind, PaperSource
from ..models import AgendaItem, Paper
from ..papers.pack import sniff

# The Wellled papers an item can take without naming a plan: those of the whole organisation (reports registry).
WELLLED_KINDS = ("baf", "ipr")
NOT_A_PAPER = (
    "Upload a PDF or a Word (.docx) file: this file is neither (its content was read, not its name)."
)
TOO_BIG = "The file is {size:,} bytes: the most a paper may be is {limit:,} bytes (about {mb} MB)."
NO_FILE = "Choose the file to upload."
UNKNOWN_KIND = "Choose one of the Wellled papers listed."
HELD = "The meeting has been held: its papers are kept as they were."
COVER_FIELDS = frozenset({"title", "summary", "considered_before", "assurance_sought"})


def paper_state(paper: Paper) -> dict[str, Any]:
    """The paper as its audit record keeps it: its file by storage name (a stored file is not JSON)."""
    file = paper.file
    paper.file = None  # type: ignore[assignment]
    try:
        state = snapshot(paper)
    finally:
        paper.file = file
    state["file"] = file.name if file else ""
    return state


@transaction.atomic
def _store(paper: Paper, *, organisation: Organisation, by: User) -> Paper:
    """Validate, save and audit a new paper, in one transaction."""
    paper.full_clean(exclude=["file"])
    paper.save()
    audit_record(
        by=by, organisation=organisation, action=AuditAction.CREATE, instance=paper, after=paper_state(paper)
    )
    return paper


def _editable(item: AgendaItem) -> None:
    if item.meeting.status != "planned":
        raise ValidationError(HELD)


def _paper(item: AgendaItem, *, by: User, source: str, title: str, cover: Mapping[str, str]) -> Paper:
    return Paper(
        item=item,
        title=(title or item.title).strip()[:300],
        source=source,
        summary=cover.get("summary", ""),
        considered_before=cover.get("considered_before", ""),
        assurance_sought=cover.get("assurance_sought", ""),
        author=by,
        submitted_at=timezone.now(),
    )


def page_count(data: bytes, kind: str) -> int | None:
    """How many pages the file has: read from a PDF; from a Word file's own count, when it kept one."""
    if kind == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return len(PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError, KeyError) as exc:
            raise ValidationError(
                {"file": f"The PDF cannot be read ({exc}): save it again and upload it."}
            ) from None
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            app = archive.read("docProps/app.xml").decode("utf-8", "replace")
        except KeyError:
            return None
    found = re.search(r"<Pages>(\d+)</Pages>", app)
    return int(found.group(1)) if found else None


def paper_upload(
    *, item: AgendaItem, upload: UploadedFile | None, by: User, title: str = "", **cover: str
) -> Paper:
    """Attach an uploaded PDF or Word paper to the item with its cover sheet; refused with a message that says
    why if the file is too big or is neither kind."""
    organisation = item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    _editable(item)
    if upload is None:
        raise ValidationError({"file": NO_FILE})
    limit = int(settings.WELLLED_MAX_UPLOAD_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": TOO_BIG.format(size=upload.size, limit=limit, mb=limit // 2**20)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": TOO_BIG.format(size=len(data), limit=limit, mb=limit // 2**20)})
    kind = sniff(data)
    if not kind:
        raise ValidationError({"file": NOT_A_PAPER})
    pages = page_count(data, kind)
    digest = hashlib.sha256(data).hexdigest()
    paper = _paper(item, by=by, source=PaperSource.UPLOAD, title=title, cover=cover)
    paper.file_name = (upload.name or f"paper.{kind}")[:255]
    paper.file_sha256 = digest
    paper.pages = pages
    with transaction.atomic():
        paper.file.save(f"{digest}.{kind}", ContentFile(data), save=False)
        return _store(paper, organisation=organisation, by=by)


def paper_wellled_issue(*, item: AgendaItem, kind: str, by: User, title: str = "", **cover: str) -> Paper:
    """Issue a Wellled paper as at today through the one pipeline and attach it, frozen, to the item: for a
    committee, its own part (the principal risks it leads, the measures it owns; ADR 0062); for the board, all."""
    organisation = item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    _editable(item)
    if kind not in WELLLED_KINDS:
        raise ValidationError({"kind": UNKNOWN_KIND})
    try:
        paper_kind = kind_get(kind)
    except UnknownPaperKind:
        raise ValidationError({"kind": UNKNOWN_KIND}) from None
    committee = item.meeting.committee
    part = None if committee.kind == CommitteeKind.BOARD else committee
    request = PaperRequest(organisation=organisation, by=by, as_at=timezone.localdate(), subject=part)
    issued = issue(kind, request)
    default_title = f"{paper_kind.label}: {committee.name}" if part is not None else paper_kind.label
    paper = _paper(item, by=by, source=PaperSource.WELLLED, title=title or default_title, cover=cover)
    paper.issued_paper = issued
    return _store(paper, organisation=organisation, by=by)


def paper_issued_attach(*, item: AgendaItem, issued: Any, by: User, title: str = "", **cover: str) -> Paper:
    """Attach a Wellled paper already issued (a plan's delivery paper, a chair's report) to the item."""
    organisation = item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    _editable(item)
    if issued.organisation_id != organisation.pk:
        raise ValidationError({"issued": "Choose a paper issued by this organisation."})
    paper = _paper(item, by=by, source=PaperSource.WELLLED, title=title or issued.title, cover=cover)
    paper.issued_paper = issued
    return _store(paper, organisation=organisation, by=by)


def paper_verbal(*, item: AgendaItem, by: User, title: str = "", **cover: str) -> Paper:
    """Record that the item is a verbal update: on the agenda and the index, with no pages."""
    organisation = item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    _editable(item)
    paper = _paper(item, by=by, source=PaperSource.VERBAL, title=title, cover=cover)
    return _store(paper, organisation=organisation, by=by)


@transaction.atomic
def paper_cover_update(*, paper: Paper, by: User, expected_version: ExpectedVersion, **changes: str) -> Paper:
    """Change a paper's title or its cover sheet (summary, where considered before, assurance sought)."""
    organisation = paper.item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    unknown = set(changes) - COVER_FIELDS
    if unknown:
        raise ValueError(f"A paper's cover sheet has no {', '.join(sorted(unknown))}.")
    row = locked_get(Paper, paper.pk)
    _editable(row.item)
    version_check(row, expected_version)
    before = paper_state(row)
    for name, value in changes.items():
        setattr(row, name, value)
    row.full_clean(exclude=["file"])
    version_bump(row, changes)
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        instance=row,
        before=before,
        after=paper_state(row),
    )
    return row


@transaction.atomic
def paper_remove(*, paper: Paper, by: User) -> None:
    """Take a paper off its item before the meeting (its stored file stays: an issued pack may hold it)."""
    organisation = paper.item.meeting.committee.organisation
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_COMMITTEES)
    _editable(paper.item)
    audit_record(
        by=by, organisation=organisation, action=AuditAction.DELETE, instance=paper, before=paper_state(paper)
    )
    paper.delete()
