"""Reads for organisations, people and audit records, always limited to what the user may see."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .access import current_member_of, current_members, current_memberships
from .access import people_who_can_act as access_people_who_can_act
from .choices import Role
from .models import (
    AuditLog,
    DeliveryStatus,
    Membership,
    Organisation,
    OrganisationUnit,
    PortfolioEntry,
    User,
)
from .permissions import Permission


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a person belongs to, with their role in each."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return current_memberships(user=user).select_related("organisation").order_by("organisation__name")


def oversight_entries_for_user(*, user: User) -> QuerySet[PortfolioEntry]:
    """The portfolio entries that lend this person a read-only view today: trusts held by an oversight body they
    currently belong to (ADR 0038)."""
    if not user.is_authenticated:
        return PortfolioEntry.objects.none()
    return _entries_lending(user.pk, timezone.localdate())


def _entries_lending(user_id: int, day: datetime.date) -> QuerySet[PortfolioEntry]:
    """The entries standing on the day in the portfolio of a body the person (by id) currently belongs to: the one
    statement of "lent", for the person's workplaces and scoping's kept condition alike."""
    return PortfolioEntry.objects.standing(day).filter(current_member_of(user_id, through="oversight_body"))


def _lent_membership(user: User, trust: Organisation, body: Organisation) -> Membership:
    """The viewer's membership a portfolio lends: never saved, it says which body it comes through."""
    membership = Membership(user=user, organisation=trust, role=Role.VIEWER, active=True)
    membership.via = body
    return membership


class LentWorkplace(NamedTuple):
    """A trust a portfolio lends the person (read-only), as the organisation switcher and the two-factor rule read
    it: plain values, no model objects (the middleware reads a region's 220 of them on every request)."""

    organisation_id: int
    name: str
    ods_code: str
    two_factor_required: bool
    via: Organisation  # the oversight body it comes through


@dataclass(frozen=True)
class Workplaces:
    """Where the person may work: their own memberships, by organisation name, then the trusts lent by the
    portfolios of the oversight bodies they belong to, by trust name (a trust they belong to is theirs, not lent)."""

    own: list[Membership]
    lent: list[LentWorkplace]

    def __len__(self) -> int:
        return len(self.own) + len(self.lent)

    @property
    def two_factor_required(self) -> bool:
        """Any of the organisations, own or lent, requires two-factor sign-in of password users (ADR 0026)."""
        return any(m.organisation.two_factor_required for m in self.own) or any(
            place.two_factor_required for place in self.lent
        )

    def membership(self, user: User, organisation_id: int | None) -> Membership | None:
        """The membership to work in that organisation: one's own, or a viewer's lent (its organisation read then,
        one query); None if it is not among these."""
        own = next((m for m in self.own if m.organisation_id == organisation_id), None)
        if own is not None:
            return own
        place = next((p for p in self.lent if p.organisation_id == organisation_id), None)
        trust = Organisation.objects.filter(pk=place.organisation_id).first() if place is not None else None
        return _lent_membership(user, trust, place.via) if place is not None and trust is not None else None

    def first(self, user: User) -> Membership | None:
        """The membership worked in when none is chosen: the first own, else the first lent."""
        if self.own:
            return self.own[0]
        return self.membership(user, self.lent[0].organisation_id) if self.lent else None


def workplaces_read(*, user: User) -> Workplaces:
    """Where the person may work (`Workplaces`): one query, and one more for a person of an oversight body."""
    own = list(memberships_for_user(user=user))
    if not any(m.organisation.is_oversight_body for m in own):
        return Workplaces(own, [])
    held = {m.organisation_id for m in own}
    bodies = {m.organisation_id: m.organisation for m in own}
    lent = []
    # Plain values: model rows cost six times as much on every request of a region's people (issue 24).
    rows = (
        oversight_entries_for_user(user=user)
        .order_by("trust__name", "oversight_body__name")
        .values_list(
            "oversight_body_id", "trust_id", "trust__name", "trust__ods_code", "trust__two_factor_required"
        )
    )
    for body_id, trust_id, name, ods_code, two_factor_required in rows:
        if trust_id not in held and body_id in bodies:
            held.add(trust_id)
            lent.append(LentWorkplace(trust_id, name, ods_code, two_factor_required, bodies[body_id]))
    return Workplaces(own, lent)


