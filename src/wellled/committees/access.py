"""Who may see a committee's private items and their papers (issue 22): its current members and the governance
team (MANAGE_COMMITTEES in the trust). The one home of this rule; selectors filter through it."""

from __future__ import annotations

from django.db.models import Q

from wellled.core.access import current_role
from wellled.core.models import User
from wellled.core.permissions import Permission, role_allows

from .models import Committee


def sees_private(user: User, committee: Committee) -> bool:
    """True if the person may read the committee's private items and papers."""
    if role_allows(
        current_role(user=user, organisation_id=committee.organisation_id), Permission.MANAGE_COMMITTEES
    ):
        return True
    return committee.members.filter(person=user, left_on__isnull=True).exists()


def private_committee_ids(user: User, organisation_id: int) -> Q:
    """A filter on Committee for those whose private items the person may read, within one organisation."""
    if role_allows(current_role(user=user, organisation_id=organisation_id), Permission.MANAGE_COMMITTEES):
        return Q(organisation_id=organisation_id)
    return Q(organisation_id=organisation_id, members__person=user, members__left_on__isnull=True)
