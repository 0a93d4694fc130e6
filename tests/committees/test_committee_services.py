"""The rules a trust expects of its committees, members and terms of reference, checked whoever calls (ADR 0056)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.committees.builders import build_board
from tests.factories import make_person

from wellled.committees.choices import CommitteeKind, MemberRole, Seat
from wellled.committees.models import TermsOfReference
from wellled.committees.services.committees import (
    committee_create,
    committee_update,
    member_add,
    member_update,
    terms_approve,
    terms_draft,
    terms_update,
)
from wellled.core.choices import Role
from wellled.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_sub_committee_must_report_to_a_committee():
    b = build_board()
    with pytest.raises(ValidationError, match="A sub-committee reports to a committee"):
        committee_create(
            organisation=b.org, by=b.governance, name="Infection Group", kind=CommitteeKind.SUB_COMMITTEE
        )
    made = committee_create(
        organisation=b.org,
        by=b.governance,
        name="Infection Group",
        kind=CommitteeKind.SUB_COMMITTEE,
        reports_to=b.quality,
    )
    assert AuditLog.objects.filter(object_id=str(made.pk), action="create").exists()


def test_only_the_governance_team_changes_committees():
    b = build_board()
    with pytest.raises(PermissionDenied):
        committee_create(
            organisation=b.org, by=b.member, name="People Committee", kind=CommitteeKind.BOARD_COMMITTEE
        )


def test_an_audit_committee_refuses_an_executive_member():
    b = build_board()
    audit = committee_create(
        organisation=b.org,
        by=b.governance,
        name="Audit and Risk Committee",
        kind=CommitteeKind.BOARD_COMMITTEE,
        reports_to=b.board,
        audit_committee=True,
    )
    with pytest.raises(ValidationError) as refused:
        member_add(
            committee=audit, by=b.governance, person=b.member, role=MemberRole.MEMBER, seat=Seat.EXECUTIVE
        )
    assert "An audit committee has no executive members" in str(refused.value)
    # An executive may still attend, and a non-executive may be a member.
    member_add(
        committee=audit, by=b.governance, person=b.member, role=MemberRole.IN_ATTENDANCE, seat=Seat.EXECUTIVE
    )
    member_add(
        committee=audit, by=b.governance, person=b.chair, role=MemberRole.CHAIR, seat=Seat.NON_EXECUTIVE
    )


def test_marking_a_committee_with_executive_members_as_the_audit_committee_is_refused():
    b = build_board()
    with pytest.raises(ValidationError, match="sits as an executive"):
        committee_update(committee=b.quality, by=b.governance, expected_version=1, audit_committee=True)


def test_a_committee_has_one_chair_at_most():
    b = build_board()
    other = make_person(b.org, Role.VIEWER)
    with pytest.raises(ValidationError, match="already has a chair"):
        member_add(
            committee=b.quality, by=b.governance, person=other, role=MemberRole.CHAIR, seat=Seat.NON_EXECUTIVE
        )
    place = b.quality.members.get(person=b.member)
    with pytest.raises(ValidationError, match="already has a chair"):
        member_update(member=place, by=b.governance, expected_version=place.version, role=MemberRole.CHAIR)


def test_a_quorum_the_members_could_never_meet_is_refused_when_drafted():
    b = build_board()
    with pytest.raises(ValidationError) as refused:
        terms_draft(
            committee=b.quality,
            by=b.governance,
            purpose="Assurance on quality.",
            duties="Oversee quality.",
            quorum_members=2,
            quorum_non_executives=2,
        )
    assert "1 non-executive member: a quorum with 2 non-executives could never be met" in str(refused.value)


def test_terms_are_versions_and_an_approved_version_is_frozen():
    b = build_board()
    draft = terms_draft(
        committee=b.quality,
        by=b.governance,
        purpose="Assurance on the quality and safety of care.",
        duties="Oversee the quality strategy.",
        quorum_members=2,
        quorum_non_executives=1,
        quorum_executives=1,
    )
    assert draft.number == 2 and draft.approved_on is None
    draft = terms_update(
        terms=draft, by=b.governance, expected_version=draft.version, duties="Oversee quality."
    )
    approved = terms_approve(
        terms=draft,
        by=b.governance,
        approved_on=datetime.date(2026, 10, 1),
        approved_by=b.board,
        next_review_on=datetime.date(2027, 10, 1),
        today=datetime.date(2026, 12, 1),
    )
    assert approved.approved_on == datetime.date(2026, 10, 1)
    with pytest.raises(ValidationError, match="is frozen: draft a new version"):
        terms_update(terms=approved, by=b.governance, expected_version=approved.version, purpose="Changed.")
    assert TermsOfReference.objects.get(pk=draft.pk).duties == "Oversee quality."


def test_approval_dates_that_cannot_be_are_refused_by_field():
    b = build_board()
    draft = terms_draft(
        committee=b.quality,
        by=b.governance,
        purpose="P.",
        duties="D.",
        quorum_members=2,
        quorum_non_executives=1,
    )
    with pytest.raises(ValidationError) as refused:
        terms_approve(
            terms=draft,
            by=b.governance,
            approved_on=datetime.date(2027, 1, 5),
            approved_by=b.board,
            next_review_on=datetime.date(2026, 1, 1),
            today=datetime.date(2026, 12, 1),
        )
    assert set(refused.value.message_dict) == {"approved_on", "next_review_on"}
