"""Reads of the committee tree, members and terms of reference (issue 22), for the trust's own people only: an
oversight body sees a trust's issued public packs, never its committees' workings (ADR 0055, ADR 0056)."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from wellled.core.access import current_members, is_current_member
from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404

from ..choices import QUORATE_ROLES
from ..models import Committee, CommitteeMember, Meeting, TermsOfReference


def own(queryset: QuerySet, *, user: User, organisation: Organisation, path: str) -> QuerySet:
    """Rows of the organisation for its own current members; nothing for anyone else (an oversight body too)."""
    if not user.is_authenticated or not is_current_member(user=user, organisation_id=organisation.pk):
        return queryset.none()
    return queryset.filter(**{path: organisation.pk})


def committees_for_user(*, user: User, organisation: Organisation) -> QuerySet[Committee]:
    return own(
        Committee.objects.select_related("reports_to"),
        user=user,
        organisation=organisation,
        path="organisation",
    )


@dataclass(frozen=True)
class Node:
    """A committee in the tree with its depth (the board at 0) for indenting the list."""

    committee: Committee
    depth: int


def committee_tree(*, user: User, organisation: Organisation) -> list[Node]:
    """The trust's committees as a tree, each under the committee it reports to (the board first)."""
    committees = list(committees_for_user(user=user, organisation=organisation).filter(active=True))
    children: dict[int | None, list[Committee]] = {}
    ids = {c.pk for c in committees}
    for c in committees:
        parent = c.reports_to_id if c.reports_to_id in ids else None
        children.setdefault(parent, []).append(c)
    rank = {"board": 0, "committee": 1, "sub": 2, "executive": 3}
    out: list[Node] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in sorted(children.get(parent, []), key=lambda c: (rank.get(c.kind, 9), c.name)):
            out.append(Node(c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def committee_get(*, pk: int, user: User, organisation: Organisation) -> Committee:
    return get_or_404(committees_for_user(user=user, organisation=organisation), pk=pk)


def member_get(*, pk: int, user: User, organisation: Organisation) -> CommitteeMember:
    rows = own(
        CommitteeMember.objects.select_related("committee", "person"),
        user=user,
        organisation=organisation,
        path="committee__organisation",
    )
    return get_or_404(rows, pk=pk)


def terms_get(*, pk: int, user: User, organisation: Organisation) -> TermsOfReference:
    rows = own(
        TermsOfReference.objects.select_related("committee", "approved_by", "created_by").prefetch_related(
            "risks"
        ),
        user=user,
        organisation=organisation,
        path="committee__organisation",
    )
    return get_or_404(rows, pk=pk)


@dataclass(frozen=True)
class CommitteePage:
    """What a committee's page shows: members, the terms in force and drafts, whether review is overdue, meetings."""

    committee: Committee
    members: list[CommitteeMember]
    terms: list[TermsOfReference]  # every version, newest first
    in_force: TermsOfReference | None
    review_overdue: bool
    meetings: list[Meeting]
    sub_committees: list[Committee]

    @property
    def chair(self) -> CommitteeMember | None:
        return next((m for m in self.members if m.role == "chair"), None)

    @property
    def voting(self) -> list[CommitteeMember]:
        return [m for m in self.members if m.role in QUORATE_ROLES]


def committee_page(*, committee: Committee, today: datetime.date) -> CommitteePage:
    """A committee's page, read in a few queries (the committee itself already read in scope)."""
    members = list(
        committee.members.filter(left_on__isnull=True)
        .select_related("person")
        .order_by("role", "person__last_name")
    )
    terms = list(committee.terms.select_related("approved_by").prefetch_related(Prefetch("risks")))
    in_force = next(
        (
            t
            for t in sorted(terms, key=lambda t: (t.approved_on or datetime.date.min, t.number), reverse=True)
            if t.approved_on is not None and t.approved_on <= today
        ),
        None,
    )
    overdue = in_force is None or (in_force.next_review_on is not None and in_force.next_review_on < today)
    meetings = list(committee.meetings.order_by("-starts_at"))
    subs = list(committee.reporting_committees.filter(active=True).order_by("name"))
    return CommitteePage(committee, members, terms, in_force, overdue, meetings, subs)


@dataclass(frozen=True)
class TermsChange:
    """One part of the terms of reference compared between two versions, line by line."""

    label: str
    lines: list[tuple[str, str]]  # (kind, text): kind is "same", "added" or "removed"
    changed: bool


TERMS_PARTS = (
    ("purpose", "Purpose"),
    ("duties", "Duties delegated by the board"),
    ("membership", "Membership"),
    ("reporting", "Reporting line"),
)


def _quorum_text(terms: TermsOfReference) -> str:
    return (
        f"{terms.quorum_members} members, of whom at least {terms.quorum_non_executives} non-executives and "
        f"{terms.quorum_executives} executives"
    )


def terms_compare(before: TermsOfReference | None, after: TermsOfReference) -> list[TermsChange]:
    """What changed from one version to the next, part by part (a part unchanged is shown as the same)."""
    changes = []
    parts = [(getattr(after, f), getattr(before, f) if before else "", label) for f, label in TERMS_PARTS]
    parts.append((_quorum_text(after), _quorum_text(before) if before else "", "Quorum"))
    risks_after = "\n".join(sorted(str(r) for r in after.risks.all()))
    risks_before = "\n".join(sorted(str(r) for r in before.risks.all())) if before else ""
    parts.append((risks_after, risks_before, "Principal risks owned"))
    for new, old, label in parts:
        lines = []
        for line in difflib.ndiff(old.splitlines(), new.splitlines()):
            code, text = line[:2], line[2:]
            if code == "  ":
                lines.append(("same", text))
            elif code == "+ ":
                lines.append(("added", text))
            elif code == "- ":
                lines.append(("removed", text))
        changes.append(TermsChange(label, lines, old != new))
    return changes


def people_of_trust(*, user: User, organisation: Organisation) -> QuerySet[User]:
    """The trust's current people, to seat on a committee or name as a presenter or declarer."""
    if not is_current_member(user=user, organisation_id=organisation.pk):
        return User.objects.none()
    return current_members(organisation=organisation).order_by("last_name", "first_name").distinct()


def principal_risks_of(*, user: User, organisation: Organisation) -> QuerySet[Any]:
    """The trust's principal risks on its board assurance framework, for a terms of reference or an agenda item."""
    from wellled.risks.selectors import risks_for_user

    return risks_for_user(user=user, organisation=organisation).filter(principal=True).order_by("reference")
