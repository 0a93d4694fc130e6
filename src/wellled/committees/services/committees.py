"""Every write of the committee tree, its members and its terms of reference (issue 22, ADR 0056), by the
governance team, each audited in its transaction. The rules a trust expects are checked here, whoever calls:
an audit committee has no executive members, a committee has one chair at most, a sub-committee reports to a
committee, an approved terms of reference is frozen and a quorum that could never be met is refused."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    EditRule,
    ExpectedVersion,
    locked_get,
    people_check,
    permission_require,
    record_change,
    record_create,
    version_check,
)

from ..choices import QUORATE_ROLES, CommitteeKind, MemberRole, Seat
from ..models import Committee, CommitteeMember, TermsOfReference
from ..quorum import QuorumRule, quorum_impossible

AUDIT_NO_EXECUTIVES = (
    "An audit committee has no executive members: {person} sits as an executive. Choose a non-executive seat, "
    "or add them as in attendance."
)
ONE_CHAIR = "{committee} already has a chair ({person}): make them a member first, or choose vice chair."
SUB_REPORTS = "A sub-committee reports to a committee: choose the committee it reports to."
BOARD_REPORTS = "The board reports to no committee: leave 'reports to' empty."
TERMS_FROZEN = (
    "Version {number} of the terms of reference was approved on {day} and is frozen: draft a new version to change "
    "it."
)
REVIEW_BEFORE_APPROVAL = "The next review must come after the day the board approved this version."
APPROVED_IN_FUTURE = "The board cannot have approved it on a day still to come: enter the day of the meeting."
RISK_ELSEWHERE = "Choose principal risks of this trust's board assurance framework."

COMMITTEE_FIELDS = frozenset(
    {"name", "short_name", "kind", "reports_to", "statutory", "audit_committee", "frequency", "active"}
)
MEMBER_FIELDS = frozenset({"role", "seat", "title", "joined_on", "left_on"})
TERMS_FIELDS = frozenset(
    {
        "purpose",
        "duties",
        "membership",
        "reporting",
        "quorum_members",
        "quorum_non_executives",
        "quorum_executives",
        "next_review_on",
    }
)


def _tree_check(committee: Committee) -> None:
    """A sub-committee reports to a committee; the board reports to none."""
    if committee.kind == CommitteeKind.SUB_COMMITTEE and committee.reports_to_id is None:
        raise ValidationError({"reports_to": SUB_REPORTS})
    if committee.kind == CommitteeKind.BOARD and committee.reports_to_id is not None:
        raise ValidationError({"reports_to": BOARD_REPORTS})


def _executives_check(committee: Committee) -> None:
    """An audit committee keeps no executive among its current members (a flag turned on later is checked too)."""
    if not committee.audit_committee:
        return
    executive = (
        committee.members.filter(left_on__isnull=True, seat=Seat.EXECUTIVE, role__in=QUORATE_ROLES)
        .select_related("person")
        .first()
    )
    if executive is not None:
        raise ValidationError({"audit_committee": AUDIT_NO_EXECUTIVES.format(person=executive.person)})


@transaction.atomic
def committee_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    kind: str,
    reports_to: Committee | None = None,
    short_name: str = "",
    statutory: bool = False,
    audit_committee: bool = False,
    frequency: str = "monthly",
) -> Committee:
    """Add a committee to the trust's tree."""
    committee = Committee(
        organisation=organisation,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        reports_to=reports_to,
        statutory=statutory,
        audit_committee=audit_committee,
        frequency=frequency,
    )
    _tree_check(committee)
    return record_create(
        instance=committee, by=by, organisation=organisation, permission=Permission.MANAGE_COMMITTEES
    )


def _committee_rules(row: Committee, changes: Any) -> None:
    probe = Committee(
        pk=row.pk,
        organisation_id=row.organisation_id,
        kind=changes.get("kind", row.kind),
        reports_to=changes.get("reports_to", row.reports_to),
        audit_committee=changes.get("audit_committee", row.audit_committee),
    )
    _tree_check(probe)
    _executives_check(probe)


COMMITTEE_EDIT = EditRule(Permission.MANAGE_COMMITTEES, COMMITTEE_FIELDS, _committee_rules)


def committee_update(
    *, committee: Committee, by: User, expected_version: ExpectedVersion, **changes: Any
) -> Committee:
    """Change a committee's name, kind, reporting line, frequency or flags."""
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    return COMMITTEE_EDIT.apply(committee, by=by, expected_version=expected_version, changes=changes)


# Members ----------------------------------------------------------------------------------------------------------


def _member_rules(committee: Committee, *, person: User, role: str, seat: str, exclude: int | None) -> None:
    others = committee.members.filter(left_on__isnull=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if role == MemberRole.CHAIR:
        chair = others.filter(role=MemberRole.CHAIR).select_related("person").first()
        if chair is not None:
            raise ValidationError({"role": ONE_CHAIR.format(committee=committee, person=chair.person)})
    if committee.audit_committee and seat == Seat.EXECUTIVE and role in QUORATE_ROLES:
        raise ValidationError({"seat": AUDIT_NO_EXECUTIVES.format(person=person)})


@transaction.atomic
def member_add(
    *,
    committee: Committee,
    by: User,
    person: User,
    role: str = MemberRole.MEMBER,
    seat: str = Seat.EXECUTIVE,
    title: str = "",
    joined_on: datetime.date | None = None,
) -> CommitteeMember:
    """Seat a person of the trust on a committee, in a role."""
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    locked_get(Committee, committee.pk)  # one chair at most, even when two people add a chair at once
    people_check(organisation_id=committee.organisation_id, permissions=(), person=person)
    if committee.members.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person} is already a member of {committee}."})
    _member_rules(committee, person=person, role=role, seat=seat, exclude=None)
    member = CommitteeMember(
        committee=committee, person=person, role=role, seat=seat, title=title.strip(), joined_on=joined_on
    )
    return record_create(instance=member, by=by, organisation=committee.organisation, permission=None)


