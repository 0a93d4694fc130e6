"""Whether a person is a current member of an organisation, and in which role: the one place that asks.

A membership is current while its `active` flag holds; a leaver's membership is ended (`ended_at`), never deleted,
so every check of belonging (scoping, a service re-checking its view, a command's `--as`, an API token, a person
chosen as owner or lead) must ask for current ones. Only the records of who once belonged ask for every membership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .choices import Role
from .models import Invitation, Membership, User
from .permissions import Permission, role_allows


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


def current_member_of(user: User | int, *, through: str) -> Q:
    """A condition on a model that reaches an organisation by `through`: the user (or the user's id) is its current
    member."""
    return Q(**{f"{through}__memberships__user": user, f"{through}__memberships__active": True})


def roles_allowing(*permissions: Permission) -> list[str]:
    """The roles that grant every one of the permissions."""
    return [role for role in Role.values if all(role_allows(role, p) for p in permissions)]


def _invited_not_accepted(organisation_id: Any) -> Exists:
    """The person was invited to the organisation and has neither accepted nor ever signed in: not yet here."""
    pending = Invitation.objects.filter(
        organisation_id=organisation_id, person=OuterRef("pk"), accepted_at=None, withdrawn_at=None
    )
    return Exists(pending)


def members_allowed(*, organisation_id: Any, permissions: Iterable[Permission]) -> QuerySet[User]:
    """Current, active members whose role in the organisation grants every one of the permissions (invitees yet to
    accept included: a cycle still awaits the actions they lead)."""
    roles = roles_allowing(*permissions)
    return User.objects.filter(
        is_active=True,
        memberships__active=True,
        memberships__organisation_id=organisation_id,
        memberships__role__in=roles,
    )


def people_who_can_act(*, organisation_id: Any, permissions: Iterable[Permission]) -> QuerySet[User]:
    """The people who may be given work (an action to lead, a risk to own, a project to lead) in the organisation:
    current, active members whose role there grants every one of the permissions, and who are not an invitee who
    has not yet accepted. Viewers, leavers and people still to accept never appear. The one list every owner
    chooser offers, and every service that gives someone work checks against."""
    members = members_allowed(organisation_id=organisation_id, permissions=permissions)
    return members.exclude(Q(last_login=None) & _invited_not_accepted(organisation_id)).order_by(
        "last_name", "first_name"
    )


def can_act(*, person: User | int, organisation_id: Any, permissions: Iterable[Permission]) -> bool:
    """True if the person (or the person's id) is one of people_who_can_act for the permissions."""
    pk = person if isinstance(person, int) else person.pk
    return people_who_can_act(organisation_id=organisation_id, permissions=permissions).filter(pk=pk).exists()


def speak_up_role(*, user: User | None, organisation_id: int) -> str:
    """The person's Freedom to Speak Up role in the organisation through a current membership ("" for none): read
    afresh, and never implied by their role there (ADR 0054)."""
    if user is None or not user.pk:
        return ""
    found = (
        current_memberships(user=user, organisation_id=organisation_id)
        .values_list("speak_up_role", flat=True)
        .first()
    )
    return found or ""
