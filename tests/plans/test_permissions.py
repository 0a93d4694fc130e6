"""What each role may do, tried through the pages: 403 (and nothing changed) where the role does not allow it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    URL_POST_ONLY,
    db_state,
    foundation_url_patterns,
    make_person,
    status,
    url_for,
    valid_post_data,
)

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.core.services import membership_set
from wellled.plans import services
from wellled.plans.models import Action, ProgressUpdate

# What each page needs. Every named URL must be listed (a test checks), so a new page gets a decision.
READ = {
    "dashboard",
    "my-actions",
    "plan-list",
    "plan-detail",
    "plan-history",
    "section-history",
    "action-detail",
    "action-history",
    "update-history",
    "finding-detail",
    "finding-history",
    "cycle-list",
    "cycle-detail",
    "cycle-history",
    "organisation-detail",
    "board-paper",
    "board-paper-download",
    "paper-list",
    "paper-detail",
    "paper-file",
    "paper-compare",
    "paper-job",
    "plan-export",
    "word-template-download",
}
MANAGE_PLANS = {
    "plan-create",
    "plan-edit",
    "section-create",
    "section-edit",
    "action-create",
    "action-edit",
    "action-timescale",
    "action-state",
    "finding-create",
    "finding-edit",
    "plan-import",
    "plan-import-new",
    "plan-import-review",
    "word-template",
    "word-template-remove",
}
MANAGE_CYCLES = {"cycle-open", "cycle-remind", "cycle-close", "paper-issue", "paper-withdraw"}
UPDATE_ACTION = {"action-update"}  # the action's leads, editors and administrators
VIEW_AUDIT = {"audit-log"}
ADMINISTER = {"delivery-scale"}  # administrators only: tried in tests/core/test_delivery_scale.py
PUBLIC = {"login", "health"}
SIGNED_IN_ANY = {"logout", "organisation-switch", "plan-import-example"}  # the example holds no trust data
EDITING = MANAGE_PLANS | MANAGE_CYCLES | UPDATE_ACTION
POST_ONLY = URL_POST_ONLY


def fresh(objects):
    return {kind: type(obj).objects.get(pk=obj.pk) for kind, obj in objects.items()}


def test_every_page_has_a_permission_decision_when_the_url_map_changes():
    names = {name for name, _, _ in foundation_url_patterns()}
    decided = (
        READ | MANAGE_PLANS | MANAGE_CYCLES | UPDATE_ACTION | VIEW_AUDIT | ADMINISTER | PUBLIC | SIGNED_IN_ANY
    )
    assert names - decided == set(), "decide who may use these new pages and add them to this file"
    assert decided - names == set()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_when_opening_or_posting_to_any_page(client, objects):
    before = db_state()
    for name, _, _ in foundation_url_patterns():
        if name in PUBLIC:
            continue
        url = url_for(name, objects)
        for response in (client.get(url), client.post(url, valid_post_data(name, objects))):
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/accounts/login/?next="), name
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEAD, Role.GOVERNANCE_EDITOR, Role.ADMINISTRATOR])
def test_every_member_can_read_every_page_when_signed_in(login, people, objects, role):
    client = login(people[role])
    for name in sorted(READ):
        response = client.get(url_for(name, objects))
        assert response.status_code == 200, (role, name, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EDITING | VIEW_AUDIT))
def test_viewer_gets_403_and_changes_nothing_when_opening_or_submitting_an_editing_page(
    login, viewer, objects, name
):
    client = login(viewer)
    url = url_for(name, objects)
    before = db_state()
    if name not in POST_ONLY:
        assert client.get(url).status_code == 403
    response = client.post(url, valid_post_data(name, objects))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MANAGE_PLANS | MANAGE_CYCLES | VIEW_AUDIT))
def test_lead_gets_403_and_changes_nothing_when_opening_or_submitting_plan_or_cycle_editing(
    login, lead, objects, name
):
    client = login(lead)
    url = url_for(name, objects)
    before = db_state()
    if name not in POST_ONLY:
        assert client.get(url).status_code == 403
    assert client.post(url, valid_post_data(name, objects)).status_code == 403
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.GOVERNANCE_EDITOR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("name", sorted(EDITING))
def test_editor_and_administrator_change_the_plan_when_submitting_an_editing_page(
    login, people, objects, role, name
):
    person = people[role]
    client = login(person)
    url = url_for(name, objects)
    if name not in POST_ONLY:
        assert client.get(url).status_code == 200
    before = db_state()
    audit_before = AuditLog.objects.count()
    response = client.post(url, valid_post_data(name, fresh(objects)))
    assert response.status_code == 302, (name, response.content.decode()[:3000])
    assert db_state() != before
    written = AuditLog.objects.all()[: AuditLog.objects.count() - audit_before]
    assert written and all(
        r.actor == person and r.organisation_id == objects["plan"].organisation_id for r in written
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.GOVERNANCE_EDITOR, Role.ADMINISTRATOR])
def test_editor_and_administrator_read_the_audit_log_when_signed_in(login, people, objects, role):
    response = login(people[role]).get(reverse("audit-log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert objects["plan"].name in body and str(objects["update"]) in body


@pytest.mark.django_db
def test_lead_records_an_update_when_they_lead_the_action(login, lead, objects):
    action = objects["action"]
    client = login(lead)
    assert client.get(reverse("action-update", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("action-update", args=[action.pk]), valid_post_data("action-update", objects)
    )
    assert response.status_code == 302
    action.refresh_from_db()
    latest = action.updates.order_by("-created_at", "-id").first()
    assert latest.narrative == "Posted update" and latest.created_by == lead
    assert action.status.code == "R"


@pytest.mark.django_db
def test_lead_records_an_update_when_they_are_one_of_the_other_leads(login, org, editor, lead, objects):
    action = services.action_create(
        plan=objects["plan"],
        by=editor,
        reference="W1z",
        title="Shared action",
        lead=editor,
        other_leads=[lead],
    )
    client = login(lead)
    data = {
        "narrative": "My part is done",
        "status": status(org, "G").pk,
        "update_date": timezone.localdate().isoformat(),
        "version": action.version,
    }
    response = client.post(reverse("action-update", args=[action.pk]), data)
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(action=action).created_by == lead


@pytest.mark.django_db
def test_lead_gets_403_and_changes_nothing_when_the_action_is_not_theirs(login, org, editor, lead, objects):
    someone = make_person(org, role=Role.LEAD, username="someone")
    not_theirs = services.action_create(
        plan=objects["plan"], by=editor, reference="W1y", title="Not theirs", lead=someone
    )
    unled = services.action_create(plan=objects["plan"], by=editor, reference="W1x", title="No lead")
    client = login(lead)
    before = db_state()
    for action in (not_theirs, unled):
        url = reverse("action-update", args=[action.pk])
        assert client.get(url).status_code == 403
        data = {
            "narrative": "Not mine",
            "status": status(org, "G").pk,
            "update_date": timezone.localdate().isoformat(),
            "version": action.version,
        }
        assert client.post(url, data).status_code == 403
    assert db_state() == before


@pytest.mark.django_db
def test_lead_cannot_correct_an_update_of_another_action_when_naming_it(login, org, editor, lead, objects):
    """`?correct=` must name an update of the same action; otherwise 403 and nothing is written."""
    other = services.action_create(
        plan=objects["plan"], by=editor, reference="W1w", title="Theirs", lead=lead
    )
    client = login(lead)
    url = reverse("action-update", args=[other.pk]) + f"?correct={objects['update'].pk}"
    before = db_state()
    assert client.get(url).status_code == 403
    data = {
        "narrative": "x",
        "status": status(org, "G").pk,
        "update_date": timezone.localdate().isoformat(),
        "version": other.version,
        "correct": objects["update"].pk,
    }
    assert client.post(reverse("action-update", args=[other.pk]), data).status_code == 403
    assert db_state() == before


@pytest.mark.django_db
def test_role_change_takes_effect_on_the_next_request_when_an_editor_is_made_a_viewer(
    login, org, editor, objects
):
    client = login(editor)
    url = reverse("plan-edit", args=[objects["plan"].pk])
    assert client.get(url).status_code == 200
    membership_set(user=editor, organisation=org, role=Role.VIEWER, by=None)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_services_refuse_when_called_for_a_role_that_does_not_allow_it(viewer, lead, objects):
    """Services re-check the role, so a view that forgot to would still not write."""
    from django.core.exceptions import PermissionDenied

    before = db_state()
    action = objects["action"]
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            services.plan_update(
                plan=objects["plan"], by=person, expected_version=AS_IT_STANDS, name="Renamed"
            )
        with pytest.raises(PermissionDenied):
            services.action_state_set(
                action=action, by=person, expected_version=AS_IT_STANDS, state="completed"
            )
        with pytest.raises(PermissionDenied):
            services.cycle_close(cycle=objects["cycle"], by=person)
    with pytest.raises(PermissionDenied):
        services.progress_update_record(
            action=action, by=viewer, narrative="x", status=action.status, expected_version=None
        )
    assert db_state() == before
    assert Action.objects.get(pk=action.pk).version == action.version
