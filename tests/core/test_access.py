"""A leaver stops counting as a member everywhere at once: the access module answers for scoping, services, the
API and the demo alike, and it answers for one organisation at a time."""

import pytest
from tests.factories import make_person

from wellled.core.access import current_members, current_role, is_current_member, memberships_ever
from wellled.core.choices import Role
from wellled.core.services import membership_set, person_deactivate

pytestmark = pytest.mark.django_db


def _leave(person, organisation, by):
    membership = memberships_ever(user=person, organisation=organisation).get()
    person_deactivate(membership=membership, by=by, expected_version=membership.version)


def test_a_leaver_has_no_role_and_is_not_a_current_member(org, people, lead):
    assert current_role(user=lead, organisation_id=org.pk) == Role.LEAD
    assert is_current_member(user=lead.pk, organisation_id=org.pk, roles=[Role.LEAD])
    assert not is_current_member(user=lead, organisation_id=org.pk, roles=[Role.ADMINISTRATOR])
    _leave(lead, org, people[Role.ADMINISTRATOR])
    assert current_role(user=lead, organisation_id=org.pk) is None
    assert not is_current_member(user=lead, organisation_id=org.pk)
    assert lead not in current_members(organisation=org)
    assert memberships_ever(user=lead, organisation=org).exists()  # the record of having belonged stays


def test_a_current_membership_elsewhere_does_not_keep_a_leaver_in(org, other_org, people, outsider):
    """Someone who left one trust and still works at another is a member of the second only."""
    person = make_person(org, role=Role.LEAD, username="mover")
    membership_set(user=person, organisation=other_org, role=Role.VIEWER, by=outsider)
    _leave(person, org, people[Role.ADMINISTRATOR])
    assert person not in current_members(organisation=org)
    assert person in current_members(organisation=other_org)
    assert not is_current_member(user=person, organisation_id=org.pk)
