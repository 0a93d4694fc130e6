"""Running a meeting: the agenda, attendance and quorum, minutes frozen once approved, decisions and the action
log as plan actions (ADR 0056)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_person

from wellled.committees.choices import Attendance, ItemPart, ItemPurpose, MeetingStatus, MinutesStatus
from wellled.committees.models import AgendaItem, Meeting
from wellled.committees.selectors.meetings import action_log, decisions_search, meeting_page
from wellled.committees.services import meetings as services
from wellled.core.choices import Role
from wellled.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _held(b, *, days_ago: int = 3) -> Meeting:
    """A meeting of the quality committee a few days ago, with both members present."""
    meeting = services.meeting_schedule(
        committee=b.quality, by=b.governance, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    services.attendance_record(
        meeting=meeting,
        by=b.governance,
        rows=[
            services.Attended(b.chair, Attendance.PRESENT),
            services.Attended(b.member, Attendance.PRESENT),
        ],
    )
    return services.meeting_record_held(meeting=meeting, by=b.governance, expected_version=meeting.version)


def test_the_papers_deadline_must_come_before_the_meeting():
    b = build_board()
    starts = timezone.now() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(
            committee=b.quality,
            by=b.governance,
            starts_at=starts,
            papers_due_at=starts + datetime.timedelta(hours=1),
        )
    assert refused.value.message_dict == {"papers_due_at": ["Papers must be due before the meeting starts."]}


def test_agenda_items_are_added_at_the_end_moved_and_removed_with_the_rest_renumbered():
    b = build_board()
    third = services.item_add(
        meeting=b.meeting,
        by=b.governance,
        title="Board assurance framework",
        purpose=ItemPurpose.ASSURANCE,
        part=ItemPart.PUBLIC,
    )
    assert third.position == 3
    services.item_move(item=third, by=b.governance, up=True)
    assert list(b.meeting.items.order_by("position").values_list("title", flat=True)) == [
        "Integrated performance report: quality",
        "Board assurance framework",
        "Serious incident: confidential briefing",
    ]
    services.item_remove(item=AgendaItem.objects.get(pk=b.public_item.pk), by=b.governance)
    assert list(b.meeting.items.order_by("position").values_list("position", "title")) == [
        (1, "Board assurance framework"),
        (2, "Serious incident: confidential briefing"),
    ]
    assert AuditLog.objects.filter(action="delete", object_id=str(b.public_item.pk)).exists()


def test_a_meeting_recorded_held_without_its_quorum_is_inquorate():
    b = build_board()
    meeting = services.meeting_schedule(
        committee=b.quality, by=b.governance, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    services.attendance_record(
        meeting=meeting,
        by=b.governance,
        rows=[
            services.Attended(b.chair, Attendance.PRESENT),
            services.Attended(b.member, Attendance.APOLOGIES),
        ],
    )
    saved = services.meeting_record_held(meeting=meeting, by=b.governance, expected_version=meeting.version)
    assert saved.status == MeetingStatus.INQUORATE
    assert services.meeting_quorum(saved).message == (
        "Not quorate: 1 member present, the terms of reference ask for 2; 0 executives present, the terms of "
        "reference ask for 1."
    )


def test_a_meeting_still_to_come_cannot_be_recorded_as_held():
    b = build_board()
    with pytest.raises(ValidationError, match="record it as held once it has met"):
        services.meeting_record_held(meeting=b.meeting, by=b.governance, expected_version=b.meeting.version)


def test_attendance_only_of_current_members_and_a_deputy_is_named():
    b = build_board()
    stranger = make_person(b.org, Role.VIEWER)
    with pytest.raises(ValidationError, match="is not a current member"):
        services.attendance_record(
            meeting=b.meeting, by=b.governance, rows=[services.Attended(stranger, Attendance.PRESENT)]
        )
    with pytest.raises(ValidationError, match="Name the deputy"):
        services.attendance_record(
            meeting=b.meeting, by=b.governance, rows=[services.Attended(b.member, Attendance.DEPUTY)]
        )


def test_minutes_approved_at_the_next_meeting_are_frozen():
    b = build_board()
    first = _held(b, days_ago=40)
    assert first.status == MeetingStatus.HELD
    item = services.item_add(
        meeting=first,
        by=b.governance,
        title="Quality account",
        purpose=ItemPurpose.ASSURANCE,
        part=ItemPart.PUBLIC,
    )
    item = services.minute_record(
        item=item, by=b.governance, expected_version=item.version, minute="Received.", assurance="reasonable"
    )
    with pytest.raises(ValidationError, match="approved at a later meeting"):
        services.minutes_approve(meeting=first, at=first, by=b.governance)
    second = _held(b, days_ago=5)
    approved = services.minutes_approve(meeting=first, at=second, by=b.governance)
    assert approved.minutes_status == MinutesStatus.APPROVED and approved.minutes_approved_at == second
    with pytest.raises(ValidationError, match="are frozen"):
        services.minute_record(
            item=item, by=b.governance, expected_version=item.version, minute="Edited", assurance=""
        )
    with pytest.raises(ValidationError, match="are frozen"):
        services.decision_record(meeting=first, by=b.governance, text="Too late.")


def test_an_inquorate_meeting_cannot_approve_minutes():
    b = build_board()
    first = _held(b, days_ago=40)
    second = services.meeting_schedule(
        committee=b.quality, by=b.governance, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    second = services.meeting_record_held(meeting=second, by=b.governance, expected_version=second.version)
    assert second.status == MeetingStatus.INQUORATE
    with pytest.raises(ValidationError, match="was not quorate, so it cannot approve minutes"):
        services.minutes_approve(meeting=first, at=second, by=b.governance)


def test_actions_are_plan_actions_on_the_committees_log_and_arise_at_the_next_meeting():
    b = build_board()
    first = _held(b, days_ago=40)
    link = services.action_raise(
        meeting=first,
        by=b.governance,
        title="Bring the falls audit to the next meeting",
        lead=b.member,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    b.quality.refresh_from_db()
    assert link.action.plan == b.quality.action_log
    assert link.action.reference == "QC-001"
    second = services.meeting_schedule(
        committee=b.quality, by=b.governance, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    page = meeting_page(meeting=second, user=b.outsider)
    assert [row.action.pk for row in page.matters_arising] == [link.action.pk]
    assert [row.action.title for row in action_log(committee=b.quality, user=b.outsider)] == [
        "Bring the falls audit to the next meeting"
    ]


def test_a_non_member_never_sees_a_private_item_nor_what_was_recorded_on_it():
    b = build_board()
    services.decision_record(
        meeting=b.meeting, by=b.governance, text="Commission an external review.", item=b.private_item
    )
    services.decision_record(
        meeting=b.meeting, by=b.governance, text="Accept the quality report.", item=b.public_item
    )
    page = meeting_page(meeting=b.meeting, user=b.outsider)
    assert [i.title for i in page.items] == ["Integrated performance report: quality"]
    assert page.hidden_items == 1
    assert [d.text for d in page.decisions] == ["Accept the quality report."]
    assert [d.text for d in decisions_search(user=b.outsider, organisation=b.org, text="review")] == []
    assert [d.text for d in decisions_search(user=b.chair, organisation=b.org, text="review")] == [
        "Commission an external review."
    ]
    assert len(meeting_page(meeting=b.meeting, user=b.governance).items) == 2


def test_an_edit_from_a_stale_copy_of_a_meeting_is_refused_and_nothing_is_saved():
    from wellled.core.service_kit import ConcurrentEditError

    b = build_board()
    services.meeting_update(meeting=b.meeting, by=b.governance, expected_version=1, place="Boardroom")
    with pytest.raises(ConcurrentEditError):
        services.meeting_update(meeting=b.meeting, by=b.governance, expected_version=1, place="Seminar room")
    assert Meeting.objects.get(pk=b.meeting.pk).place == "Boardroom"


def test_attendance_and_minutes_are_audited_with_what_changed():
    b = build_board()
    services.attendance_record(
        meeting=b.meeting, by=b.governance, rows=[services.Attended(b.member, Attendance.APOLOGIES)]
    )
    services.attendance_record(
        meeting=b.meeting, by=b.governance, rows=[services.Attended(b.member, Attendance.PRESENT)]
    )
    changed = AuditLog.objects.filter(action="update", content_type__model="meetingattendance").get()
    assert changed.before["attendance"] == "apologies" and changed.after["attendance"] == "present"
    item = services.minute_record(
        item=b.public_item, by=b.governance, expected_version=1, minute="Noted.", assurance="substantial"
    )
    assert AuditLog.objects.filter(action="update", object_id=str(item.pk), after__minute="Noted.").exists()
