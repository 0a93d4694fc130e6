"""Leaving and role changes as one step (issue 27): a leaver's or a demoted lead's open actions, risks and QI projects
go to a successor who can act, each change audited, in one transaction; afterwards no cycle awaits them and no
reminder goes to them. Owner lists (core.access.people_who_can_act) offer, and services accept, only people who can
act in that organisation."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from tests.factories import make_person

from wellled.core import services as core_services
from wellled.core.access import people_who_can_act
from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership
from wellled.core.permissions import Permission
from wellled.core.service_kit import AS_IT_STANDS
from wellled.improvement import services as qi_services
from wellled.improvement.models import QIProject
from wellled.plans import selectors as plan_selectors
from wellled.plans import services as plan_services
from wellled.plans.models import Action
from wellled.risks import services as risk_services
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db

SCORES = (3, 4)


@pytest.fixture
def admin(people):
    return people["administrator"]


@pytest.fixture
def leaver(org):
    return make_person(org, role=Role.LEAD, username="leaver", first_name="Lena", last_name="Leaving")


@pytest.fixture
def successor(org):
    return make_person(org, role=Role.LEAD, username="successor", first_name="Sam", last_name="Taking")


@pytest.fixture
def holdings(org, plan, editor, admin, leaver, lead):
    """The leaver leads one action, co-leads another, owns a risk, handles another and leads a QI project; a cycle
    is open on the plan."""
    first, second = Action.objects.filter(plan=plan).order_by("reference")[:2]
    plan_services.action_update(action=first, by=editor, expected_version=AS_IT_STANDS, lead=leaver)
    plan_services.action_update(action=second, by=editor, expected_version=AS_IT_STANDS, other_leads=[leaver])
    owned = risk_services.risk_create(
        organisation=org,
        by=editor,
        title="Staffing gaps",
        inherent=SCORES,
        current=SCORES,
        target=(1, 1),
        owner=leaver,
    )
    handled = risk_services.risk_create(
        organisation=org,
        by=editor,
        title="Estates backlog",
        inherent=SCORES,
        current=SCORES,
        target=(1, 1),
        owner=lead,
        handler=leaver,
    )
    project = qi_services.project_create(
        organisation=org,
        by=editor,
        title="Fewer falls",
        aim="Halve falls on two wards",
        started_on=datetime.date(2026, 1, 5),
        lead=leaver,
        team=[leaver, lead],
    )
    cycle = plan_services.cycle_open(
        plan=plan,
        by=editor,
        name="Board cycle",
        position_as_at=datetime.date.today(),
        update_deadline=datetime.date.today() + datetime.timedelta(days=7),
    )
    return {"actions": [first, second], "risks": [owned, handled], "project": project, "cycle": cycle}


def _membership(person, org):
    return Membership.objects.get(user=person, organisation=org)


def _awaited(cycle, editor, org):
    return plan_selectors.cycle_awaiting_by_lead(cycle=cycle, user=editor, organisation=org)


def test_deactivate_hands_everything_on_audited_and_withdraws_from_the_cycle(
    org, editor, admin, lead, leaver, successor, holdings
):
    cycle = holdings["cycle"]
    assert leaver in _awaited(cycle, editor, org)
    membership = _membership(leaver, org)
    core_services.person_deactivate(
        membership=membership, by=admin, expected_version=membership.version, successor=successor
    )
    first, second = (Action.objects.get(pk=a.pk) for a in holdings["actions"])
    assert first.lead == successor and leaver not in first.other_leads.all()
    assert successor in second.other_leads.all() and leaver not in second.other_leads.all()
    owned, handled = (Risk.objects.get(pk=r.pk) for r in holdings["risks"])
    assert owned.owner == successor and handled.handler == successor
    project = QIProject.objects.get(pk=holdings["project"].pk)
    assert project.lead == successor and set(project.team.all()) == {successor, lead}
    # Each hand-on is in the history of the record it changed, by the administrator.
    for record in (first, second, owned, handled, project):
        assert AuditLog.objects.filter(object_id=str(record.pk), actor=admin, organisation=org).exists(), (
            record
        )
    # Afterwards: in no cycle's awaited list, and a reminder to everyone awaited never goes to them.
    assert leaver not in _awaited(cycle, editor, org)
    mail.outbox.clear()
    plan_services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=_awaited(cycle, editor, org))
    assert all(leaver.email not in message.to for message in mail.outbox)
    assert not _membership(leaver, org).active


def test_deactivate_without_a_successor_changes_nothing(org, admin, leaver, holdings):
    membership = _membership(leaver, org)
    with pytest.raises(ValidationError) as refused:
        core_services.person_deactivate(membership=membership, by=admin, expected_version=membership.version)
    assert "successor" in refused.value.message_dict
    assert "open actions" in refused.value.message_dict["successor"][0]
    assert _membership(leaver, org).active
    assert Action.objects.get(pk=holdings["actions"][0].pk).lead == leaver


@pytest.mark.parametrize("who", ["viewer", "other_org", "invitee", "self"])
def test_a_successor_who_cannot_act_is_refused_and_nothing_changes(
    org, other_org, admin, leaver, viewer, holdings, who
):
    if who == "viewer":
        successor = viewer
    elif who == "other_org":
        successor = make_person(other_org, role=Role.LEAD)
    elif who == "invitee":
        invitation = core_services.person_invite(
            organisation=org, by=admin, email="new.lead@example.org", role=Role.LEAD, first_name="Nia"
        )
        successor = invitation.person
    else:
        successor = leaver
    membership = _membership(leaver, org)
    with pytest.raises(ValidationError) as refused:
        core_services.person_deactivate(
            membership=membership, by=admin, expected_version=membership.version, successor=successor
        )
    assert "successor" in refused.value.message_dict
    assert _membership(leaver, org).active
    assert Action.objects.get(pk=holdings["actions"][0].pk).lead == leaver
    assert Risk.objects.get(pk=holdings["risks"][0].pk).owner == leaver


def test_making_a_lead_a_viewer_hands_on_their_work(org, editor, admin, leaver, successor, holdings):
    membership = _membership(leaver, org)
    with pytest.raises(ValidationError) as refused:
        core_services.person_role_set(
            membership=membership, role=Role.VIEWER, by=admin, expected_version=membership.version
        )
    assert "successor" in refused.value.message_dict
    assert _membership(leaver, org).role == Role.LEAD
    core_services.person_role_set(
        membership=membership,
        role=Role.VIEWER,
        by=admin,
        expected_version=membership.version,
        successor=successor,
    )
    assert _membership(leaver, org).role == Role.VIEWER
    assert Action.objects.get(pk=holdings["actions"][0].pk).lead == successor
    assert QIProject.objects.get(pk=holdings["project"].pk).lead == successor
    assert leaver not in _awaited(holdings["cycle"], editor, org)


def test_a_role_that_can_still_act_keeps_the_work(org, admin, leaver, holdings):
    membership = _membership(leaver, org)
    core_services.person_role_set(
        membership=membership, role=Role.GOVERNANCE_EDITOR, by=admin, expected_version=membership.version
    )
    assert Action.objects.get(pk=holdings["actions"][0].pk).lead == leaver


def test_a_leaver_without_open_work_needs_no_successor(org, admin, leaver):
    membership = _membership(leaver, org)
    core_services.person_deactivate(membership=membership, by=admin, expected_version=membership.version)
    assert not _membership(leaver, org).active


# Owner lists and the services behind them -----------------------------------------------------------------------


def test_people_who_can_act_leaves_out_viewers_leavers_invitees_and_other_organisations(
    org, other_org, admin, editor, lead, viewer, leaver
):
    invitee = core_services.person_invite(
        organisation=org, by=admin, email="invitee@example.org", role=Role.LEAD, first_name="Ivo"
    ).person
    membership = _membership(leaver, org)
    core_services.person_deactivate(membership=membership, by=admin, expected_version=membership.version)
    elsewhere = make_person(other_org, role=Role.LEAD)
    able = set(people_who_can_act(organisation_id=org.pk, permissions=[Permission.UPDATE_OWN_ACTION]))
    assert {admin, editor, lead} <= able
    assert not able & {viewer, leaver, invitee, elsewhere}


@pytest.mark.parametrize("field", ["lead", "other_leads"])
def test_an_action_cannot_be_given_to_a_viewer(plan, editor, viewer, field):
    action = Action.objects.filter(plan=plan).first()
    value = viewer if field == "lead" else [viewer]
    with pytest.raises(ValidationError) as refused:
        plan_services.action_update(action=action, by=editor, expected_version=AS_IT_STANDS, **{field: value})
    assert field in refused.value.message_dict


def test_an_action_cannot_be_given_to_someone_of_another_organisation(plan, editor, other_org):
    action = Action.objects.filter(plan=plan).first()
    stranger = make_person(other_org, role=Role.LEAD)
    with pytest.raises(ValidationError) as refused:
        plan_services.action_update(action=action, by=editor, expected_version=AS_IT_STANDS, lead=stranger)
    assert "lead" in refused.value.message_dict


def test_an_unchanged_lead_who_can_no_longer_act_does_not_block_an_edit(org, plan, editor, admin, viewer):
    action = Action.objects.filter(plan=plan).first()
    Membership.objects.filter(user=action.lead, organisation=org).update(role=Role.VIEWER)
    plan_services.action_update(
        action=action, by=editor, expected_version=AS_IT_STANDS, lead=action.lead, title="Reworded"
    )
    assert Action.objects.get(pk=action.pk).title == "Reworded"


@pytest.mark.parametrize("field", ["owner", "handler"])
def test_a_risk_cannot_be_given_to_a_viewer(org, editor, viewer, field):
    with pytest.raises(ValidationError) as refused:
        risk_services.risk_create(
            organisation=org,
            by=editor,
            title="Data quality",
            inherent=SCORES,
            current=SCORES,
            target=(1, 1),
            **{field: viewer},
        )
    assert field in refused.value.message_dict


def test_a_qi_project_cannot_be_led_by_a_viewer(org, editor, viewer):
    with pytest.raises(ValidationError) as refused:
        qi_services.project_create(
            organisation=org,
            by=editor,
            title="Quicker discharge",
            aim="Discharge before noon",
            started_on=datetime.date(2026, 1, 5),
            lead=viewer,
        )
    assert "lead" in refused.value.message_dict


def test_giving_actions_to_a_viewer_is_refused(plan, editor, lead, viewer):
    actions = list(Action.objects.filter(plan=plan))
    with pytest.raises(ValidationError):
        plan_services.actions_lead_reassign(actions=actions, person=lead, to=viewer, by=editor)


# The pages ----------------------------------------------------------------------------------------------------


def test_the_deactivation_page_suggests_a_peer_and_refuses_a_crafted_successor(
    login, org, other_org, admin, leaver, successor, viewer, holdings
):
    from django.urls import reverse

    for person in (leaver, successor):
        person.job_title = "Matron"
        person.save()
    membership = _membership(leaver, org)
    url = reverse("person-deactivate", args=[membership.pk])
    client = login(admin)
    page = client.get(url).content.decode()
    assert f'value="{successor.pk}" selected' in page
    assert "Fewer falls" in page and "Staffing gaps" in page  # what they hold, listed
    assert f'value="{viewer.pk}"' not in page
    stranger = make_person(other_org, role=Role.LEAD)
    for crafted in (stranger, viewer):
        response = client.post(url, {"version": membership.version, "successor": crafted.pk})
        assert response.status_code == 200 and _membership(leaver, org).active
    response = client.post(url, {"version": membership.version, "successor": successor.pk})
    assert response.status_code == 302 and not _membership(leaver, org).active


def test_a_refusal_never_names_someone_of_another_organisation(plan, editor, other_org):
    action = Action.objects.filter(plan=plan).first()
    stranger = make_person(other_org, role=Role.LEAD, first_name="Zebedee", last_name="Outsider")
    with pytest.raises(ValidationError) as refused:
        plan_services.action_update(action=action, by=editor, expected_version=AS_IT_STANDS, lead=stranger)
    assert (
        "Zebedee" not in str(refused.value) and "The person chosen" in refused.value.message_dict["lead"][0]
    )


def test_a_risk_review_reminder_never_goes_to_a_leaver(org, editor, admin, leaver, lead):
    from django.utils import timezone

    overdue = timezone.localdate() - datetime.timedelta(days=5)
    risk_services.risk_create(
        organisation=org,
        by=editor,
        title="Old estate",
        inherent=SCORES,
        current=SCORES,
        target=(1, 1),
        owner=leaver,
        handler=lead,
        next_review_on=overdue,
    )
    # A leaver whose risk was not handed on (before hand-on existed): the handler is reminded instead.
    Membership.objects.filter(user=leaver, organisation=org).update(active=False)
    mail.outbox.clear()
    assert risk_services.review_reminders_send(organisation=org, by=editor, on=timezone.localdate()) == 1
    assert [message.to for message in mail.outbox] == [[lead.email]]
