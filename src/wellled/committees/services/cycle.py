"""The annual cycle of business (issue 22, ADR 0057): the items each committee plans to take, the entries made for
a financial year from those items and the committee's meetings, a draft agenda made from the entries due, deferral
with a reason (rolled forward to the next meeting's month) and entries done once their meeting is held. Every
write is audited in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from wellled.core.audit import AuditEntry, audit_record, audit_record_many, snapshot
from wellled.core.choices import AuditAction
from wellled.core.formatting import long_date, month_year
from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    EditRule,
    ExpectedVersion,
    locked_get,
    permission_require,
    record_change,
    record_create,
    version_check,
)

from ..choices import CycleStatus, MeetingStatus, Recurrence
from ..models import AgendaItem, Committee, CycleEntry, CycleItem, Meeting
from ..selectors.cycle import financial_year, year_months

# How many months each recurrence names (an item every meeting or as needed names none): the board's own words.
MONTHS_NEEDED = {Recurrence.QUARTERLY: 4, Recurrence.TWICE_YEARLY: 2, Recurrence.ANNUAL: 1}

MONTHS_WRONG = "{recurrence} items name {count} month{s}: choose {count} (you chose {chosen})."
MONTHS_NONE = "An item taken {recurrence} names no months: leave them all unticked."
NOTHING_DUE = (
    "Nothing in the cycle of business is due at the meeting of {day}: add items to the cycle, or make the year's "
    "plan for {year} first."
)
NO_LATER_MEETING = "There is no later meeting of {committee} planned to roll this item forward to: add the next meeting first."
REASON_NEEDED = "Say why the item is deferred: the year-end review lists the reasons."
NOT_DEFERRABLE = (
    "Only a planned item, or one on an agenda not yet held, can be deferred (this one is {status})."
)
HAS_PAPERS = "Its agenda item already has papers: take them off the agenda item first, then defer it."
MEETING_NOT_HELD = "The meeting has not been held yet: its items are done once it has been."
CYCLE_FIELDS = frozenset(
    {"title", "source", "recurrence", "months", "purpose", "part", "paper_kind", "active"}
)


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def _months_check(recurrence: str, months: Iterable[Any]) -> list[int]:
    try:
        chosen = sorted({int(m) for m in months})
    except (TypeError, ValueError):
        raise ValidationError({"months": "Choose months from the list."}) from None
    if any(m < 1 or m > 12 for m in chosen):
        raise ValidationError({"months": "Choose months from the list."})
    label = Recurrence(recurrence).label.lower()
    needed = MONTHS_NEEDED.get(Recurrence(recurrence))
    if needed is None and chosen:
        raise ValidationError({"months": MONTHS_NONE.format(recurrence=label)})
    if needed is not None and len(chosen) != needed:
        raise ValidationError(
            {
                "months": MONTHS_WRONG.format(
                    recurrence=Recurrence(recurrence).label,
                    count=needed,
                    s="s" * (needed > 1),
                    chosen=len(chosen),
                )
            }
        )
    return chosen


def cycle_item_create(
    *, committee: Committee, by: User, title: str, recurrence: str, months: Iterable[Any] = (), **fields: Any
) -> CycleItem:
    """Add an item to the committee's cycle of business; the months must agree with how often it recurs."""
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": "Choose how often the item is taken."})
    item = CycleItem(
        committee=committee,
        title=title,
        recurrence=recurrence,
        months=_months_check(recurrence, months),
        **fields,
    )
    return record_create(
        instance=item, by=by, organisation=committee.organisation, permission=Permission.MANAGE_COMMITTEES
    )


def _cycle_check(item: CycleItem, changes: Mapping[str, Any]) -> None:
    recurrence = changes.get("recurrence", item.recurrence)
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": "Choose how often the item is taken."})
    _months_check(recurrence, changes.get("months", item.months))


CYCLE_EDIT = EditRule(Permission.MANAGE_COMMITTEES, CYCLE_FIELDS, _cycle_check)


def cycle_item_update(
    *, item: CycleItem, by: User, expected_version: ExpectedVersion, **changes: Any
) -> CycleItem:
    """Change a cycle item (withdraw it from the cycle with active=False; its past entries are kept)."""
    if "months" in changes:
        changes["months"] = sorted({int(m) for m in changes["months"]})
    return CYCLE_EDIT.apply(
        item,
        by=by,
        expected_version=expected_version,
        changes=changes,
        organisation=item.committee.organisation,
    )


def _due_months(item: CycleItem, meeting_months: list[datetime.date], year: int) -> list[datetime.date]:
    if item.recurrence == Recurrence.AD_HOC:
        return []
    if item.recurrence == Recurrence.EVERY_MEETING:
        return meeting_months
    return [month for month in year_months(year) if month.month in item.months]


