"""The committee tree and who sees private items: the rules every committees page builds on (issue 22)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.access import private_committee_ids, sees_private
from wellled.committees.models import Committee
from wellled.core.choices import Role

pytestmark = pytest.mark.django_db


def test_a_committee_cannot_report_to_itself_through_others():
    b = build_board()
    b.board.reports_to = b.sub
    with pytest.raises(ValidationError, match="through others, to itself"):
        b.board.full_clean()


def test_a_committee_reports_only_to_a_committee_of_its_own_trust():
    b = build_board()
    other = build_board()
    b.sub.reports_to = other.quality
    with pytest.raises(ValidationError, match="same trust"):
        b.sub.full_clean()


def test_private_items_are_seen_by_members_and_the_governance_team_only():
    b = build_board()
    assert sees_private(b.chair, b.quality)
    assert sees_private(b.governance, b.quality)
    assert not sees_private(b.outsider, b.quality)
    assert not sees_private(b.member, b.sub)  # a member of the parent committee is not a member of the sub
    administrator_elsewhere = make_person(make_organisation(), Role.ADMINISTRATOR)
    assert not sees_private(administrator_elsewhere, b.quality)
    visible = set(
        Committee.objects.filter(private_committee_ids(b.member, b.org.pk)).values_list("pk", flat=True)
    )
    assert visible == {b.quality.pk}