def workplaces_for_user(*, user: User) -> list[Membership]:
    """Where the person may work as memberships: their own organisations, then (read-only) the trusts in the
    portfolios of the oversight bodies they belong to (`workplaces_read`, each lent trust read whole)."""
    places = workplaces_read(user=user)
    if not places.lent:
        return places.own
    trusts = Organisation.objects.in_bulk([p.organisation_id for p in places.lent])
    return places.own + [_lent_membership(user, trusts[p.organisation_id], p.via) for p in places.lent]


def membership_get(*, user: User, organisation: Organisation | int) -> Membership | None:
    """The person's membership of one organisation; for a trust in the portfolio of an oversight body they belong
    to, a viewer's membership lent by that body; None if they may not see it at all."""
    if not user.is_authenticated:
        return None
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    own = current_memberships(user=user, organisation_id=org_id).select_related("organisation").first()
    if own is not None:
        return own
    entry = (
        oversight_entries_for_user(user=user)
        .filter(trust_id=org_id)
        .select_related("trust", "oversight_body")
        .order_by("oversight_body__name")
        .first()
    )
    return _lent_membership(user, entry.trust, entry.oversight_body) if entry is not None else None


def scoped(
    queryset: QuerySet, *, user: User, organisation: Organisation, path: str = "organisation"
) -> QuerySet:
    """Limit a queryset to one organisation, and to nothing unless the user may see it: a current membership (a
    leaver's ended one does not count) or a portfolio that holds the trust today (read-only; ADR 0038)."""
    if not user.is_authenticated:
        return queryset.none()
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return queryset.filter(**{path: org_id}).filter(_may_see(user, org_id))


def _may_see(user: User, organisation_ref) -> Q:
    """The two rules of scoping as one SQL condition on an organisation (an id, or an OuterRef to one): a current
    membership of it, or a current membership of a body whose portfolio holds it today (ADR 0038)."""
    return _may_see_on(user.pk, organisation_ref, timezone.localdate())


@functools.lru_cache(maxsize=1024)
def _may_see_on(user_id: int, organisation_ref, day: datetime.date) -> Q:
    """`_may_see` for a person, an organisation and a day, built once and reused (ADR 0070): a condition, not an
    answer, so the database still asks it afresh in every query; building it cost about a millisecond, several
    times a page (issue 24)."""
    own = current_memberships(user_id=user_id, organisation_id=organisation_ref)
    lent = _entries_lending(user_id, day).filter(trust_id=organisation_ref)
    return Exists(own) | Exists(lent)


def organisation_people(*, user: User, organisation: Organisation) -> QuerySet[User]:
    """People who belong to the organisation (for choosing leads), visible only to its members."""
    if membership_get(user=user, organisation=organisation) is None:
        return User.objects.none()
    return current_members(organisation=organisation).order_by("last_name", "first_name")


def people_who_can_act(
    *,
    user: User,
    organisation: Organisation,
    permissions: Iterable[Permission],
    keep: Iterable[int | None] = (),
) -> QuerySet[User]:
    """The people an owner chooser offers (an action's leads, a risk's owner and handler, a project's lead, whoever
    takes on a leaver's work): current, active members whose role lets them act for the permissions, never a viewer,
    a leaver or an invitee yet to accept (core.access.people_who_can_act); visible only to the organisation's
    members. `keep` adds whoever the record being edited already names, so an edit never drops them unseen."""
    if membership_get(user=user, organisation=organisation) is None:
        return User.objects.none()
    able = access_people_who_can_act(organisation_id=organisation.pk, permissions=permissions)
    kept = [pk for pk in keep if pk]
    if not kept:
        return able
    return User.objects.filter(Q(pk__in=able.values("pk")) | Q(pk__in=kept)).order_by(
        "last_name", "first_name"
    )


def organisation_memberships(*, user: User, organisation: Organisation) -> list[Membership]:
    """The organisation's people with their roles, by surname, for its members to see."""
    memberships = scoped(Membership.objects.all(), user=user, organisation=organisation)
    return list(memberships.select_related("user").order_by("user__last_name", "user__first_name"))


