"""Every write of a meeting (issue 22, ADR 0056): scheduling, the agenda, attendance and declarations, recording it
held (inquorate when the quorum was not met), minutes per item, decisions, actions on the rolling action log (plan
actions) and approving the minutes at the next meeting, after which they are frozen. Each is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wellled.core.formatting import day_text
from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    EditRule,
    ExpectedVersion,
    locked_get,
    people_check,
    permission_require,
    record_change,
    record_create,
    record_delete,
    version_check,
)
from wellled.plans.choices import DatePrecision, PlanKind, PlanOrganisedBy
from wellled.plans.models import Action, Plan
from wellled.plans.services import action_create, plan_create

from ..choices import Attendance, MeetingStatus, MinutesStatus
from ..models import (
    AgendaItem,
    CalendarFeed,
    Committee,
    Decision,
    Declaration,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    TermsOfReference,
)
from ..quorum import Present, Quorum, QuorumRule, quorum_check

MINUTES_FROZEN = (
    "The minutes of this meeting were approved at the meeting of {day} and are frozen: nothing recorded at it can "
    "be changed now. Record a correction in the minutes of a later meeting."
)
CANCELLED = "This meeting was cancelled: nothing can be recorded at it."
ENDS_BEFORE = "The meeting must end after it starts."
PAPERS_AFTER = "Papers must be due before the meeting starts."
NOT_YET_MET = "This meeting starts on {day}: record it as held once it has met."
PAST_PLANNED = "A new meeting cannot start more than a year ago: check the date."
ITEM_HAS_PAPERS = "{item} has papers: remove its papers before taking it off the agenda."
APPROVE_LATER = "Minutes are approved at a later meeting of the same committee."
APPROVE_NOT_HELD = "Only a meeting that has been held can have its minutes approved."
APPROVE_INQUORATE = (
    "{meeting} was not quorate, so it cannot approve minutes: approve them at the next quorate meeting."
)
APPROVE_AT_UNHELD = "Record the meeting approving the minutes as held first."
ALREADY_APPROVED = "These minutes are already approved."
NOT_A_MEMBER = "{person} is not a current member of {committee}."

# How far back a meeting can be scheduled: loading last year's meetings is fine, a typo of a decade is not.
SCHEDULE_BACK = datetime.timedelta(days=366)

MEETING_FIELDS = frozenset({"starts_at", "ends_at", "place", "papers_due_at", "status"})
ITEM_FIELDS = frozenset({"title", "purpose", "part", "presenter", "minutes_allowed", "risks"})
MINUTE_FIELDS = frozenset({"minute", "assurance"})


def _dates_check(
    starts_at: datetime.datetime, ends_at: datetime.datetime | None, due: datetime.datetime | None
):
    errors = {}
    if ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = ENDS_BEFORE
    if due is not None and due >= starts_at:
        errors["papers_due_at"] = PAPERS_AFTER
    if errors:
        raise ValidationError(errors)


def _open_check(meeting: Meeting) -> None:
    """Refuse a change to a meeting whose minutes are approved (frozen) or that was cancelled."""
    if meeting.minutes_status == MinutesStatus.APPROVED:
        approved_at = meeting.minutes_approved_at
        raise ValidationError(
            MINUTES_FROZEN.format(day=day_text(approved_at.starts_at) if approved_at else "an earlier day")
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(CANCELLED)


def _allowed(meeting: Meeting, by: User | None) -> None:
    permission_require(
        user=by, organisation_id=meeting.committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )


@transaction.atomic
def meeting_schedule(
    *,
    committee: Committee,
    by: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    papers_due_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Put a meeting of the committee in the diary, with where it meets and when its papers are due."""
    _dates_check(starts_at, ends_at, papers_due_at)
    if starts_at < (now or timezone.now()) - SCHEDULE_BACK:
        raise ValidationError({"starts_at": PAST_PLANNED})
    meeting = Meeting(
        committee=committee,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        papers_due_at=papers_due_at,
    )
    return record_create(
        instance=meeting, by=by, organisation=committee.organisation, permission=Permission.MANAGE_COMMITTEES
    )


def _meeting_rules(row: Meeting, changes: Any) -> None:
    _open_check(row)
    status = changes.get("status", row.status)
    if status not in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED) and status != row.status:
        raise ValidationError(
            {"status": "Record the meeting as held from its attendance, where quorum is checked."}
        )
    _dates_check(
        changes.get("starts_at", row.starts_at),
        changes.get("ends_at", row.ends_at),
        changes.get("papers_due_at", row.papers_due_at),
    )


