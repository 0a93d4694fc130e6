"""Every API endpoint is scoped and role-checked like the pages: a person of another organisation gets 404 for
every object (and lists without it), a viewer's token gets 403 on every write, and nothing changes either way."""

from __future__ import annotations

import json

import pytest
from tests.api.test_api_accreditation import OPERATIONS as ACCREDITATION_OPERATIONS
from tests.api.test_api_committee_reports import OPERATIONS as COMMITTEE_REPORT_OPERATIONS
from tests.api.test_api_information import OPERATIONS as INFORMATION_OPERATIONS
from tests.api.test_api_oversight import OPERATIONS as OVERSIGHT_OPERATIONS
from tests.committees.test_api import OPERATIONS as COMMITTEE_OPERATIONS
from tests.factories import db_state, make_person

from wellled.core.choices import Role
from wellled.core.models import Membership
from wellled.core.service_kit import AS_IT_STANDS
from wellled.improvement.models import PDSACycle, QIProject
from wellled.measures.models import Measure, MeasureValue
from wellled.risks.models import Assurance, Control, Risk, RiskReview

# Every operation of the schema, with the fixture object its {id} names (None for a list). A new endpoint must be
# added here (a test checks), so its scoping and permissions are tried.
OPERATIONS = {
    ("GET", "/api/organisations/"): None,
    ("GET", "/api/organisations/{id}/"): "organisation",
    ("GET", "/api/plans/"): None,
    ("GET", "/api/plans/{id}/"): "plan",
    ("PATCH", "/api/plans/{id}/"): "plan",
    ("POST", "/api/plans/"): None,
    ("POST", "/api/plans/{id}/sections/"): "plan",
    ("POST", "/api/plans/{id}/findings/"): "plan",
    ("POST", "/api/plans/{id}/actions/"): "plan",
    ("POST", "/api/plans/{id}/cycles/"): "plan",
    ("GET", "/api/sections/"): None,
    ("GET", "/api/sections/{id}/"): "section",
    ("PATCH", "/api/sections/{id}/"): "section",
    ("GET", "/api/findings/"): None,
    ("GET", "/api/findings/{id}/"): "finding",
    ("PATCH", "/api/findings/{id}/"): "finding",
    ("GET", "/api/actions/"): None,
    ("GET", "/api/actions/{id}/"): "action",
    ("PATCH", "/api/actions/{id}/"): "action",
    ("POST", "/api/actions/{id}/progress-updates/"): "action",
    ("POST", "/api/actions/{id}/timescale/"): "action",
    ("POST", "/api/actions/{id}/state/"): "action",
    ("GET", "/api/progress-updates/"): None,
    ("GET", "/api/progress-updates/{id}/"): "update",
    ("GET", "/api/cycles/"): None,
    ("GET", "/api/cycles/{id}/"): "cycle",
    ("POST", "/api/cycles/{id}/close/"): "cycle",
    ("GET", "/api/measures/"): None,
    ("GET", "/api/measures/{id}/"): "measure",
    ("PATCH", "/api/measures/{id}/"): "measure",
    ("POST", "/api/measures/"): None,
    ("GET", "/api/measures/{id}/values/"): "measure",
    ("POST", "/api/measures/{id}/values/"): "measure",
    ("GET", "/api/measures/{id}/spc/"): "measure",
    ("GET", "/api/assessments/"): None,
    ("GET", "/api/assessments/{id}/"): "assessment",
    ("GET", "/api/ratings/"): None,
    ("GET", "/api/ratings/{id}/"): "rating",
    ("GET", "/api/papers/"): None,
    ("GET", "/api/papers/{id}/"): "paper",
    ("GET", "/api/papers/{id}/files/{fmt}/"): "paper",
    # Risks and the BAF; quality improvement
    ("GET", "/api/risks/"): None,
    ("POST", "/api/risks/"): None,
    ("GET", "/api/risks/{id}/"): "risk",
    ("PATCH", "/api/risks/{id}/"): "risk",
    ("POST", "/api/risks/{id}/status/"): "risk",
    ("POST", "/api/risks/{id}/reviews/"): "risk",
    ("POST", "/api/risks/{id}/controls/"): "risk",
    ("POST", "/api/risks/{id}/baf/"): "risk",
    ("GET", "/api/risk-reviews/"): None,
    ("GET", "/api/risk-reviews/{id}/"): "risk_review",
    ("GET", "/api/risk-controls/"): None,
    ("GET", "/api/risk-controls/{id}/"): "control",
    ("PATCH", "/api/risk-controls/{id}/"): "control",
    ("POST", "/api/risk-controls/{id}/assurances/"): "control",
    ("GET", "/api/baf/"): None,
    ("GET", "/api/speak-up/return/"): None,
    ("GET", "/api/qi-projects/"): None,
    ("POST", "/api/qi-projects/"): None,
    ("GET", "/api/qi-projects/{id}/"): "project",
    ("PATCH", "/api/qi-projects/{id}/"): "project",
    ("POST", "/api/qi-projects/{id}/pdsa-cycles/"): "project",
    ("GET", "/api/pdsa-cycles/"): None,
    ("GET", "/api/pdsa-cycles/{id}/"): "pdsa",
    ("PATCH", "/api/pdsa-cycles/{id}/"): "pdsa",
}
# A change each write endpoint accepts from someone allowed to make it, so a refusal means something.
WRITE_BODIES = {
    "/api/plans/": {"name": "Created through the API", "kind": "improvement"},
    "/api/plans/{id}/": {"name": "Renamed through the API"},
    "/api/plans/{id}/sections/": {"code": "W9", "title": "Added through the API"},
    "/api/plans/{id}/findings/": {"text": "Added through the API"},
    "/api/plans/{id}/actions/": {
        "reference": "Z1",
        "title": "Added through the API",
        "due_date": "2027-03-31",
    },
    "/api/plans/{id}/cycles/": {
        "name": "January board",
        "position_as_at": "2027-01-31",
        "update_deadline": "2027-01-20",
    },
    "/api/actions/{id}/timescale/": {"due_date": "2027-06-30", "reason": "Moved by the board"},
    "/api/actions/{id}/state/": {"state": "completed"},
    "/api/cycles/{id}/close/": {},
    "/api/sections/{id}/": {"title": "Retitled through the API"},
    "/api/findings/{id}/": {"text": "Reworded through the API"},
    "/api/actions/{id}/": {"title": "Retitled through the API"},
    "/api/actions/{id}/progress-updates/": {"narrative": "Posted through the API", "status": "A/R"},
    "/api/measures/{id}/": {"definition": "Redefined through the API"},
    "/api/measures/": {"name": "Appraisal rate", "unit_of_measurement": "%", "target": 90},
    "/api/measures/{id}/values/": {"values": [{"period": "2025-06-01", "value": 99.0}]},
    # Risks and quality improvement
    "/api/risks/": {
        "title": "Added through the API",
        "inherent_likelihood": 3,
        "inherent_consequence": 3,
        "current_likelihood": 2,
        "current_consequence": 3,
        "target_likelihood": 1,
        "target_consequence": 3,
    },
    "/api/risks/{id}/": {"gaps_in_control": "Reworded through the API"},
    "/api/risks/{id}/status/": {"status": "tolerated", "reason": "Accepted by the board"},
    "/api/risks/{id}/reviews/": {"narrative": "Reviewed through the API", "likelihood": 3, "consequence": 4},
    "/api/risks/{id}/controls/": {"description": "Added through the API"},
    "/api/risks/{id}/baf/": {"lead_committee": "Audit committee"},
    "/api/risk-controls/{id}/": {"description": "Reworded through the API"},
    "/api/risk-controls/{id}/assurances/": {
        "source": "Internal audit",
        "line": "third",
        "level": "reasonable",
    },
    "/api/qi-projects/": {"title": "Started through the API", "aim": "Better", "started_on": "2026-04-01"},
    "/api/qi-projects/{id}/": {"status": "sustaining"},
    "/api/qi-projects/{id}/pdsa-cycles/": {
        "title": "Tried through the API",
        "plan": "Try it",
        "prediction": "It works",
        "started_on": "2026-04-01",
    },
    "/api/pdsa-cycles/{id}/": {"study": "Studied through the API", "act": "adopt"},
}
WRITES = {op for op in OPERATIONS if op[0] != "GET"}
# Writes to a collection make something in the caller's own organisation, so they name nothing of another's.
COLLECTION_WRITES = {
    ("POST", "/api/plans/"),
    ("POST", "/api/measures/"),
    ("POST", "/api/risks/"),
    ("POST", "/api/qi-projects/"),
}


