"""What a person may read of meetings, their papers and packs (ADR 0057): everything within their own trust, a
private item, its papers and the full pack only if committees.access says they see the committee's private part."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from wellled.core.models import Organisation, User
from wellled.reports.models import IssuedPaper

from ..access import sees_private
from ..choices import ItemPart, MeetingStatus
from ..models import AgendaItem, Meeting, MeetingPack, Paper

NOT_FOUND = "No such meeting in this organisation."


def meeting_get(*, pk: int, user: User, organisation: Organisation) -> Meeting:
    """A meeting of one of the trust's committees; another trust's is not found."""
    meeting = (
        Meeting.objects.select_related("committee__organisation")
        .filter(pk=pk, committee__organisation=organisation)
        .first()
    )
    if meeting is None:
        raise Http404(NOT_FOUND)
    return meeting


def items_for(*, meeting: Meeting, user: User, public: bool = False) -> QuerySet[AgendaItem]:
    """The meeting's agenda items the person may read, with their papers and risks: the private part only for
    the committee's members and the governance team, and never in a public pack."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter", "cycle_item")
        .prefetch_related(
            "risks", Prefetch("papers", queryset=Paper.objects.select_related("author", "issued_paper"))
        )
        .order_by("position")
    )
    if public or not sees_private(user, meeting.committee):
        items = items.filter(part=ItemPart.PUBLIC)
    return items


def item_get(*, pk: int, user: User, organisation: Organisation) -> AgendaItem:
    """An agenda item the person may read (a private one only for members and the governance team)."""
    item = (
        AgendaItem.objects.select_related("meeting__committee")
        .filter(pk=pk, meeting__committee__organisation=organisation)
        .first()
    )
    if item is None or (item.private and not sees_private(user, item.meeting.committee)):
        raise Http404("No such agenda item in this organisation.")
    return item


def paper_get(*, pk: int, user: User, organisation: Organisation) -> Paper:
    """A paper the person may read: its item's rule decides."""
    paper = Paper.objects.select_related("item__meeting__committee").filter(pk=pk).first()
    if paper is None:
        raise Http404("No such paper in this organisation.")
    item_get(pk=paper.item_id, user=user, organisation=organisation)
    return paper


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The committee's last meeting held before this one: its minutes go in the pack."""
    return (
        Meeting.objects.filter(
            committee_id=meeting.committee_id,
            starts_at__lt=meeting.starts_at,
            status__in=[MeetingStatus.HELD, MeetingStatus.INQUORATE],
        )
        .order_by("-starts_at")
        .first()
    )


def packs_for(*, meeting: Meeting, user: User) -> QuerySet[MeetingPack]:
    """The meeting's packs the person may read: the full pack only for those who see the private part."""
    packs = MeetingPack.objects.filter(meeting=meeting).select_related("job", "requested_by", "job__paper")
    if not sees_private(user, meeting.committee):
        packs = packs.filter(public=True)
    return packs


def pack_get(*, pk: int, user: User, organisation: Organisation) -> MeetingPack:
    """A pack the person may read; a full pack is not found for anyone who may not see the private part."""
    pack = (
        MeetingPack.objects.select_related("meeting__committee", "job__requested_by", "requested_by")
        .filter(pk=pk, meeting__committee__organisation=organisation)
        .first()
    )
    if pack is None or (not pack.public and not sees_private(user, pack.meeting.committee)):
        raise Http404("No such pack in this organisation.")
    return pack


# The issued papers an agenda item can take as they stand: a plan's delivery paper, the BAF, the IPR.
ATTACHABLE_KINDS = ("board", "baf", "ipr")
ATTACHABLE_SHOWN = 50  # the most recent, newest first


def attachable_papers(*, user: User, organisation: Organisation) -> QuerySet[IssuedPaper]:
    """The trust's issued papers (not withdrawn) a paper for an agenda item can be: the newest first."""
    return IssuedPaper.objects.filter(
        organisation=organisation, kind__in=ATTACHABLE_KINDS, withdrawal__isnull=True
    ).order_by("-issued_at")