MEETING_EDIT = EditRule(Permission.MANAGE_COMMITTEES, MEETING_FIELDS, _meeting_rules)


def meeting_update(
    *, meeting: Meeting, by: User, expected_version: ExpectedVersion, **changes: Any
) -> Meeting:
    """Move a meeting, change where it meets or when papers are due, or cancel it."""
    if "place" in changes:
        changes["place"] = changes["place"].strip()
    return MEETING_EDIT.apply(
        meeting,
        by=by,
        organisation=meeting.committee.organisation,
        expected_version=expected_version,
        changes=changes,
    )


# The agenda -------------------------------------------------------------------------------------------------------


def _risks(meeting: Meeting, risks: Iterable[Any]) -> list[Any]:
    risks = list(risks)
    if any(risk.organisation_id != meeting.committee.organisation_id for risk in risks):
        raise ValidationError({"risks": "Choose principal risks of this trust's board assurance framework."})
    return risks


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    purpose: str,
    part: str,
    presenter: User | None = None,
    minutes_allowed: int = 10,
    risks: Iterable[Any] = (),
) -> AgendaItem:
    """Add an item at the end of the meeting's agenda."""
    _allowed(meeting, by)
    row = locked_get(Meeting, meeting.pk)  # positions stay distinct when two people add at once
    _open_check(row)
    if presenter is not None:
        people_check(organisation_id=meeting.committee.organisation_id, permissions=(), presenter=presenter)
    position = (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        position=position,
        title=title.strip(),
        purpose=purpose,
        part=part,
        presenter=presenter,
        minutes_allowed=minutes_allowed,
    )
    return record_create(
        instance=item,
        by=by,
        organisation=meeting.committee.organisation,
        permission=None,
        many={"risks": _risks(meeting, risks)},
    )


def _item_rules(row: AgendaItem, changes: Any) -> None:
    _open_check(row.meeting)


def item_update(
    *, item: AgendaItem, by: User, expected_version: ExpectedVersion, **changes: Any
) -> AgendaItem:
    """Change an agenda item's title, purpose, part, presenter, time or the risks it bears on."""
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    if "risks" in changes:
        changes["risks"] = _risks(item.meeting, changes["risks"])
    if changes.get("presenter") is not None:
        people_check(
            organisation_id=item.meeting.committee.organisation_id,
            permissions=(),
            instance=item,
            presenter=changes["presenter"],
        )
    rule = EditRule(Permission.MANAGE_COMMITTEES, ITEM_FIELDS, _item_rules)
    return rule.apply(
        item,
        by=by,
        organisation=item.meeting.committee.organisation,
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def item_move(*, item: AgendaItem, by: User, up: bool) -> AgendaItem:
    """Swap an item with the one before it (up) or after it on the agenda; at either end nothing moves."""
    meeting = item.meeting
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    row = AgendaItem.objects.get(pk=item.pk)
    neighbours = (
        meeting.items.filter(position__lt=row.position)
        if up
        else meeting.items.filter(position__gt=row.position)
    )
    other = neighbours.order_by("-position" if up else "position").first()
    if other is None:
        return row
    mine, theirs = row.position, other.position
    organisation = meeting.committee.organisation
    note = "Moved up the agenda" if up else "Moved down the agenda"
    record_change(row, {"position": theirs}, by=by, organisation=organisation, note=note)
    record_change(other, {"position": mine}, by=by, organisation=organisation, note="Moved by another item")
    return row


@transaction.atomic
def item_remove(*, item: AgendaItem, by: User) -> None:
    """Take an item off the agenda (one with papers keeps them until they are removed); later items move up."""
    meeting = item.meeting
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    if item.papers.exists():
        raise ValidationError(ITEM_HAS_PAPERS.format(item=item.title))
    organisation = meeting.committee.organisation
    position = item.position
    record_delete(item, by=by, organisation=organisation)
    for later in meeting.items.filter(position__gt=position).order_by("position"):
        record_change(
            later, {"position": later.position - 1}, by=by, organisation=organisation, note="Renumbered"
        )


# Attendance, declarations and quorum ------------------------------------------------------------------------------


def terms_in_force(committee: Committee, on: datetime.date) -> TermsOfReference | None:
    """The terms of reference version the board had approved by the day (the latest so approved)."""
    return (
        committee.terms.filter(approved_on__isnull=False, approved_on__lte=on)
        .order_by("-approved_on", "-number")
        .first()
    )


def meeting_quorum(meeting: Meeting, attendance: Iterable[MeetingAttendance] | None = None) -> Quorum:
    """The meeting's quorum: its attendance checked against the terms of reference in force on its day."""
    terms = terms_in_force(meeting.committee, timezone.localdate(meeting.starts_at))
    rule = (
        QuorumRule(terms.quorum_members, terms.quorum_non_executives, terms.quorum_executives)
        if terms is not None
        else None
    )
    rows = meeting.attendance.all() if attendance is None else attendance
    return quorum_check(rule, [Present(r.role, r.seat, r.attendance) for r in rows])


@dataclass(frozen=True)
class Attended:
    """One person's attendance as the form gives it."""

    person: User
    attendance: str
    deputy: str = ""


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, rows: Iterable[Attended]) -> list[MeetingAttendance]:
    """Record who came: each current member's attendance (role and seat as they sit on the committee), kept as rows
    that quorum is counted from. Recording again replaces a person's row."""
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    committee = meeting.committee
    places = {m.person_id: m for m in committee.members.filter(left_on__isnull=True)}
    organisation = committee.organisation
    saved = []
    for row in rows:
        place = places.get(row.person.pk)
        if place is None:
            raise ValidationError(NOT_A_MEMBER.format(person=row.person, committee=committee))
        if row.attendance not in Attendance.values:
            raise ValidationError(f"Choose how {row.person} attended.")
        deputy = row.deputy.strip() if row.attendance == Attendance.DEPUTY else ""
        if row.attendance == Attendance.DEPUTY and not deputy:
            raise ValidationError(f"Name the deputy {row.person} sent.")
        existing = meeting.attendance.filter(person=row.person).first()
        values = {"role": place.role, "seat": place.seat, "attendance": row.attendance, "deputy": deputy}
        if existing is None:
            saved.append(
                record_create(
                    instance=MeetingAttendance(meeting=meeting, person=row.person, **values),
                    by=by,
                    organisation=organisation,
                    permission=None,
                )
            )
        elif any(getattr(existing, k) != v for k, v in values.items()):
            saved.append(record_change(existing, values, by=by, organisation=organisation, versioned=False))
        else:
            saved.append(existing)
    return saved


