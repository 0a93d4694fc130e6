"""The cycle of business as a person may read it (ADR 0057): a committee's items and a financial year's entries,
month by month, and the year-end view of plan against delivery. Items taken in private are listed only for those
who see the committee's private part (committees.access)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from wellled.core.models import Organisation, User

from ..access import sees_private
from ..choices import CycleStatus, ItemPart, MeetingStatus
from ..models import Committee, CycleEntry, CycleItem, Meeting

YEAR_STARTS_IN = 4  # the NHS financial year starts in April (HM Treasury's Financial Reporting Manual)


def year_months(year: int) -> list[datetime.date]:
    """The first day of each month of the financial year starting in April of `year`."""
    return [
        datetime.date(year + (month < YEAR_STARTS_IN), month, 1)
        for month in [*range(YEAR_STARTS_IN, 13), *range(1, YEAR_STARTS_IN)]
    ]


def financial_year(day: datetime.date) -> int:
    return day.year if day.month >= YEAR_STARTS_IN else day.year - 1


def committee_get(*, pk: int, user: User, organisation: Organisation) -> Committee:
    """One of the trust's committees; another trust's is not found."""
    committee = Committee.objects.filter(pk=pk, organisation=organisation).first()
    if committee is None:
        raise Http404("No such committee in this organisation.")
    return committee


def committees_for(*, user: User, organisation: Organisation) -> QuerySet[Committee]:
    return Committee.objects.filter(organisation=organisation, active=True).order_by("name")


def cycle_items_for(*, committee: Committee, user: User) -> QuerySet[CycleItem]:
    items = committee.cycle_items.select_related("lead").order_by("-active", "title")
    if not sees_private(user, committee):
        items = items.filter(part=ItemPart.PUBLIC)
    return items


def cycle_item_get(*, pk: int, user: User, organisation: Organisation) -> CycleItem:
    item = (
        CycleItem.objects.select_related("committee")
        .filter(pk=pk, committee__organisation=organisation)
        .first()
    )
    if item is None or (item.part == ItemPart.PRIVATE and not sees_private(user, item.committee)):
        raise Http404("No such cycle of business item in this organisation.")
    return item


def cycle_entry_get(*, pk: int, user: User, organisation: Organisation) -> CycleEntry:
    entry = (
        CycleEntry.objects.select_related("cycle_item__committee", "agenda_item__meeting")
        .filter(pk=pk, cycle_item__committee__organisation=organisation)
        .first()
    )
    if entry is None or (
        entry.cycle_item.part == ItemPart.PRIVATE and not sees_private(user, entry.cycle_item.committee)
    ):
        raise Http404("No such cycle of business entry in this organisation.")
    return entry


@dataclass
class CycleRow:
    item: CycleItem
    cells: list[CycleEntry | None]


@dataclass
class CycleYear:
    """A committee's financial year: its months, a row per item with its entry in each month, the meetings, and
    the counts of plan against delivery."""

    committee: Committee
    year: int
    months: list[datetime.date]
    rows: list[CycleRow]
    meetings: list[Meeting]
    counts: Counter = field(default_factory=Counter)
    deferred: list[CycleEntry] = field(default_factory=list)
    not_done: list[CycleEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def planned(self) -> int:
        return sum(self.counts.values())


def entry_delivered(entry: CycleEntry) -> bool:
    """Done, or on the agenda of a meeting that has been held."""
    return entry.status == CycleStatus.DONE or (
        entry.status == CycleStatus.ON_AGENDA
        and entry.agenda_item is not None
        and entry.agenda_item.meeting.status == MeetingStatus.HELD
    )


def cycle_year(*, committee: Committee, year: int, user: User) -> CycleYear:
    """The year's plan against what was delivered: each entry counted once as delivered, deferred, on an agenda
    still to be held, not done (its month is past) or still planned."""
    months = year_months(year)
    items = list(cycle_items_for(committee=committee, user=user))
    entries = (
        CycleEntry.objects.filter(cycle_item__in=items, due_month__gte=months[0], due_month__lte=months[-1])
        .select_related("cycle_item", "agenda_item__meeting")
        .order_by("due_month")
    )
    by_item: dict[int, dict[datetime.date, CycleEntry]] = {}
    view = CycleYear(committee, year, months, [], [])
    this_month = timezone.localdate().replace(day=1)
    for entry in entries:
        by_item.setdefault(entry.cycle_item_id, {})[entry.due_month] = entry
        if entry_delivered(entry):
            view.counts["delivered"] += 1
        elif entry.status == CycleStatus.DEFERRED:
            view.counts["deferred"] += 1
            view.deferred.append(entry)
        elif entry.status == CycleStatus.ON_AGENDA:
            view.counts["on_agenda"] += 1
        elif entry.due_month < this_month:
            view.counts["not_done"] += 1
            view.not_done.append(entry)
        else:
            view.counts["planned"] += 1
    view.rows = [CycleRow(item, [by_item.get(item.pk, {}).get(m) for m in months]) for item in items]
    view.meetings = list(
        committee.meetings.filter(starts_at__date__gte=months[0], starts_at__date__lt=_year_end(year))
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    return view


def _year_end(year: int) -> datetime.date:
    return datetime.date(year + 1, YEAR_STARTS_IN, 1)
