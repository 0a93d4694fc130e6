"""Chair's reports to the board (ADR 0062): the chair (or the governance team) writes the sections, adds the alert
candidates Wellled suggests, confirms, and issues the report through the one paper pipeline; issuing places it on
the next agenda of the body the committee reports to, as an item under the committee's name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wellled.core.access import current_role
from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction
from wellled.core.formatting import day_text
from wellled.core.models import User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    ROLE_REFUSED,
    ExpectedVersion,
    fields_update,
    locked_get,
    record_change,
    record_create,
)
from wellled.reports.models import IssuedPaper
from wellled.reports.papers.kind import PaperRequest
from wellled.reports.papers.pipeline import issue

from ..choices import ItemPart, ItemPurpose, MeetingStatus, MemberRole, PaperSource, ReportStatus
from ..models import AgendaItem, ChairsReport, Committee, Meeting, Paper
from ..selectors.reports import Candidate, next_meeting

SECTIONS = ("alert", "advise", "assure")
CHAIR_ROLES = (MemberRole.CHAIR, MemberRole.VICE_CHAIR)
NOT_HELD = "The meeting has not been held yet: its chair reports after it."
NO_PARENT = "{committee} reports to no one: only a committee that reports to another writes a chair's report."
NO_NEXT_MEETING = (
    "{to} has no meeting planned after {day}: plan its next meeting first, then issue the report so it goes on "
    "that agenda."
)
ISSUED_ALREADY = "This report was issued already; it is kept as issued."
EMPTY_REPORT = "Write at least one section before the report is confirmed."
NOT_CONFIRMED = "The chair confirms the report before it is issued."


def may_report(user: User, committee: Committee) -> bool:
    """The committee's current chair or vice chair, or the governance team, write and issue its report."""
    role = current_role(user=user, organisation_id=committee.organisation_id)
    if role is None:
        return False
    if role_allows(role, Permission.MANAGE_COMMITTEES):
        return True
    return committee.members.filter(person=user, left_on__isnull=True, role__in=CHAIR_ROLES).exists()


def _require(user: User, committee: Committee) -> None:
    if not may_report(user, committee):
        raise PermissionDenied(ROLE_REFUSED)


def _reportable(meeting: Meeting) -> None:
    if meeting.committee.reports_to_id is None:
        raise ValidationError(NO_PARENT.format(committee=meeting.committee.name))
    if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
        raise ValidationError(NOT_HELD)


def _with_candidates(text: str, chosen: Sequence[Candidate]) -> str:
    """The alert section with each chosen candidate added as a line of its own (once)."""
    lines = [text.strip()] if text.strip() else []
    for candidate in chosen:
        line = f"{candidate.kind}: {candidate.text}"
        if line not in text:
            lines.append(line)
    return "\n".join(lines)


@transaction.atomic
def chairs_report_save(
    *,
    meeting: Meeting,
    by: User,
    expected_version: ExpectedVersion = None,
    alert: str = "",
    advise: str = "",
    assure: str = "",
    candidates: Sequence[Candidate] = (),
    confirm: bool = False,
) -> ChairsReport:
    """Write (or rewrite) the chair's report of a meeting, adding the alert candidates the chair chose; `confirm`
    is the chair's confirmation that it is ready to issue."""
    committee = meeting.committee
    _require(by, committee)
    _reportable(meeting)
    changes: dict[str, Any] = {
        "alert": _with_candidates(alert, candidates),
        "advise": advise.strip(),
        "assure": assure.strip(),
    }
    if confirm and not any(changes.values()):
        raise ValidationError({"alert": EMPTY_REPORT})
    if confirm:
        changes.update(status=ReportStatus.CONFIRMED, confirmed_by=by)
    report = ChairsReport.objects.filter(meeting=meeting).first()
    if report is None:
        return record_create(
            instance=ChairsReport(meeting=meeting, **changes),
            by=by,
            organisation=committee.organisation,
            permission=None,
        )
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(ISSUED_ALREADY)
    if not confirm:
        changes.update(status=ReportStatus.DRAFT, confirmed_by=None)
    return fields_update(
        instance=report,
        by=by,
        organisation=committee.organisation,
        permission=None,
        expected_version=expected_version,
        allowed=(*SECTIONS, "status", "confirmed_by"),
        changes=changes,
    )


def chairs_report_issue(*, report: ChairsReport, by: User) -> IssuedPaper:
    """Issue the confirmed report (PDF and Word, frozen) and place it on the next agenda of the body the committee
    reports to, as an item under the committee's name with the issued report as its paper."""
    meeting = report.meeting
    committee = meeting.committee
    _require(by, committee)
    _reportable(meeting)
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(ISSUED_ALREADY)
    if report.status != ReportStatus.CONFIRMED:
        raise ValidationError(NOT_CONFIRMED)
    parent = committee.reports_to
    assert parent is not None  # _reportable
    target = next_meeting(parent, after=max(meeting.starts_at, timezone.now()))
    if target is None:
        raise ValidationError(
            NO_NEXT_MEETING.format(to=parent.name, day=day_text(max(meeting.starts_at, timezone.now())))
        )

    def stored(issued: IssuedPaper, paper) -> None:
        row = locked_get(ChairsReport, report.pk)
        if row.status == ReportStatus.ISSUED:
            raise ValidationError(ISSUED_ALREADY)
        record_change(
            row,
            {"status": ReportStatus.ISSUED, "issued_paper": issued},
            by=by,
            organisation=committee.organisation,
            note=f"Chair's report issued onto {target}",
        )
        item = agenda_item_add(
            meeting=target,
            title=f"{committee.name}: chair's report",
            purpose=ItemPurpose.ASSURANCE,
            by=by,
        )
        paper_row = Paper.objects.create(
            item=item,
            title=issued.title[:300],
            source=PaperSource.WELLLED,
            issued_paper=issued,
            author=by,
            submitted_at=timezone.now(),
        )
        # No file: the audit records what the row says (a FileField's value is not JSON).
        audit_record(
            by=by,
            organisation=committee.organisation,
            action=AuditAction.CREATE,
            instance=paper_row,
            after={"item_id": item.pk, "title": paper_row.title, "issued_paper_id": issued.pk},
        )

    request = PaperRequest(
        organisation=committee.organisation,
        by=by,
        as_at=min(timezone.localdate(meeting.starts_at), timezone.localdate()),
        subject=report,
    )
    return issue("chairs_rpt", request, on_stored=stored)


def agenda_item_add(
    *, meeting: Meeting, title: str, purpose: str, by: User, part: str = ItemPart.PUBLIC
) -> AgendaItem:
    """Add an item at the end of a meeting's agenda (the caller has checked who may), audited."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one new position at a time
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        meeting=meeting, position=(last or 0) + 1, title=title[:300], purpose=purpose, part=part
    )
    return record_create(
        instance=item, by=by, organisation=meeting.committee.organisation, permission=None, clean=()
    )
