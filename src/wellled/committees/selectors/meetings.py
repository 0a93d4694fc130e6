"""Reads of meetings, their agenda, attendance, minutes, decisions and the action log (issue 22), for the trust's
own people; a private item, and everything recorded on it, only for the committee's members and the governance
team (committees.access, ADR 0055)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404
from wellled.plans.choices import ActionState
from wellled.plans.position.selectors import standing_positions_for

from ..access import private_committee_ids, sees_private
from ..choices import Attendance, ItemPart, MeetingStatus, MinutesStatus
from ..models import (
    AgendaItem,
    Committee,
    Decision,
    Declaration,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    TermsOfReference,
)
from ..quorum import Present, Quorum, QuorumRule, quorum_check
from .committees import own


def meetings_for_user(*, user: User, organisation: Organisation) -> QuerySet[Meeting]:
    """The trust's meetings for its own people: the one read the meeting pages and the chair's reports share."""
    return own(
        Meeting.objects.select_related("committee__reports_to", "minutes_approved_at"),
        user=user,
        organisation=organisation,
        path="committee__organisation",
    )


def meeting_get(*, pk: int, user: User, organisation: Organisation) -> Meeting:
    """One meeting of the trust's committees, or 404 (another trust's is not found)."""
    return get_or_404(meetings_for_user(user=user, organisation=organisation), pk=pk)


def item_get(*, pk: int, user: User, organisation: Organisation) -> AgendaItem:
    """An agenda item; a private one only for those who may see it (404 otherwise, as if it were not there)."""
    rows = own(
        AgendaItem.objects.select_related("meeting__committee", "presenter"),
        user=user,
        organisation=organisation,
        path="meeting__committee__organisation",
    )
    item = get_or_404(rows, pk=pk)
    if item.private and not sees_private(user, item.meeting.committee):
        raise Http404("Not found.")
    return item


def visible_items(*, meeting: Meeting, user: User) -> QuerySet[AgendaItem]:
    """The meeting's agenda as this person may see it: private items only for members and the governance team."""
    items = meeting.items.select_related("presenter").prefetch_related("risks", "papers").order_by("position")
    if sees_private(user, meeting.committee):
        return items
    return items.filter(part=ItemPart.PUBLIC)


def _public_or_seen(user: User, organisation_id: int, path: str) -> Q:
    """Rows tied to no item or to a public one, or of a committee whose private items the person may see."""
    committees = Committee.objects.filter(private_committee_ids(user, organisation_id)).values("pk")
    return (
        Q(**{f"{path}__isnull": True})
        | Q(**{f"{path}__part": ItemPart.PUBLIC})
        | Q(meeting__committee__in=committees)
    )


def terms_in_force_on(committee: Committee, day: datetime.date) -> TermsOfReference | None:
    return (
        committee.terms.filter(approved_on__isnull=False, approved_on__lte=day)
        .order_by("-approved_on", "-number")
        .first()
    )


@dataclass(frozen=True)
class ActionRow:
    """An action on the action log: the plan action, the meeting (and item) that raised it, its position now."""

    link: MeetingAction
    status_code: str
    overdue: bool
    open: bool

    @property
    def action(self) -> Any:
        return self.link.action


def _action_rows(links: list[MeetingAction]) -> list[ActionRow]:
    actions = [link.action for link in links]
    positions, codes = standing_positions_for(actions)
    rows = []
    for link in links:
        position = positions.get(link.action.pk)
        code = codes.get(position.status_id, "") if position and position.status_id else ""
        rows.append(
            ActionRow(
                link,
                code,
                bool(position and position.overdue),
                link.action.state == ActionState.OPEN,
            )
        )
    return rows


def _links(queryset: QuerySet[MeetingAction], user: User, organisation_id: int) -> QuerySet[MeetingAction]:
    return queryset.filter(_public_or_seen(user, organisation_id, "item")).select_related(
        "action__lead", "meeting", "item"
    )


@dataclass(frozen=True)
class MeetingPage:
    """Everything the meeting page shows, read before the template renders."""

    meeting: Meeting
    items: list[AgendaItem]
    hidden_items: int  # private items the person may not see (they are told there are some)
    attendance: list[MeetingAttendance]
    members_unrecorded: list[Any]  # current members with no attendance row yet
    declarations: list[Declaration]
    decisions: list[Decision]
    actions: list[ActionRow]
    matters_arising: list[ActionRow]
    quorum: Quorum
    terms: TermsOfReference | None
    previous: Meeting | None  # the meeting before, whose minutes this one may approve
    sees_private: bool

    @property
    def frozen(self) -> bool:
        return self.meeting.minutes_status == MinutesStatus.APPROVED

    @property
    def present(self) -> list[MeetingAttendance]:
        return [a for a in self.attendance if a.attendance == Attendance.PRESENT]


