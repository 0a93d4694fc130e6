"""Every read and write is scoped to the organisations the signed-in person belongs to.

A person from another organisation gets 404 for every object URL (GET and POST, and a POST changes nothing);
the selectors return nothing of another organisation; switching organisation is the only way to see another
organisation's data, and only one the person belongs to.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    URL_GET_ONLY,
    URL_OBJECT_KIND,
    URL_POST_ONLY,
    db_state,
    foundation_url_patterns,
    make_organisation,
    make_person,
    url_for,
    valid_post_data,
)

from wellled.core import selectors as core_selectors
from wellled.core.choices import Role
from wellled.core.models import User
from wellled.core.services import membership_set
from wellled.plans import selectors
from wellled.plans.models import Plan


def object_urls(objects):
    """Every URL that names an object, filled with the object of `objects` it names."""
    urls = []
    for name, _route, takes_pk in foundation_url_patterns():
        if takes_pk:
            assert name in URL_OBJECT_KIND, f"{name}: add it to tests.factories.URL_OBJECT_KIND"
            urls.append((name, url_for(name, objects)))
    return urls


def test_every_object_url_has_an_object_kind_when_the_url_map_changes():
    unmapped = [
        (name, route)
        for name, route, takes_pk in foundation_url_patterns()
        if takes_pk and name not in URL_OBJECT_KIND
    ]
    assert unmapped == [], (
        "add these object URLs to tests.factories.URL_OBJECT_KIND so their scoping is tested"
    )
    stale = set(URL_OBJECT_KIND) - {name for name, _, takes_pk in foundation_url_patterns() if takes_pk}
    assert stale == set()


@pytest.mark.django_db
def test_member_reaches_every_object_url_when_the_object_is_theirs(login, people, objects):
    """The 404s below mean something only if the same URLs work for the organisation's own people."""
    client = login(people[Role.ADMINISTRATOR])
    for name, url in object_urls(objects):
        response = client.get(url)
        assert response.status_code == (405 if name in URL_POST_ONLY else 200), (
            name,
            url,
            response.status_code,
        )


@pytest.mark.django_db
def test_outsider_gets_404_for_every_object_url_when_getting_another_organisations_object(
    login, objects, outsider
):
    client = login(outsider)
    before = db_state()
    for name, url in object_urls(objects):
        response = client.get(url)
        # POST-only URLs answer GET with 405 before looking anything up, for every object alike.
        assert response.status_code == (405 if name in URL_POST_ONLY else 404), (
            name,
            url,
            response.status_code,
        )
        assert objects["plan"].name.encode() not in response.content
    assert db_state() == before


@pytest.mark.django_db
def test_outsider_gets_404_and_changes_nothing_when_posting_to_another_organisations_object(
    login, objects, outsider
):
    client = login(outsider)
    before = db_state()
    for name, url in object_urls(objects):
        response = client.post(url, valid_post_data(name, objects))
        # GET-only URLs answer POST with 405 before looking anything up, for every object alike.
        assert response.status_code == (405 if name in URL_GET_ONLY else 404), (
            name,
            url,
            response.status_code,
        )
        assert db_state() == before, f"POST to {name} changed data of another organisation"


@pytest.mark.django_db
def test_outsider_gets_404_when_correcting_an_update_of_another_organisation(login, objects, outsider):
    """`?correct=` names a progress update too: it must be scoped like the URL's own object."""
    client = login(outsider)
    own_action = selectors.actions_for_user(
        user=outsider, organisation=outsider.memberships.get().organisation
    ).first()
    url = reverse("action-update", args=[own_action.pk]) + f"?correct={objects['update'].pk}"
    before = db_state()
    assert client.get(url).status_code == 404
    data = {
        "narrative": "x",
        "status": own_action.plan.organisation.delivery_statuses.first().pk,
        "update_date": timezone.localdate().isoformat(),
        "version": own_action.version,
        "correct": objects["update"].pk,
    }
    assert client.post(reverse("action-update", args=[own_action.pk]), data).status_code == 404
    assert db_state() == before