def url_of(path: str, objects: dict) -> str:
    kind = next(OPERATIONS[op] for op in OPERATIONS if op[1] == path)
    return path.replace("{id}", str(objects[kind].pk) if kind else "").replace("{fmt}", "pdf")


def call(client, method: str, path: str, objects: dict, headers: dict):
    url = url_of(path, objects)
    if method == "GET":
        return client.get(url, headers=headers)
    kind = OPERATIONS[(method, path)]
    if kind is not None:
        instance = type(objects[kind]).objects.get(pk=objects[kind].pk)
        headers = {**headers, "If-Match": f'"{instance.version}"'}
    send = client.patch if method == "PATCH" else client.post
    return send(url, json.dumps(WRITE_BODIES[path]), content_type="application/json", headers=headers)


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def full_state() -> dict:
    return {
        **db_state(),
        "Measure": sorted(Measure.objects.values_list("id", "name", "version")),
        "MeasureValue": sorted(MeasureValue.objects.values_list("id", "value")),
        **{
            model.__name__: sorted(repr(row) for row in model.objects.values())
            for model in (Risk, RiskReview, Control, Assurance, QIProject, PDSACycle)
        },
    }


@pytest.mark.django_db
def test_every_operation_of_the_schema_is_tried_when_the_api_changes(client, people, token_for):
    response = client.get("/api/schema/?format=json", headers=bearer(token_for(people[Role.VIEWER])))
    schema = json.loads(response.content)
    listed = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    # Accreditation, oversight and information requests are tried in their own modules, with their own callers.
    elsewhere = (
        set(ACCREDITATION_OPERATIONS)
        | set(OVERSIGHT_OPERATIONS)
        | set(INFORMATION_OPERATIONS)
        | set(COMMITTEE_OPERATIONS)  # tests/committees/test_api.py
        | set(COMMITTEE_REPORT_OPERATIONS)
    )
    assert listed == set(OPERATIONS) | elsewhere, (
        "add new API operations to OPERATIONS (and WRITE_BODIES) here"
    )


