"""Demo step: a cycle of business for each of the demo trust's committees, planned for last year and this one, the
draft agendas of meetings in the coming weeks made from it, and an issued pack for last month's board meeting
(issue 22, ADR 0057). The committees are looked up by name: with none loaded, nothing is added."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from wellled.committees.choices import CommitteeKind, MeetingStatus
from wellled.committees.jobs import pack_request
from wellled.committees.models import Committee, CycleItem, MeetingPack
from wellled.committees.selectors.cycle import financial_year
from wellled.committees.services.cycle import agenda_draft_make, cycle_item_create, cycle_year_plan
from wellled.core.models import User

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_trust

CONTENT: dict[str, Any] = data("committees_cycle.yaml")
DRAFT_AHEAD = datetime.timedelta(days=45)  # meetings this close get their draft agenda


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = today.replace(day=1)
    last = first - datetime.timedelta(days=1)
    return last.replace(day=1), first


def committees_cycle_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Add each committee's cycle of business once, plan it, draft the coming agendas and issue last month's board
    pack; returns the number of cycle items added."""
    say = say_to(stdout)
    dates = dates or DemoDates()
    organisation = demo_trust(say, missing="no cycle of business added")
    if organisation is None:
        return 0
    committees = list(Committee.objects.filter(organisation=organisation, active=True).order_by("name"))
    if not committees:
        say("The demo trust has no committees loaded; no cycle of business added.")
        return 0
    if CycleItem.objects.filter(committee__in=committees).exists():
        say("The demo cycle of business is already loaded; nothing changed.")
        return 0
    by = User.objects.get(username=CONTENT["issued_by"])
    year = financial_year(dates.today)
    added = 0
    for committee in committees:
        entries = [*CONTENT["by_kind"].get(committee.kind, []), *CONTENT["by_name"].get(committee.name, [])]
        for entry in entries:
            cycle_item_create(committee=committee, by=by, **entry)
            added += 1
        for plan_year in (year - 1, year):
            cycle_year_plan(committee=committee, year=plan_year, by=by)
        for meeting in committee.meetings.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gte=timezone.now(),
            starts_at__lt=timezone.now() + DRAFT_AHEAD,
            items__isnull=True,
        ):
            try:
                agenda_draft_make(meeting=meeting, by=by)
            except ValidationError:
                continue  # nothing due that month
    say(
        f"Cycle of business: {added} items across {len(committees)} committees, planned for {year - 1} and {year}."
    )
    _board_pack(committees, by, dates, say)
    return added


def _board_pack(committees: list[Committee], by: User, dates: DemoDates, say) -> None:
    """Issue the pack of last month's board meeting, if it has an agenda."""
    first, next_first = _previous_month(dates.today)
    boards = [c for c in committees if c.kind == CommitteeKind.BOARD]
    meeting = None
    for board in boards:
        meeting = (
            board.meetings.filter(
                starts_at__date__gte=first, starts_at__date__lt=next_first, items__isnull=False
            )
            .distinct()
            .order_by("-starts_at")
            .first()
        )
        if meeting is not None:
            break
    if meeting is None:
        say("No board meeting last month has an agenda; no pack issued.")
        return
    if MeetingPack.objects.filter(meeting=meeting).exists():
        return
    pack = pack_request(meeting=meeting, public=False, by=by, here=True)
    say(f"Issued the pack of {meeting}: {pack.job.step if pack.job else ''}.")