@pytest.mark.django_db
def test_lists_and_dashboard_show_nothing_of_another_organisation_when_signed_in(login, objects, outsider):
    client = login(outsider)
    for url in ["/", "/plans/", "/my-actions/", "/organisation/", "/organisation/audit/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert objects["plan"].name not in body, url
        assert "Northmoor" not in body, url


@pytest.mark.django_db
def test_selectors_return_nothing_of_another_organisation_when_asked_for_it(
    org, other_org, objects, outsider, editor
):
    plan = objects["plan"]
    # The outsider asking about `org` (which they do not belong to) gets nothing.
    assert list(selectors.plans_for_user(user=outsider, organisation=org)) == []
    assert list(selectors.actions_for_user(user=outsider, organisation=org)) == []
    assert list(selectors.plan_cycles(user=outsider, organisation=org, plan=plan)) == []
    assert selectors.plan_findings(user=outsider, organisation=org, plan=plan) == []
    assert selectors.plan_actions(user=outsider, organisation=org, plan=plan) == []
    assert selectors.my_actions(user=outsider, organisation=org) == []
    assert selectors.cycle_awaiting_by_lead(user=outsider, organisation=org, cycle=objects["cycle"]) == {}
    assert selectors.dashboard(user=outsider, organisation=org).total == 0
    assert list(core_selectors.organisation_people(user=outsider, organisation=org)) == []
    assert list(core_selectors.audit_for_organisation(user=outsider, organisation=org)) == []
    assert (
        list(core_selectors.audit_for_object(user=outsider, organisation=org, instance=objects["action"]))
        == []
    )
    getters = {
        "plan": selectors.plan_get,
        "section": selectors.section_get,
        "action": selectors.action_get,
        "finding": selectors.finding_get,
        "cycle": selectors.cycle_get,
        "update": selectors.progress_update_get,
    }
    for kind, get in getters.items():
        with pytest.raises(Exception) as caught:
            get(user=outsider, organisation=org, pk=objects[kind].pk)
        assert type(caught.value).__name__ == "Http404", kind
        # Nor does a member of `org` reach it by naming the other organisation.
        with pytest.raises(Exception) as caught:
            get(user=editor, organisation=other_org, pk=objects[kind].pk)
        assert type(caught.value).__name__ == "Http404", kind
    # A member of `org` sees only `org`'s plans and actions, never the outsider's.
    assert set(selectors.plans_for_user(user=editor, organisation=org)) == {plan}
    assert {a.plan_id for a in selectors.actions_for_user(user=editor, organisation=org)} == {plan.pk}
    assert all(
        r.organisation_id == org.pk
        for r in core_selectors.audit_for_organisation(user=editor, organisation=org)
    )


@pytest.mark.django_db
def test_person_in_two_organisations_sees_the_other_only_after_switching_when_they_switch(
    login, org, other_org, objects, outsider
):
    person = make_person(org, role=Role.VIEWER, username="director")
    membership_set(user=person, organisation=other_org, role=Role.VIEWER, by=None)
    own_plan = objects["plan"]
    other_plan = Plan.objects.get(organisation=other_org)
    client = login(person)
    # Working in the first organisation (by name): the other's plan is 404 however it is named.
    assert client.get(reverse("plan-detail", args=[own_plan.pk])).status_code == 200
    assert client.get(reverse("plan-detail", args=[other_plan.pk])).status_code == 404
    response = client.post(reverse("organisation-switch"), {"organisation": other_org.pk, "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get(reverse("plan-detail", args=[other_plan.pk])).status_code == 200
    assert client.get(reverse("plan-detail", args=[own_plan.pk])).status_code == 404
    assert other_plan.name in client.get("/plans/").content.decode()
    # Switching back from a page of one plan lands on the dashboard, not on a page the other trust cannot show.
    back = client.post(
        reverse("organisation-switch"),
        {"organisation": org.pk, "next": reverse("plan-detail", args=[other_plan.pk])},
    )
    assert back["Location"] == "/" and client.get("/").status_code == 200
    for unsafe in ("https://evil.example/", "//evil.example/", "/no-such-page/"):
        response = client.post(reverse("organisation-switch"), {"organisation": org.pk, "next": unsafe})
        assert response["Location"] == "/", unsafe


@pytest.mark.django_db
def test_switching_is_404_when_the_person_does_not_belong_to_the_organisation(
    login, viewer, objects, other_org
):
    third = make_organisation(name="Westbrook Test Trust", ods_code="ZWT01")
    client = login(viewer)
    for value in [other_org.pk, third.pk, "999999", "not-a-number", ""]:
        response = client.post(reverse("organisation-switch"), {"organisation": value})
        assert response.status_code == 404, value
    # Still working in their own organisation, and another's plan is still out of reach.
    assert client.get(reverse("plan-detail", args=[objects["plan"].pk])).status_code == 200
    assert "Northmoor Test Trust" in client.get("/organisation/").content.decode()


@pytest.mark.django_db
def test_switching_is_refused_when_sent_by_get(login, viewer, other_org):
    client = login(viewer)
    assert client.get(reverse("organisation-switch") + f"?organisation={other_org.pk}").status_code == 405


@pytest.mark.django_db
def test_person_with_no_membership_gets_the_no_organisation_page_when_signed_in(login, objects):
    User.objects.create_user(username="nobody", password="correct-horse-battery", email="nobody@example.org")
    client = login(User.objects.get(username="nobody"))
    for url in ["/", "/plans/", reverse("plan-detail", args=[objects["plan"].pk]), "/organisation/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You do not belong to an organisation yet" in response.content.decode()
    before = db_state()
    response = client.post(
        reverse("action-update", args=[objects["action"].pk]), valid_post_data("action-update", objects)
    )
    assert response.status_code == 403
    assert db_state() == before


@pytest.mark.django_db
def test_a_stored_organisation_choice_is_ignored_when_the_membership_has_gone(
    login, org, other_org, objects, outsider
):
    """The session remembers the chosen organisation; the middleware re-reads memberships before honouring it."""
    person = make_person(org, role=Role.VIEWER, username="director")
    membership_set(user=person, organisation=other_org, role=Role.VIEWER, by=None)
    other_plan = Plan.objects.get(organisation=other_org)
    client = login(person)
    client.post(reverse("organisation-switch"), {"organisation": other_org.pk})
    assert client.get(reverse("plan-detail", args=[other_plan.pk])).status_code == 200
    person.memberships.get(organisation=other_org).delete()
    assert client.get(reverse("plan-detail", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("plan-detail", args=[objects["plan"].pk])).status_code == 200


@pytest.mark.django_db
def test_action_form_offers_only_the_organisations_people_and_the_plans_findings_when_editing(
    login, editor, objects, outsider
):
    """Choices on forms are scoped too: another organisation's people cannot be made leads."""
    client = login(editor)
    body = client.get(reverse("action-edit", args=[objects["action"].pk])).content.decode()
    assert str(outsider) not in body
    data = valid_post_data("action-edit", objects) | {"lead": outsider.pk}
    before = db_state()
    response = client.post(reverse("action-edit", args=[objects["action"].pk]), data)
    assert response.status_code == 200  # re-shown with an error
    assert db_state() == before