@transaction.atomic
def declaration_record(
    *,
    meeting: Meeting,
    by: User,
    person: User,
    interest: str,
    item: AgendaItem | None = None,
    action_taken: str = "",
) -> Declaration:
    """Record a declaration of interest made at the meeting, on one item or on the whole meeting."""
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    people_check(organisation_id=meeting.committee.organisation_id, permissions=(), person=person)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    declaration = Declaration(
        meeting=meeting,
        item=item,
        person=person,
        interest=interest.strip(),
        action_taken=action_taken.strip(),
    )
    return record_create(
        instance=declaration, by=by, organisation=meeting.committee.organisation, permission=None
    )


@transaction.atomic
def meeting_record_held(
    *, meeting: Meeting, by: User, expected_version: ExpectedVersion, now: datetime.datetime | None = None
) -> Meeting:
    """Record that the meeting took place: held if its attendance met the quorum, otherwise inquorate."""
    _allowed(meeting, by)
    row = locked_get(Meeting, meeting.pk)
    _open_check(row)
    version_check(row, expected_version)
    if row.starts_at > (now or timezone.now()):
        raise ValidationError(NOT_YET_MET.format(day=day_text(row.starts_at)))
    quorum = meeting_quorum(row)
    status = MeetingStatus.HELD if quorum.quorate else MeetingStatus.INQUORATE
    return record_change(
        row, {"status": status}, by=by, organisation=row.committee.organisation, note=quorum.message
    )


# Minutes, decisions and actions -----------------------------------------------------------------------------------


def _minute_rules(row: AgendaItem, changes: Any) -> None:
    _open_check(row.meeting)


MINUTE_EDIT = EditRule(Permission.MANAGE_COMMITTEES, MINUTE_FIELDS, _minute_rules)


def minute_record(
    *, item: AgendaItem, by: User, expected_version: ExpectedVersion, minute: str, assurance: str
):
    """Draft the minute of an item with the assurance the committee took from it."""
    return MINUTE_EDIT.apply(
        item,
        by=by,
        organisation=item.meeting.committee.organisation,
        expected_version=expected_version,
        changes={"minute": minute.strip(), "assurance": assurance},
    )


@transaction.atomic
def decision_record(
    *, meeting: Meeting, by: User, text: str, item: AgendaItem | None = None, under_delegation: bool = False
) -> Decision:
    """Record a decision the committee took, on an item or on the meeting."""
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    decision = Decision(
        meeting=meeting, item=item, text=text.strip(), under_delegation=under_delegation, recorded_by=by
    )
    return record_create(
        instance=decision, by=by, organisation=meeting.committee.organisation, permission=None
    )


