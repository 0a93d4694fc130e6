"""Whether a person is a current member of an organisation, and in which role: the one place that asks.

A membership is current while its `active` flag holds; a leaver's membership is ended (`ended_at`), never deleted,
so every check of belonging (scoping, a service re-checking its view, a command's `--as`, an API token, a person
chosen as owner or lead) must ask for current ones. Only the records of who once belonged ask for every membership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from .models import Membership, User


def current_memberships(**lookups: Any) -> QuerySet[Membership]:
    """Current memberships, narrowed by the lookups given (user=, organisation=, organisation_id=, role= ...)."""
    return Membership.objects.filter(active=True, **lookups)


def memberships_ever(**lookups: Any) -> QuerySet[Membership]:
    """Every membership, ended ones too: for who once belonged (a leaver's details, not re-adding a leaver)."""
    return Membership.objects.filter(**lookups)


def current_role(*, user: User | None, organisation_id: int) -> str | None:
    """The person's role in the organisation through a current membership of their own; None without one."""
    if user is None or not user.pk:
        return None
    return (
        current_memberships(user=user, organisation_id=organisation_id).values_list("role", flat=True).first()
    )


def is_current_member(
    *, user: User | int | None, organisation_id: int, roles: Iterable[str] | None = None
) -> bool:
    """True if the person (or the person's id) is a current member of the organisation, in one of the roles if any
    are given."""
    if user is None:
        return False
    lookups: dict[str, Any] = {"organisation_id": organisation_id}
    lookups["user_id" if isinstance(user, int) else "user"] = user
    if roles is not None:
        lookups["role__in"] = list(roles)
    return current_memberships(**lookups).exists()


def current_members(**lookups: Any) -> QuerySet[User]:
    """People with a current membership matching the lookups, given on the membership (organisation=, role= ...)."""
    # One filter() over the one membership: separate calls would each join a membership of their own.
    return User.objects.filter(
        memberships__active=True, **{f"memberships__{k}": v for k, v in lookups.items()}
    )


def current_member_of(user: User, *, through: str) -> Q:
    """A condition on a model that reaches an organisation by `through`: the user is its current member."""
    return Q(**{f"{through}__memberships__user": user, f"{through}__memberships__active": True})
