"""Builders for committee test data shared by the committees tests: a board with its committees, members and a
meeting with public and private items. Rows are made directly, so each part's tests need not wait for another's
services; tests of a service call the service itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from tests.factories import make_organisation, make_person

from wellled.committees.choices import CommitteeKind, ItemPart, ItemPurpose, MemberRole, Seat
from wellled.committees.models import AgendaItem, Committee, CommitteeMember, Meeting, TermsOfReference
from wellled.core.choices import Role
from wellled.core.models import Organisation, User


@dataclass
class Board:
    """A trust's board and its quality committee with a sub-committee, their people and a meeting."""

    org: Organisation
    governance: User  # a governance editor: the governance team
    chair: User  # non-executive, chairs the quality committee
    member: User  # executive member of the quality committee
    outsider: User  # a viewer of the trust, on no committee
    board: Committee
    quality: Committee
    sub: Committee
    meeting: Meeting
    public_item: AgendaItem
    private_item: AgendaItem
    people: dict[str, User] = field(default_factory=dict)


def build_board(org: Organisation | None = None, *, when: datetime.datetime | None = None) -> Board:
    org = org or make_organisation()
    governance = make_person(org, Role.GOVERNANCE_EDITOR)
    chair = make_person(org, Role.VIEWER, first_name="Nora", last_name="Exec")
    member = make_person(org, Role.LEAD, first_name="Ed", last_name="Director")
    outsider = make_person(org, Role.VIEWER)
    board = Committee.objects.create(
        organisation=org, name="Trust Board", kind=CommitteeKind.BOARD, statutory=True
    )
    quality = Committee.objects.create(
        organisation=org, name="Quality Committee", kind=CommitteeKind.BOARD_COMMITTEE, reports_to=board
    )
    sub = Committee.objects.create(
        organisation=org, name="Patient Safety Group", kind=CommitteeKind.SUB_COMMITTEE, reports_to=quality
    )
    CommitteeMember.objects.create(
        committee=quality, person=chair, role=MemberRole.CHAIR, seat=Seat.NON_EXECUTIVE
    )
    CommitteeMember.objects.create(
        committee=quality, person=member, role=MemberRole.MEMBER, seat=Seat.EXECUTIVE
    )
    TermsOfReference.objects.create(
        committee=quality,
        number=1,
        purpose="Seeks assurance on the quality and safety of care.",
        duties="Oversees the quality strategy and the quality risks on the board assurance framework.",
        quorum_members=2,
        quorum_non_executives=1,
        quorum_executives=1,
        approved_on=datetime.date(2026, 4, 1),
        approved_by=board,
        next_review_on=datetime.date(2027, 4, 1),
        created_by=governance,
    )
    when = when or timezone.now() + datetime.timedelta(days=14)
    meeting = Meeting.objects.create(
        committee=quality, starts_at=when, papers_due_at=when - datetime.timedelta(days=7)
    )
    public_item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Integrated performance report: quality",
        purpose=ItemPurpose.ASSURANCE,
    )
    private_item = AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        title="Serious incident: confidential briefing",
        purpose=ItemPurpose.DISCUSSION,
        part=ItemPart.PRIVATE,
    )
    return Board(
        org, governance, chair, member, outsider, board, quality, sub, meeting, public_item, private_item
    )