@transaction.atomic
def cycle_year_plan(*, committee: Committee, year: int, by: User) -> list[CycleEntry]:
    """Make the year's entries from the committee's active items and its meetings in that financial year (every
    meeting's month, or the months the item names); entries already made are kept as they are."""
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    first, *_, last = year_months(year)
    meeting_months = sorted(
        {
            month_of(moment)
            for moment in committee.meetings.exclude(status=MeetingStatus.CANCELLED).values_list(
                "starts_at", flat=True
            )
            if first <= month_of(moment) <= last
        }
    )
    made = []
    for item in committee.cycle_items.filter(active=True):
        have = set(item.entries.values_list("due_month", flat=True))
        for month in _due_months(item, meeting_months, year):
            if month not in have:
                made.append(CycleEntry(cycle_item=item, due_month=month))
    made = CycleEntry.objects.bulk_create(made)
    audit_record_many(
        by=by,
        organisation=committee.organisation,
        entries=[
            AuditEntry(AuditAction.CREATE, entry, note=f"Planned for {year}-{year + 1 - 2000:02d}")
            for entry in made
        ],
    )
    return made


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=models.Max("position"))["last"] or 0) + 1


@transaction.atomic
def agenda_draft_make(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Put on the meeting's agenda every entry due in its month (and each deferred one rolled forward to it): one
    agenda item per entry, after the items already there, each entry then "on an agenda"."""
    committee = meeting.committee
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    meeting = locked_get(Meeting, meeting.pk)
    month = month_of(meeting.starts_at)
    due = (
        CycleEntry.objects.select_for_update()
        .filter(cycle_item__committee=committee, cycle_item__active=True)
        .filter(
            models.Q(status=CycleStatus.PLANNED, due_month=month)
            | models.Q(status=CycleStatus.DEFERRED, deferred_to=month)
        )
        .select_related("cycle_item")
        .order_by("cycle_item__part", "cycle_item__title")
    )
    entries = list(due)
    if not entries:
        raise ValidationError(
            NOTHING_DUE.format(
                day=long_date(timezone.localtime(meeting.starts_at).date()), year=_year_text(month)
            )
        )
    position = _next_position(meeting)
    made = []
    for entry in entries:
        cycle = entry.cycle_item
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=cycle.title,
            purpose=cycle.purpose,
            part=cycle.part,
            presenter=cycle.lead,
            cycle_item=cycle,
        )
        if cycle.risk_id:
            item.risks.add(cycle.risk_id)
        audit_record(by=by, organisation=committee.organisation, action=AuditAction.CREATE, instance=item)
        record_change(
            entry,
            {"status": CycleStatus.ON_AGENDA, "agenda_item": item},
            by=by,
            organisation=committee.organisation,
            note=f"Put on the agenda of {meeting}",
        )
        made.append(item)
        position += 1
    return made


def _year_text(month: datetime.date) -> str:
    year = financial_year(month)
    return f"{year}-{(year + 1) % 100:02d}"


@transaction.atomic
def cycle_entry_defer(
    *, entry: CycleEntry, reason: str, by: User, expected_version: ExpectedVersion
) -> CycleEntry:
    """Defer an entry, saying why: it rolls forward to the month of the committee's next meeting after the one it
    was due at, and comes off an agenda not yet held (unless papers are already attached)."""
    committee = entry.cycle_item.committee
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    row = locked_get(CycleEntry, entry.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    agenda_item = row.agenda_item
    if row.status == CycleStatus.DONE or (
        agenda_item is not None and agenda_item.meeting.status != MeetingStatus.PLANNED
    ):
        raise ValidationError(NOT_DEFERRABLE.format(status=row.get_status_display().lower()))
    version_check(row, expected_version)
    after = row.deferred_to or row.due_month
    if agenda_item is not None:
        after = max(after, month_of(agenda_item.meeting.starts_at))
    later = (
        committee.meetings.filter(status=MeetingStatus.PLANNED)
        .filter(starts_at__date__gte=_month_after(after))
        .order_by("starts_at")
        .first()
    )
    if later is None:
        raise ValidationError(NO_LATER_MEETING.format(committee=committee.name))
    if agenda_item is not None:
        if agenda_item.papers.exists():
            raise ValidationError(HAS_PAPERS)
        audit_record(
            by=by,
            organisation=committee.organisation,
            action=AuditAction.DELETE,
            instance=agenda_item,
            before=snapshot(agenda_item),
            note="Taken off the agenda: deferred",
        )
        row.agenda_item = None
        row.save(update_fields=["agenda_item"])
        agenda_item.delete()
    return record_change(
        row,
        {
            "status": CycleStatus.DEFERRED,
            "deferred_reason": reason,
            "deferred_to": month_of(later.starts_at),
        },
        by=by,
        organisation=committee.organisation,
        note=f"Deferred to {month_year(month_of(later.starts_at))}",
    )


def _month_after(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@transaction.atomic
def cycle_meeting_held(*, meeting: Meeting, by: User) -> int:
    """Mark done every entry on the agenda of a meeting that has been held (called when the meeting is recorded
    as held; idempotent). Returns how many entries it marked."""
    committee = meeting.committee
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(MEETING_NOT_HELD)
    done = 0
    for entry in CycleEntry.objects.select_for_update().filter(
        agenda_item__meeting=meeting, status=CycleStatus.ON_AGENDA
    ):
        record_change(
            entry,
            {"status": CycleStatus.DONE},
            by=by,
            organisation=committee.organisation,
            note=f"Taken at {meeting}",
        )
        done += 1
    return done