@pytest.mark.django_db
def test_member_reaches_every_endpoint_when_the_objects_are_their_organisations(
    client, api_objects, people, token_for
):
    """The 404s and 403s below mean something only if the same requests work for the organisation's own people."""
    headers = bearer(token_for(people[Role.ADMINISTRATOR]))
    for method, path in OPERATIONS:
        response = call(client, method, path, api_objects, headers)
        assert response.status_code in {200, 201}, (
            method,
            path,
            response.status_code,
            response.content[:300],
        )


@pytest.mark.django_db
def test_outsider_gets_404_for_every_object_when_the_object_is_another_organisations(
    client, api_objects, outsider, token_for
):
    headers = bearer(token_for(outsider))
    before = full_state()
    for (method, path), kind in OPERATIONS.items():
        if (method, path) in COLLECTION_WRITES:
            continue
        response = call(client, method, path, api_objects, headers)
        if kind is None:
            assert response.status_code == 200, (path, response.status_code)
            assert api_objects["plan"].name.encode() not in response.content, path
            assert b"Northmoor" not in response.content, path
        else:
            assert response.status_code == 404, (method, path, response.status_code)
    assert full_state() == before


@pytest.mark.django_db
def test_viewer_token_gets_403_on_every_write_when_the_role_only_reads(
    client, api_objects, people, token_for
):
    headers = bearer(token_for(people[Role.VIEWER]))
    before = full_state()
    for method, path in sorted(WRITES):
        response = call(client, method, path, api_objects, headers)
        assert response.status_code == 403, (method, path, response.status_code, response.content[:200])
    assert full_state() == before


