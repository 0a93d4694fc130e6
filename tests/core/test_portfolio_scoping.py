"""An oversight body's people see the trusts of its portfolio, read-only, and nothing else (ADR 0038).

Tried like the plans' scoping tests: every object URL of a trust answers an oversight person's GET once they work
in that trust, every POST is refused and changes nothing, and the view ends when the trust leaves the portfolio,
before it joins, or when the person leaves the oversight body.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.factories import URL_GET_ONLY, URL_POST_ONLY, db_state, make_person, make_plan, valid_post_data
from tests.plans.test_scoping import object_urls

from wellled.core import selectors as core_selectors
from wellled.core.choices import OrganisationKind, Role
from wellled.core.models import AuditLog, PortfolioEntry
from wellled.core.permissions import Permission
from wellled.core.service_kit import membership_role, permission_require
from wellled.core.services import (
    organisation_create,
    person_deactivate,
    portfolio_trust_add,
    portfolio_trust_remove,
)
from wellled.plans import selectors

TODAY = timezone.localdate


@pytest.fixture
def region(db):
    return organisation_create(
        name="NHS England Test Region", ods_code="ZR001", by=None, kind=OrganisationKind.OVERSIGHT
    )


@pytest.fixture
def director(region):
    """An improvement director: governance editor in the region, nothing in any trust."""
    return make_person(region, role=Role.GOVERNANCE_EDITOR, username="director")


@pytest.fixture
def entry(region, org):
    return portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=TODAY())


def work_in(client, organisation):
    response = client.post(reverse("organisation-switch"), {"organisation": organisation.pk, "next": "/"})
    assert response.status_code == 302, response.status_code
    return client


@pytest.mark.django_db
def test_director_reads_every_object_url_of_a_portfolio_trust_when_working_in_it(
    login, objects, director, entry, org
):
    client = work_in(login(director), org)
    for name, url in object_urls(objects):
        if name in URL_POST_ONLY:
            continue
        response = client.get(url)
        # A viewer's role: pages that edit answer 403, pages that show answer 200; none is hidden as 404.
        assert response.status_code in (200, 403), (name, url, response.status_code)
    assert client.get(reverse("plan-detail", args=[objects["plan"].pk])).status_code == 200
    assert objects["plan"].name in client.get("/plans/").content.decode()


@pytest.mark.django_db
def test_director_cannot_change_anything_of_a_portfolio_trust_when_posting_everywhere(
    login, objects, director, entry, org
):
    client = work_in(login(director), org)
    before = db_state()
    for name, url in object_urls(objects):
        if name in URL_GET_ONLY or name == "organisation-switch":
            continue
        response = client.post(url, valid_post_data(name, objects))
        # Refused (403), or a page that only shows answering POST as GET: either way nothing is written.
        assert response.status_code in (200, 403, 404, 405), (name, url, response.status_code)
        assert db_state() == before, f"POST to {name} changed a portfolio trust's data"


@pytest.mark.django_db
def test_services_refuse_a_director_every_write_when_called_directly(director, entry, org):
    assert membership_role(user=director, organisation_id=org.pk) == Role.VIEWER
    permission_require(user=director, organisation_id=org.pk, permission=Permission.VIEW)
    for permission in set(Permission) - {Permission.VIEW}:
        with pytest.raises(PermissionDenied):
            permission_require(user=director, organisation_id=org.pk, permission=permission)


@pytest.mark.django_db
def test_director_sees_nothing_of_a_trust_outside_the_portfolio_when_naming_it(
    login, objects, director, entry, other_org, outsider
):
    assert core_selectors.membership_get(user=director, organisation=other_org) is None
    assert list(selectors.plans_for_user(user=director, organisation=other_org)) == []
    client = login(director)
    assert client.post(reverse("organisation-switch"), {"organisation": other_org.pk}).status_code == 404
    other_plan = selectors.plans_for_user(user=outsider, organisation=other_org).get()
    assert client.get(reverse("plan-detail", args=[other_plan.pk])).status_code == 404


@pytest.mark.django_db
def test_the_view_ends_when_the_trust_leaves_the_portfolio_or_the_person_leaves_the_body(
    login, objects, director, entry, org, region, people
):
    plan = objects["plan"]
    assert list(selectors.plans_for_user(user=director, organisation=org)) == [plan]
    portfolio_trust_remove(entry=entry, by=None, left_on=TODAY())
    assert list(selectors.plans_for_user(user=director, organisation=org)) == []
    assert membership_role(user=director, organisation_id=org.pk) is None
    # Back in the portfolio, then the director leaves the region: the view goes with the membership.
    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=TODAY())
    assert list(selectors.plans_for_user(user=director, organisation=org)) == [plan]
    admin = make_person(region, role=Role.ADMINISTRATOR)
    membership = director.memberships.get(organisation=region)
    person_deactivate(membership=membership, by=admin, expected_version=membership.version)
    assert list(selectors.plans_for_user(user=director, organisation=org)) == []
    assert core_selectors.workplaces_for_user(user=director) == []


@pytest.mark.django_db
def test_a_trust_joining_next_month_is_not_seen_before_it_joins(director, region, org, objects):
    portfolio_trust_add(
        oversight_body=region, trust=org, by=None, joined_on=TODAY() + datetime.timedelta(days=30)
    )
    assert list(selectors.plans_for_user(user=director, organisation=org)) == []
    assert core_selectors.membership_get(user=director, organisation=org) is None


@pytest.mark.django_db
def test_trust_people_see_nothing_of_the_oversight_body_when_they_try(login, people, entry, region):
    client = login(people[Role.ADMINISTRATOR])
    assert client.post(reverse("organisation-switch"), {"organisation": region.pk}).status_code == 404
    assert core_selectors.membership_get(user=people[Role.ADMINISTRATOR], organisation=region) is None
    assert (
        list(core_selectors.audit_for_organisation(user=people[Role.ADMINISTRATOR], organisation=region))
        == []
    )


@pytest.mark.django_db
def test_switcher_lists_portfolio_trusts_as_read_only_and_own_role_wins(login, director, entry, org, region):
    places = core_selectors.workplaces_for_user(user=director)
    assert [(m.organisation, m.role, m.via) for m in places] == [
        (region, Role.GOVERNANCE_EDITOR, None),
        (org, Role.VIEWER, region),
    ]
    client = login(director)
    home = client.get("/")
    # An oversight body keeps no plans of its own: its home is the portfolio.
    assert home.status_code == 302 and home["Location"] == reverse("oversight-portfolio")
    body = client.get(home["Location"]).content.decode()
    assert ">Portfolio<" in body and ">Plans<" not in body  # the menu of an oversight body
    assert "Trusts you oversee (read-only)" in body
    # Someone who is also a member of the trust keeps their own role there.
    from wellled.core.services import membership_set

    membership_set(user=director, organisation=org, role=Role.LEAD, by=None)
    assert [(m.organisation, m.role, m.via) for m in core_selectors.workplaces_for_user(user=director)] == [
        (region, Role.GOVERNANCE_EDITOR, None),
        (org, Role.LEAD, None),
    ]


@pytest.mark.django_db
def test_portfolio_changes_are_checked_and_audited(region, org, other_org, people):
    admin = make_person(region, role=Role.ADMINISTRATOR)
    entry = portfolio_trust_add(oversight_body=region, trust=org, by=admin, joined_on=TODAY())
    assert AuditLog.objects.filter(object_id=str(entry.pk), actor=admin, organisation=region).exists()
    with pytest.raises(ValidationError, match="already in the portfolio"):
        portfolio_trust_add(oversight_body=region, trust=org, by=admin, joined_on=TODAY())
    with pytest.raises(ValidationError) as refused:
        portfolio_trust_add(oversight_body=org, trust=other_org, by=None, joined_on=TODAY())
    assert "oversight_body" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        portfolio_trust_add(oversight_body=region, trust=region, by=None, joined_on=TODAY())
    assert "trust" in refused.value.message_dict
    # A trust's administrator cannot put their trust in (or take it out of) a region's portfolio.
    with pytest.raises(PermissionDenied):
        portfolio_trust_add(
            oversight_body=region, trust=other_org, by=people[Role.ADMINISTRATOR], joined_on=TODAY()
        )
    with pytest.raises(ValidationError) as refused:
        portfolio_trust_remove(entry=entry, by=admin, left_on=TODAY() - datetime.timedelta(days=1))
    assert "left_on" in refused.value.message_dict
    assert PortfolioEntry.objects.get(pk=entry.pk).left_on is None


def test_scoping_follows_the_portfolio_from_one_day_to_the_next(region, director, org, plan):
    """Scoping's condition is built once per person, organisation and day and kept by the worker (ADR 0070): a worker
    running past midnight must stop lending a trust on the day it leaves, and start on the day one joins."""
    import time_machine

    from wellled.measures.models import Measure

    today = TODAY()
    tomorrow = today + datetime.timedelta(days=1)
    leaving = portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=today)
    portfolio_trust_remove(entry=leaving, by=None, left_on=tomorrow)
    joining = organisation_create(name="Joining Tomorrow NHS Trust", ods_code="ZJ001", by=None)
    joining_plan = make_plan(joining, make_person(joining, role=Role.GOVERNANCE_EDITOR))
    portfolio_trust_add(oversight_body=region, trust=joining, by=None, joined_on=tomorrow)

    assert list(selectors.plans_for_user(user=director, organisation=org)) == [plan]
    assert list(selectors.plans_for_user(user=director, organisation=joining)) == []
    noon_tomorrow = datetime.datetime.combine(
        tomorrow, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(noon_tomorrow, tick=False):
        assert list(selectors.plans_for_user(user=director, organisation=org)) == []
        assert list(selectors.plans_for_user(user=director, organisation=joining)) == [joining_plan]
    # The kept condition is never changed by the queries that use it: each resolves its own copy.
    kept = core_selectors._may_see_on(director.pk, org.pk, today)
    before = repr(kept)
    assert list(selectors.plans_for_user(user=director, organisation=org)) == [plan]
    assert not Measure.objects.filter(organisation=org).filter(kept).exclude(kept).exists()
    assert repr(core_selectors._may_see_on(director.pk, org.pk, today)) == before