def meeting_page(*, meeting: Meeting, user: User) -> MeetingPage:
    """A meeting's page for this person: the agenda they may see, attendance and quorum, the minutes, decisions and
    actions on what they may see, and matters arising (open actions of the committee's earlier meetings)."""
    committee = meeting.committee
    private = sees_private(user, committee)
    all_items = list(
        meeting.items.select_related("presenter").prefetch_related("risks", "papers").order_by("position")
    )
    items = [i for i in all_items if private or not i.private]
    attendance = list(meeting.attendance.select_related("person"))
    recorded = {a.person_id for a in attendance}
    members = [
        m
        for m in committee.members.filter(left_on__isnull=True).select_related("person")
        if m.person_id not in recorded
    ]
    seen = {i.pk for i in items}
    declarations = [
        d
        for d in meeting.declarations.select_related("person", "item")
        if d.item_id is None or d.item_id in seen
    ]
    decisions = [
        d for d in meeting.decisions.select_related("item") if d.item_id is None or d.item_id in seen
    ]
    links = [
        link
        for link in meeting.actions.select_related("action__lead", "item")
        if link.item_id is None or link.item_id in seen
    ]
    earlier = MeetingAction.objects.filter(
        meeting__committee=committee, meeting__starts_at__lt=meeting.starts_at, action__state=ActionState.OPEN
    )
    arising = list(_links(earlier, user, committee.organisation_id).order_by("meeting__starts_at", "pk"))
    terms = terms_in_force_on(committee, timezone.localdate(meeting.starts_at))
    rule = (
        QuorumRule(terms.quorum_members, terms.quorum_non_executives, terms.quorum_executives)
        if terms
        else None
    )
    quorum = quorum_check(rule, [Present(a.role, a.seat, a.attendance) for a in attendance])
    previous = (
        committee.meetings.filter(starts_at__lt=meeting.starts_at)
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
        .order_by("-starts_at")
        .first()
    )
    return MeetingPage(
        meeting=meeting,
        items=items,
        hidden_items=len(all_items) - len(items),
        attendance=attendance,
        members_unrecorded=members,
        declarations=declarations,
        decisions=decisions,
        actions=_action_rows(links),
        matters_arising=_action_rows(arising),
        quorum=quorum,
        terms=terms,
        previous=previous,
        sees_private=private,
    )


def meetings_list(
    *, user: User, organisation: Organisation, upcoming: bool, now: datetime.datetime | None = None
):
    """The trust's meetings, upcoming (soonest first) or past (latest first)."""
    now = now or timezone.now()
    rows = meetings_for_user(user=user, organisation=organisation)
    if upcoming:
        return rows.filter(starts_at__gte=now).order_by("starts_at")
    return rows.filter(starts_at__lt=now).order_by("-starts_at")


def decisions_search(*, user: User, organisation: Organisation, text: str = "", committee: int | None = None):
    """The trust's decisions, newest meeting first, matching the words searched for; a decision on a private item
    only for those who may see that committee's private items."""
    rows = own(
        Decision.objects.select_related("meeting__committee", "item"),
        user=user,
        organisation=organisation,
        path="meeting__committee__organisation",
    ).filter(_public_or_seen(user, organisation.pk, "item"))
    for word in text.split()[:8]:  # eight words are plenty; more only slows the query
        rows = rows.filter(Q(text__icontains=word) | Q(item__title__icontains=word))
    if committee:
        rows = rows.filter(meeting__committee_id=committee)
    return rows.order_by("-meeting__starts_at", "pk")


def action_log(*, committee: Committee, user: User, open_only: bool = False) -> list[ActionRow]:
    """The committee's rolling action log: every action raised at its meetings that this person may see."""
    links = _links(
        MeetingAction.objects.filter(meeting__committee=committee), user, committee.organisation_id
    )
    if open_only:
        links = links.filter(action__state=ActionState.OPEN)
    return _action_rows(list(links.order_by("meeting__starts_at", "pk")))


def meetings_of_person(*, user: User, organisation_id: int, since: datetime.datetime) -> QuerySet[Meeting]:
    """The meetings of the committees a person sits on (for their calendar), from a day on."""
    return (
        Meeting.objects.filter(
            committee__organisation_id=organisation_id,
            committee__members__person=user,
            committee__members__left_on__isnull=True,
            starts_at__gte=since,
        )
        .select_related("committee")
        .prefetch_related("items")
        .distinct()
        .order_by("starts_at")
    )


def action_owners(*, meeting: Meeting) -> QuerySet[User]:
    """Who may own an action on the log: people of the trust who can lead a plan action."""
    from wellled.core.access import people_who_can_act
    from wellled.core.permissions import Permission

    return people_who_can_act(
        organisation_id=meeting.committee.organisation_id, permissions=[Permission.UPDATE_OWN_ACTION]
    )


def private_committees(*, user: User, organisation: Organisation) -> set[int]:
    """The ids of the committees whose private items the person may see (for a list of many meetings at once)."""
    return set(
        Committee.objects.filter(private_committee_ids(user, organisation.pk)).values_list("pk", flat=True)
    )


def meeting_actions_for_user(*, user: User, organisation: Organisation) -> QuerySet[MeetingAction]:
    """Every action on the trust's committees' action logs that the person may see."""
    rows = own(
        MeetingAction.objects.all(),
        user=user,
        organisation=organisation,
        path="meeting__committee__organisation",
    )
    return _links(rows, user, organisation.pk).order_by("meeting__starts_at", "pk")


def calendar_feed_active(*, user: User, organisation: Organisation):
    """The person's live calendar address in the organisation, if any (its token is never kept)."""
    from ..models import CalendarFeed

    return CalendarFeed.objects.filter(
        person=user, organisation=organisation, revoked_at__isnull=True
    ).first()


def calendar_feed_meetings(*, digest: str, since: datetime.datetime):
    """The person and the meetings a live feed's token gives, or None: a revoked address, or a person who has
    left the trust, gives nothing."""
    from wellled.core.access import is_current_member

    from ..models import CalendarFeed

    feed = (
        CalendarFeed.objects.filter(token_sha256=digest, revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if feed is None or not feed.person.is_active:
        return None
    if not is_current_member(user=feed.person, organisation_id=feed.organisation_id):
        return None
    return list(meetings_of_person(user=feed.person, organisation_id=feed.organisation_id, since=since))