def _member_check(row: CommitteeMember, changes: Any) -> None:
    if row.left_on is not None:
        raise ValidationError(f"{row.person} left {row.committee}: add them again to seat them once more.")
    _member_rules(
        row.committee,
        person=row.person,
        role=changes.get("role", row.role),
        seat=changes.get("seat", row.seat),
        exclude=row.pk,
    )
    left_on, joined_on = changes.get("left_on"), changes.get("joined_on", row.joined_on)
    if left_on and joined_on and left_on < joined_on:
        raise ValidationError({"left_on": "A member leaves after the day they joined."})


MEMBER_EDIT = EditRule(Permission.MANAGE_COMMITTEES, MEMBER_FIELDS, _member_check)


def member_update(
    *, member: CommitteeMember, by: User, expected_version: ExpectedVersion, **changes: Any
) -> CommitteeMember:
    """Change a member's role, seat or title, or record that they left (a leaver's row is kept for attendance)."""
    return MEMBER_EDIT.apply(
        member,
        by=by,
        organisation=member.committee.organisation,
        expected_version=expected_version,
        changes=changes,
    )


# Terms of reference -----------------------------------------------------------------------------------------------


def _quorum_reachable(committee: Committee, terms: TermsOfReference) -> None:
    voting = committee.members.filter(left_on__isnull=True, role__in=QUORATE_ROLES)
    problem = quorum_impossible(
        QuorumRule(terms.quorum_members, terms.quorum_non_executives, terms.quorum_executives),
        members=voting.count(),
        non_executives=voting.filter(seat=Seat.NON_EXECUTIVE).count(),
        executives=voting.filter(seat=Seat.EXECUTIVE).count(),
    )
    if problem:
        raise ValidationError({"quorum_members": problem})


def _risks_check(committee: Committee, risks: Iterable[Any]) -> list[Any]:
    risks = list(risks)
    if any(risk.organisation_id != committee.organisation_id for risk in risks):
        raise ValidationError({"risks": RISK_ELSEWHERE})
    return risks


@transaction.atomic
def terms_draft(
    *,
    committee: Committee,
    by: User,
    purpose: str,
    duties: str,
    membership: str = "",
    reporting: str = "",
    quorum_members: int = 3,
    quorum_non_executives: int = 0,
    quorum_executives: int = 0,
    next_review_on: datetime.date | None = None,
    risks: Iterable[Any] = (),
) -> TermsOfReference:
    """Draft the next version of a committee's terms of reference (approved versions are never changed)."""
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    locked_get(Committee, committee.pk)  # two drafts at once still get different numbers
    risks = _risks_check(committee, risks)
    number = (committee.terms.aggregate(top=Max("number"))["top"] or 0) + 1
    terms = TermsOfReference(
        committee=committee,
        number=number,
        purpose=purpose.strip(),
        duties=duties.strip(),
        membership=membership.strip(),
        reporting=reporting.strip(),
        quorum_members=quorum_members,
        quorum_non_executives=quorum_non_executives,
        quorum_executives=quorum_executives,
        next_review_on=next_review_on,
        created_by=by,
    )
    _quorum_reachable(committee, terms)
    return record_create(
        instance=terms, by=by, organisation=committee.organisation, permission=None, many={"risks": risks}
    )


def _terms_frozen(row: TermsOfReference, changes: Any) -> None:
    if row.approved_on is not None:
        raise ValidationError(TERMS_FROZEN.format(number=row.number, day=day_text(row.approved_on)))


@transaction.atomic
def terms_update(
    *, terms: TermsOfReference, by: User, expected_version: ExpectedVersion, **changes: Any
) -> TermsOfReference:
    """Change a draft version; an approved version is frozen (a change is a new version)."""
    committee = terms.committee
    if "risks" in changes:
        changes["risks"] = _risks_check(committee, changes["risks"])
    rule = EditRule(Permission.MANAGE_COMMITTEES, TERMS_FIELDS | {"risks"}, _terms_frozen)
    saved = rule.apply(
        terms, by=by, organisation=committee.organisation, expected_version=expected_version, changes=changes
    )
    _quorum_reachable(committee, saved)
    return saved


@transaction.atomic
def terms_approve(
    *,
    terms: TermsOfReference,
    by: User,
    approved_on: datetime.date,
    approved_by: Committee | None,
    next_review_on: datetime.date | None,
    expected_version: ExpectedVersion = None,
    today: datetime.date | None = None,
) -> TermsOfReference:
    """Record that the board approved this version on a day: from then it is frozen and, from that day, in force."""
    committee = terms.committee
    permission_require(
        user=by, organisation_id=committee.organisation_id, permission=Permission.MANAGE_COMMITTEES
    )
    row = locked_get(TermsOfReference, terms.pk)
    _terms_frozen(row, {})
    if expected_version is not None:
        version_check(row, expected_version)
    errors = {}
    if approved_on > (today or timezone.localdate()):
        errors["approved_on"] = APPROVED_IN_FUTURE
    if next_review_on is not None and next_review_on <= approved_on:
        errors["next_review_on"] = REVIEW_BEFORE_APPROVAL
    if approved_by is not None and approved_by.organisation_id != committee.organisation_id:
        errors["approved_by"] = "Choose a committee of this trust."
    if errors:
        raise ValidationError(errors)
    _quorum_reachable(committee, row)
    return record_change(
        row,
        {"approved_on": approved_on, "approved_by": approved_by, "next_review_on": next_review_on},
        by=by,
        organisation=committee.organisation,
        note=f"Version {row.number} approved",
    )