def action_log_plan(committee: Committee, *, by: User) -> Plan:
    """The committee's action log, a plan made when its first action is raised (ADR 0055)."""
    row = locked_get(Committee, committee.pk)
    if row.action_log_id is not None:
        return row.action_log  # type: ignore[return-value]
    plan = plan_create(
        organisation=row.organisation,
        by=by,
        name=f"{row.name} action log",
        kind=PlanKind.IMPROVEMENT,
        organised_by=PlanOrganisedBy.WORKSTREAM,
        description=f"Actions raised at meetings of the {row.name}.",
        sections_from_framework=False,
    )
    record_change(row, {"action_log": plan}, by=by, organisation=row.organisation, note="Action log started")
    committee.action_log = plan
    return plan


def _reference(committee: Committee, plan: Plan) -> str:
    stem = committee.short_name or "".join(word[0] for word in committee.name.split() if word[0].isalpha())
    return f"{stem.upper()[:12]}-{plan.actions.count() + 1:03d}"


@transaction.atomic
def action_raise(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    lead: User,
    due_date: datetime.date,
    item: AgendaItem | None = None,
) -> MeetingAction:
    """Raise an action at the meeting onto the committee's rolling action log, as a plan action with a lead and
    a due date, so its status comes from the lead's updates like any other action (ADR 0042)."""
    _allowed(meeting, by)
    _open_check(locked_get(Meeting, meeting.pk))
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    plan = action_log_plan(meeting.committee, by=by)
    action: Action = action_create(
        plan=plan,
        by=by,
        reference=_reference(meeting.committee, plan),
        title=title,
        lead=lead,
        due_date=due_date,
        due_precision=DatePrecision.DAY,
    )
    link = MeetingAction(action=action, meeting=meeting, item=item)
    return record_create(instance=link, by=by, organisation=meeting.committee.organisation, permission=None)


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at: Meeting, by: User) -> Meeting:
    """Record that a later meeting approved this meeting's minutes: from then they are frozen."""
    _allowed(meeting, by)
    row = locked_get(Meeting, meeting.pk)
    if row.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(ALREADY_APPROVED)
    if row.status not in (MeetingStatus.HELD, MeetingStatus.INQUORATE):
        raise ValidationError(APPROVE_NOT_HELD)
    if at.committee_id != row.committee_id or at.starts_at <= row.starts_at:
        raise ValidationError({"at": APPROVE_LATER})
    if at.status == MeetingStatus.INQUORATE:
        raise ValidationError({"at": APPROVE_INQUORATE.format(meeting=at)})
    if at.status != MeetingStatus.HELD:
        raise ValidationError({"at": APPROVE_AT_UNHELD})
    return record_change(
        row,
        {"minutes_status": MinutesStatus.APPROVED, "minutes_approved_at": at},
        by=by,
        organisation=row.committee.organisation,
        note=f"Minutes approved at the meeting of {day_text(at.starts_at)}",
    )


# A person's calendar feed ------------------------------------------------------------------------------------------

# 32 random bytes: as strong as the API's tokens; only its SHA-256 is kept.
FEED_TOKEN_BYTES = 32


def feed_token_digest(raw: str) -> str:
    """The SHA-256 kept for a feed's token (the token itself is shown once and kept nowhere)."""
    import hashlib

    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def calendar_feed_create(*, person: User, organisation: Any, by: User) -> tuple[CalendarFeed, str]:
    """A new secret address for the person's meetings in the organisation; any earlier one stops working."""
    import secrets

    if by.pk != person.pk:
        raise ValidationError("Only the person themselves can make their calendar address.")
    calendar_feed_revoke(person=person, organisation=organisation, by=by)
    raw = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    feed = CalendarFeed(organisation=organisation, person=person, token_sha256=feed_token_digest(raw))
    record_create(instance=feed, by=by, organisation=organisation, permission=None, clean=[])
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, person: User, organisation: Any, by: User) -> int:
    """Stop the person's calendar address working; returns how many addresses were stopped."""
    if by.pk != person.pk:
        raise ValidationError("Only the person themselves can stop their calendar address.")
    live = CalendarFeed.objects.select_for_update().filter(
        person=person, organisation=organisation, revoked_at__isnull=True
    )
    count = 0
    for feed in live:
        record_change(
            feed,
            {"revoked_at": timezone.now()},
            by=by,
            organisation=organisation,
            note="Revoked",
            versioned=False,
        )
        count += 1
    return count
