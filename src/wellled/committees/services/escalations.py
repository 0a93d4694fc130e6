"""Escalation (ADR 0062): an item referred up (sub-committee to committee to board) or across to a committee
reporting to the same body, with a reason; it goes on the receiving committee's next planned agenda, or waits
until that committee plans one, and is listed in the referring chair's report."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.models import User
from wellled.core.service_kit import ROLE_REFUSED, locked_get, record_change, record_create

from ..choices import EscalationStatus, ItemPart, ItemPurpose
from ..models import AgendaItem, Committee, Escalation
from ..selectors.reports import next_meeting
from .reports import agenda_item_add, may_report

NO_REASON = "Say why the item is referred: the receiving committee reads it on its agenda."
NO_TITLE = "Enter what is referred."
SAME_COMMITTEE = "Choose another committee: an item is referred up or across, not to its own committee."
NOT_UP_OR_ACROSS = (
    "{to} is neither above {source} nor beside it: refer an item up to a committee it reports to, or across "
    "to one that reports to the same body."
)
OTHER_TRUST = "Choose one of your own trust's committees."


def _ancestors(committee: Committee) -> list[Committee]:
    found, node, seen = [], committee.reports_to, {committee.pk}
    while node is not None and node.pk not in seen:
        found.append(node)
        seen.add(node.pk)
        node = node.reports_to
    return found


def direction_check(source: Committee, to: Committee) -> None:
    """Up the tree to any body above, or across to a committee reporting to the same one; anything else refused."""
    if to.organisation_id != source.organisation_id:
        raise ValidationError({"to_committee": OTHER_TRUST})
    if to.pk == source.pk:
        raise ValidationError({"to_committee": SAME_COMMITTEE})
    up = any(c.pk == to.pk for c in _ancestors(source))
    across = source.reports_to_id is not None and to.reports_to_id == source.reports_to_id
    if not (up or across):
        raise ValidationError({"to_committee": NOT_UP_OR_ACROSS.format(to=to.name, source=source.name)})


@transaction.atomic
def escalation_raise(
    *,
    from_committee: Committee,
    to_committee: Committee,
    title: str,
    reason: str,
    by: User,
    from_item: AgendaItem | None = None,
    raised_on: datetime.date | None = None,
) -> Escalation:
    """Refer an item to another committee, and put it on that committee's next agenda if one is planned."""
    if not may_report(by, from_committee):
        raise PermissionDenied(ROLE_REFUSED)
    errors = {}
    if not title.strip():
        errors["title"] = NO_TITLE
    if not reason.strip():
        errors["reason"] = NO_REASON
    if errors:
        raise ValidationError(errors)
    direction_check(from_committee, to_committee)
    if from_item is not None and from_item.meeting.committee_id != from_committee.pk:
        raise ValidationError({"from_item": "Choose an item of the referring committee's own meetings."})
    escalation = record_create(
        instance=Escalation(
            from_committee=from_committee,
            to_committee=to_committee,
            from_item=from_item,
            title=title.strip()[:300],
            reason=reason.strip(),
            raised_on=raised_on or timezone.localdate(),
            raised_by=by,
        ),
        by=by,
        organisation=from_committee.organisation,
        permission=None,
    )
    _place(escalation, by=by)
    return escalation


def _place(escalation: Escalation, *, by: User) -> bool:
    """Put a raised escalation on its receiving committee's next planned meeting; False when none is planned."""
    target = next_meeting(escalation.to_committee, after=timezone.now())
    if target is None:
        return False
    private = escalation.from_item is not None and escalation.from_item.part == ItemPart.PRIVATE
    item = agenda_item_add(
        meeting=target,
        title=f"Referred by {escalation.from_committee.name}: {escalation.title}",
        purpose=ItemPurpose.DISCUSSION,
        part=ItemPart.PRIVATE if private else ItemPart.PUBLIC,
        by=by,
    )
    record_change(
        escalation,
        {"received_item": item, "status": EscalationStatus.ON_AGENDA},
        by=by,
        organisation=escalation.from_committee.organisation,
        note=f"Placed on the agenda of {target}",
    )
    return True


@transaction.atomic
def escalations_place(*, committee: Committee, by: User) -> int:
    """Place every item referred to the committee that still waits onto its next planned meeting; how many were."""
    if not may_report(by, committee):
        raise PermissionDenied(ROLE_REFUSED)
    placed = 0
    waiting = Escalation.objects.filter(to_committee=committee, status=EscalationStatus.RAISED).order_by("pk")
    for escalation in waiting:
        placed += _place(locked_get(Escalation, escalation.pk), by=by)
    return placed
