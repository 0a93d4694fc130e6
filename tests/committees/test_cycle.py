"""The annual cycle of business (issue 22, ADR 0057): a year's entries from the items and the meetings, a draft
agenda from the items due, deferral rolling forward with its reason, done when held, and plan against delivery."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.committees.builders import build_board

from wellled.committees.choices import CycleSource, CycleStatus, ItemPart, MeetingStatus, Recurrence
from wellled.committees.models import AgendaItem, CycleEntry, Meeting
from wellled.committees.selectors.cycle import cycle_year
from wellled.committees.services.cycle import (
    NO_LATER_MEETING,
    agenda_draft_make,
    cycle_entry_defer,
    cycle_item_create,
    cycle_meeting_held,
    cycle_year_plan,
)
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 14, 0))


def _board_with_year():
    """The quality committee meeting in May, July and November 2026 (and the builder's meeting, moved to May)."""
    b = build_board(when=_at(2026, 5))
    b.public_item.delete()
    b.private_item.delete()
    july = Meeting.objects.create(committee=b.quality, starts_at=_at(2026, 7))
    november = Meeting.objects.create(committee=b.quality, starts_at=_at(2026, 11))
    every = cycle_item_create(
        committee=b.quality,
        by=b.governance,
        title="Integrated performance report: quality",
        recurrence=Recurrence.EVERY_MEETING,
        source=CycleSource.IPR,
    )
    ftsu = cycle_item_create(
        committee=b.quality,
        by=b.governance,
        title="Freedom to Speak Up guardian's report",
        recurrence=Recurrence.TWICE_YEARLY,
        months=[7, 1],
        source=CycleSource.REGULATORY,
    )
    secret = cycle_item_create(
        committee=b.quality,
        by=b.governance,
        title="Serious incidents under investigation",
        recurrence=Recurrence.ANNUAL,
        months=[5],
        part=ItemPart.PRIVATE,
    )
    return b, july, november, every, ftsu, secret


def test_months_must_agree_with_how_often_an_item_recurs():
    b = build_board()
    with pytest.raises(ValidationError) as refused:
        cycle_item_create(
            committee=b.quality,
            by=b.governance,
            title="Accounts",
            recurrence=Recurrence.QUARTERLY,
            months=[4, 7],
        )
    assert refused.value.message_dict["months"] == ["Quarterly items name 4 months: choose 4 (you chose 2)."]
    with pytest.raises(PermissionDenied):
        cycle_item_create(
            committee=b.quality, by=b.chair, title="Accounts", recurrence=Recurrence.ANNUAL, months=[6]
        )


def test_the_year_plan_makes_entries_for_each_meeting_and_each_named_month_once():
    b, july, november, every, ftsu, secret = _board_with_year()
    made = cycle_year_plan(committee=b.quality, year=2026, by=b.governance)
    months = sorted((e.cycle_item.title[:8], e.due_month.month) for e in made)
    assert months == sorted(
        [
            ("Integrat", 5),
            ("Integrat", 7),
            ("Integrat", 11),
            ("Freedom ", 7),
            ("Freedom ", 1),
            ("Serious ", 5),
        ]
    )
    assert cycle_year_plan(committee=b.quality, year=2026, by=b.governance) == []  # nothing made twice
    assert AuditLog.objects.filter(note="Planned for 2026-27").count() == 6


def test_a_draft_agenda_is_made_from_the_items_due_and_a_deferral_rolls_forward():
    b, july, november, every, ftsu, secret = _board_with_year()
    cycle_year_plan(committee=b.quality, year=2026, by=b.governance)
    made = agenda_draft_make(meeting=july, by=b.governance)
    assert [i.title for i in made] == [
        "Freedom to Speak Up guardian's report",
        "Integrated performance report: quality",
    ]
    entry = CycleEntry.objects.get(cycle_item=ftsu, due_month=datetime.date(2026, 7, 1))
    assert entry.status == CycleStatus.ON_AGENDA and entry.agenda_item.meeting == july
    deferred = cycle_entry_defer(
        entry=entry,
        reason="The guardian's report is not ready.",
        by=b.governance,
        expected_version=entry.version,
    )
    assert deferred.status == CycleStatus.DEFERRED and deferred.deferred_to == datetime.date(2026, 11, 1)
    assert not AgendaItem.objects.filter(meeting=july, cycle_item=ftsu).exists()
    rolled = agenda_draft_make(meeting=november, by=b.governance)
    assert "Freedom to Speak Up guardian's report" in [i.title for i in rolled]
    with pytest.raises(ValidationError, match="Nothing in the cycle of business is due"):
        agenda_draft_make(meeting=november, by=b.governance)
    later = CycleEntry.objects.get(pk=entry.pk)
    with pytest.raises(ValidationError, match=NO_LATER_MEETING.format(committee="Quality Committee")):
        cycle_entry_defer(entry=later, reason="Again.", by=b.governance, expected_version=later.version)


def test_held_meetings_mark_their_entries_done_and_the_year_end_view_counts_plan_against_delivery(
    monkeypatch,
):
    b, july, november, every, ftsu, secret = _board_with_year()
    cycle_year_plan(committee=b.quality, year=2026, by=b.governance)
    agenda_draft_make(meeting=b.meeting, by=b.governance)  # May: the IPR and the private item
    agenda_draft_make(meeting=july, by=b.governance)
    ftsu_july = CycleEntry.objects.get(cycle_item=ftsu, due_month=datetime.date(2026, 7, 1))
    cycle_entry_defer(entry=ftsu_july, reason="Report late.", by=b.governance, expected_version=AS_IT_STANDS)
    with pytest.raises(ValidationError, match="has not been held"):
        cycle_meeting_held(meeting=b.meeting, by=b.governance)
    Meeting.objects.filter(pk=b.meeting.pk).update(status=MeetingStatus.HELD)
    b.meeting.refresh_from_db()
    assert cycle_meeting_held(meeting=b.meeting, by=b.governance) == 2
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2027, 4, 2))
    view = cycle_year(committee=b.quality, year=2026, user=b.governance)
    assert view.counts["delivered"] == 2
    assert view.counts["deferred"] == 1 and view.deferred[0].deferred_reason == "Report late."
    assert sorted((e.cycle_item.title[:8], e.due_month.month) for e in view.not_done) == [
        ("Freedom ", 1),  # January's, never on an agenda
        ("Integrat", 11),  # November's, never on an agenda
    ]
    assert view.counts["on_agenda"] == 1  # July's IPR, on an agenda of a meeting not recorded as held
    assert view.planned == 6
    outsider_view = cycle_year(committee=b.quality, year=2026, user=b.outsider)
    assert "Serious incidents under investigation" not in [r.item.title for r in outsider_view.rows]