@pytest.mark.django_db
def test_viewer_reads_every_endpoint_when_reading_is_all_the_role_allows(
    client, api_objects, people, token_for
):
    headers = bearer(token_for(people[Role.VIEWER]))
    for method, path in OPERATIONS:
        if method == "GET":
            assert call(client, method, path, api_objects, headers).status_code == 200, path


@pytest.mark.django_db
def test_lead_records_progress_only_on_their_own_action_when_using_a_token(
    client, api_objects, people, lead, token_for
):
    from wellled.plans.models import Action
    from wellled.plans.services import action_update

    headers = bearer(token_for(lead))
    own = api_objects["action"]
    assert own.lead_id == lead.pk
    body = json.dumps({"narrative": "On track", "status": "G"})
    response = client.post(
        f"/api/actions/{own.pk}/progress-updates/", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    # Every fixture action is led by `lead`: hand one to no one, so it is not theirs.
    someone_elses = Action.objects.filter(plan=own.plan).exclude(pk=own.pk).first()
    action_update(
        action=someone_elses, by=people[Role.GOVERNANCE_EDITOR], expected_version=AS_IT_STANDS, lead=None
    )
    response = client.post(
        f"/api/actions/{someone_elses.pk}/progress-updates/",
        body,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    patch = client.patch(
        f"/api/plans/{own.plan_id}/",
        json.dumps({"name": "Lead renames"}),
        content_type="application/json",
        headers={**headers, "If-Match": '"1"'},
    )
    assert patch.status_code == 403


@pytest.mark.django_db
def test_anonymous_gets_401_for_every_endpoint_when_sending_no_credentials(client, api_objects):
    for method, path in OPERATIONS:
        url = url_of(path, api_objects)
        response = client.generic(method, url)
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_token_stops_working_when_its_person_leaves_the_organisation(client, api_objects, people, token_for):
    viewer = people[Role.VIEWER]
    headers = bearer(token_for(viewer))
    assert client.get("/api/plans/", headers=headers).status_code == 200
    Membership.objects.filter(user=viewer).delete()
    assert client.get("/api/plans/", headers=headers).status_code == 401


@pytest.mark.django_db
def test_token_acts_with_the_current_role_when_the_role_changes(client, api_objects, org, token_for):
    from wellled.core.services import membership_set

    person = make_person(org, role=Role.GOVERNANCE_EDITOR, username="changing")
    headers = bearer(token_for(person))
    plan = api_objects["plan"]
    membership_set(user=person, organisation=org, role=Role.VIEWER, by=None)
    response = client.patch(
        f"/api/plans/{plan.pk}/",
        json.dumps({"name": "Renamed after demotion"}),
        content_type="application/json",
        headers={**headers, "If-Match": f'"{plan.version}"'},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_token_sees_only_its_own_organisation_when_its_person_belongs_to_two(
    client, api_objects, org, other_org, outsider, token_for
):
    """A person in two organisations: a token made for one never reaches the other's objects."""
    from wellled.core.services import membership_set

    membership_set(user=outsider, organisation=org, role=Role.VIEWER, by=None)
    headers = bearer(token_for(outsider, organisation=other_org))
    assert client.get(f"/api/plans/{api_objects['plan'].pk}/", headers=headers).status_code == 404
    body = json.loads(client.get("/api/organisations/", headers=headers).content)
    assert [o["ods_code"] for o in body["results"]] == [other_org.ods_code]


@pytest.mark.django_db
def test_plan_made_through_the_api_belongs_to_the_tokens_organisation(
    client, api_objects, outsider, token_for
):
    from wellled.plans.models import Plan

    response = call(client, "POST", "/api/plans/", api_objects, bearer(token_for(outsider)))
    assert response.status_code == 201
    plan = Plan.objects.get(pk=response.json()["id"])
    assert plan.organisation == Membership.objects.get(user=outsider).organisation
    assert plan.organisation != api_objects["organisation"]
