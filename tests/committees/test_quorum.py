"""The quorum check: what a meeting page and the minutes say about whether a meeting was quorate (ADR 0056)."""

from __future__ import annotations

from wellled.committees.choices import Attendance, MemberRole, Seat
from wellled.committees.quorum import Present, QuorumRule, quorum_check, quorum_impossible

NED = Present(MemberRole.MEMBER, Seat.NON_EXECUTIVE, Attendance.PRESENT)
EXEC = Present(MemberRole.MEMBER, Seat.EXECUTIVE, Attendance.PRESENT)


def test_a_meeting_short_of_non_executives_is_not_quorate_and_says_what_is_missing():
    result = quorum_check(QuorumRule(3, 2, 1), [NED, EXEC, EXEC])
    assert not result.quorate
    assert result.message == "Not quorate: 1 non-executive present, the terms of reference ask for 2."


def test_every_shortfall_is_named():
    result = quorum_check(QuorumRule(3, 2, 1), [NED])
    assert result.message == (
        "Not quorate: 1 member present, the terms of reference ask for 3; 1 non-executive present, the terms of "
        "reference ask for 2; 0 executives present, the terms of reference ask for 1."
    )


def test_a_meeting_meeting_the_rule_is_quorate():
    result = quorum_check(QuorumRule(3, 2, 1), [NED, NED, EXEC])
    assert result.quorate
    assert result.message == "Quorate: 3 members present (2 non-executive, 1 executive)."


def test_apologies_deputies_and_people_in_attendance_do_not_count():
    rows = [
        NED,
        Present(MemberRole.MEMBER, Seat.NON_EXECUTIVE, Attendance.APOLOGIES),
        Present(MemberRole.MEMBER, Seat.EXECUTIVE, Attendance.DEPUTY),
        Present(MemberRole.IN_ATTENDANCE, Seat.EXECUTIVE, Attendance.PRESENT),
        Present(MemberRole.REQUIRED, Seat.EXECUTIVE, Attendance.PRESENT),
    ]
    result = quorum_check(QuorumRule(2), rows)
    assert not result.quorate
    assert result.members == 1


def test_without_terms_in_force_a_meeting_is_never_called_quorate():
    result = quorum_check(None, [NED, NED, EXEC])
    assert not result.quorate
    assert "no approved terms of reference" in result.message


def test_a_rule_the_members_could_never_meet_is_explained():
    assert quorum_impossible(QuorumRule(3, 2, 1), members=4, non_executives=1, executives=3) == (
        "The committee has 1 non-executive member: a quorum with 2 non-executives could never be met."
    )
    assert "could never be met" in quorum_impossible(QuorumRule(5), members=4, non_executives=2, executives=2)
    assert "more than its 2 members" in quorum_impossible(
        QuorumRule(2, 2, 1), members=4, non_executives=2, executives=2
    )
    assert quorum_impossible(QuorumRule(3, 2, 1), members=3, non_executives=2, executives=1) == ""
