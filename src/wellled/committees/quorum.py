"""Whether a meeting was quorate: a pure check of who was present against the quorum rule of the terms of reference
in force (issue 22), with a message naming what is missing, so the page, the service and the minutes agree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import QUORATE_ROLES, Attendance, Seat


@dataclass(frozen=True)
class QuorumRule:
    """At least `members` members present, of whom at least `non_executives` non-executives and `executives`
    executives (the three figures of a terms of reference version)."""

    members: int
    non_executives: int = 0
    executives: int = 0


@dataclass(frozen=True)
class Present:
    """One row of attendance as the check reads it: the person's role, seat and whether they came."""

    role: str
    seat: str
    attendance: str


@dataclass(frozen=True)
class Quorum:
    """The outcome: quorate or not, the counts, and the message shown on the meeting page."""

    quorate: bool
    members: int
    non_executives: int
    executives: int
    message: str


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def quorum_check(rule: QuorumRule | None, attendance: Iterable[Present]) -> Quorum:
    """Count the members present in person (chair, vice chair, member: attendees and deputies do not count, ADR
    0056) and compare each figure with the rule; no rule in force is never called quorate."""
    present = [
        row for row in attendance if row.attendance == Attendance.PRESENT and row.role in QUORATE_ROLES
    ]
    members = len(present)
    non_executives = sum(1 for row in present if row.seat == Seat.NON_EXECUTIVE)
    executives = sum(1 for row in present if row.seat == Seat.EXECUTIVE)
    if rule is None:
        return Quorum(
            False,
            members,
            non_executives,
            executives,
            "Quorum cannot be checked: the committee has no approved terms of reference in force.",
        )
    missing = []
    if members < rule.members:
        missing.append(
            f"{_people(members, 'member', 'members')} present, the terms of reference ask for {rule.members}"
        )
    if non_executives < rule.non_executives:
        missing.append(
            f"{_people(non_executives, 'non-executive', 'non-executives')} present, the terms of reference ask "
            f"for {rule.non_executives}"
        )
    if executives < rule.executives:
        missing.append(
            f"{_people(executives, 'executive', 'executives')} present, the terms of reference ask for "
            f"{rule.executives}"
        )
    if missing:
        return Quorum(False, members, non_executives, executives, "Not quorate: " + "; ".join(missing) + ".")
    return Quorum(
        True,
        members,
        non_executives,
        executives,
        f"Quorate: {_people(members, 'member', 'members')} present "
        f"({non_executives} non-executive, {executives} executive).",
    )


def quorum_impossible(rule: QuorumRule, *, non_executives: int, executives: int, members: int) -> str:
    """Why a rule could never be met by the committee's current voting members ('' when it can), so a terms of
    reference version with an unreachable quorum is refused when it is drafted or approved."""
    if rule.members < 1:
        return "A quorum needs at least one member present."
    if rule.non_executives + rule.executives > rule.members:
        return (
            f"The quorum asks for {rule.non_executives} non-executives and {rule.executives} executives, more than "
            f"its {rule.members} members in all: raise the number of members to at least "
            f"{rule.non_executives + rule.executives}."
        )
    if members < rule.members:
        return (
            f"The committee has {_people(members, 'voting member', 'voting members')}: a quorum of {rule.members} "
            "could never be met. Add members first, or lower the quorum."
        )
    if non_executives < rule.non_executives:
        return (
            f"The committee has {_people(non_executives, 'non-executive member', 'non-executive members')}: a "
            f"quorum with {rule.non_executives} non-executives could never be met."
        )
    if executives < rule.executives:
        return (
            f"The committee has {_people(executives, 'executive member', 'executive members')}: a quorum with "
            f"{rule.executives} executives could never be met."
        )
    return ""