def organisation_units(*, user: User, organisation: Organisation) -> QuerySet[OrganisationUnit]:
    """The organisation's sites, directorates and care groups."""
    return scoped(OrganisationUnit.objects.all(), user=user, organisation=organisation)


def delivery_statuses(*, organisation: Organisation, include_inactive: bool = False) -> list[DeliveryStatus]:
    """The organisation's delivery-status scale, best first."""
    statuses = DeliveryStatus.objects.filter(organisation=organisation)
    if not include_inactive:
        statuses = statuses.filter(active=True)
    return list(statuses.order_by("-rank"))


def audit_for_object(*, user: User, organisation: Organisation, instance: models.Model) -> QuerySet[AuditLog]:
    """The History of one object, newest first; empty unless the user belongs to the organisation."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    return (
        scoped(AuditLog.objects.all(), user=user, organisation=organisation)
        .filter(content_type=content_type, object_id=str(instance.pk))
        .select_related("actor", "content_type")
    )


def audit_for_organisation(*, user: User, organisation: Organisation) -> QuerySet[AuditLog]:
    """Every audit record of the organisation, newest first."""
    return scoped(AuditLog.objects.all(), user=user, organisation=organisation).select_related(
        "actor", "content_type"
    )


def get_or_404(queryset: QuerySet, **lookup):
    """One object from an already scoped queryset, or 404: the same answer whether it exists elsewhere or not."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.")


def scoped_get(queryset: QuerySet, *, user: User, organisation: Organisation, pk, path: str = "organisation"):
    """One object of the organisation that the user may see, by its key, or 404 (`scoped`, then `get_or_404`)."""
    return get_or_404(scoped(queryset, user=user, organisation=organisation, path=path), pk=pk)


def word_template_get(*, user: User, organisation: Organisation):
    """The organisation's Word template for board papers, or None (nothing of another organisation, ever)."""
    from .models import WordTemplate

    return scoped(
        WordTemplate.objects.select_related("uploaded_by"), user=user, organisation=organisation
    ).first()


def command_actor(*, organisation: Organisation, username: str | None) -> User:
    """Whom a command-line run acts as: the named member of the organisation, else its first administrator.

    Raises LookupError with a message for the person at the terminal when there is no such member."""
    from .choices import Role

    members = current_memberships(organisation=organisation).select_related("user")
    if username:
        membership = members.filter(user__username=username).first()
        if membership is None:
            raise LookupError(f"No member of {organisation.name} has the username {username!r}.")
        return membership.user
    membership = members.filter(role=Role.ADMINISTRATOR).order_by("created_at", "pk").first()
    if membership is None:
        raise LookupError(f"{organisation.name} has no administrator: name the member to act as (--as-user).")
    return membership.user


def members(*, user: User, organisation: Organisation) -> QuerySet[Membership]:
    """Everyone who belongs or belonged to the organisation (leavers too), with their role; nothing unless the
    user is a current member."""
    return scoped(
        Membership.objects.select_related("user", "organisation"), user=user, organisation=organisation
    )


def member_get(*, user: User, organisation: Organisation, pk) -> Membership:
    """One membership of the organisation, or 404 (another organisation's is indistinguishable from none)."""
    return get_or_404(members(user=user, organisation=organisation), pk=pk)


def member_invitation(*, user: User, organisation: Organisation, membership: Membership):
    """The person's latest invitation to the organisation, or None."""
    from .models import Invitation

    return (
        scoped(Invitation.objects.all(), user=user, organisation=organisation)
        .filter(person_id=membership.user_id)
        .order_by("-created_at")
        .first()
    )


def single_sign_on_get(*, user: User, organisation: Organisation):
    """The organisation's single sign-on set-up, or None."""
    from .models import SingleSignOn

    return scoped(SingleSignOn.objects.all(), user=user, organisation=organisation).first()


def scoped_many(queryset: QuerySet, *, user: User, organisations, path: str = "organisation") -> QuerySet:
    """`scoped` for many organisations at once (an oversight body's portfolio): rows of those organisations that
    the user may see, each admitted by the same two rules (own membership, or a portfolio holding it today)."""
    if not user.is_authenticated:
        return queryset.none()
    ids = [o if isinstance(o, int) else o.pk for o in organisations]
    return queryset.filter(**{f"{path}__in": ids}).filter(_may_see(user, models.OuterRef(path)))
