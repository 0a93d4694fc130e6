"""What API clients rely on: changes through the services with ETag/If-Match, progress updates and measure values
audited as on the pages, CSV that Excel cannot run as formulas, pages and filters, files as issued."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json

import pytest

from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.measures.models import MeasureValue, MeasureValueRevision
from wellled.plans.models import Action, Plan, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_patch_changes_the_plan_when_if_match_names_the_current_version(api, api_objects, editor):
    plan = api_objects["plan"]
    caller = api(editor)
    got = caller.get(f"/api/plans/{plan.pk}/")
    assert got.headers["ETag"] == f'"{plan.version}"'
    response = caller.patch(
        f"/api/plans/{plan.pk}/",
        {"name": "Renamed by the warehouse"},
        headers={"If-Match": got.headers["ETag"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Renamed by the warehouse"
    assert response.headers["ETag"] == f'"{plan.version + 1}"'
    record = AuditLog.objects.filter(object_id=str(plan.pk), action=AuditAction.UPDATE).first()
    assert record.actor == editor
    assert record.after["name"] == "Renamed by the warehouse"
    assert record.request_id


def test_patch_is_refused_with_412_when_someone_else_changed_it_since(api, api_objects, editor):
    plan = api_objects["plan"]
    caller = api(editor)
    stale = caller.get(f"/api/plans/{plan.pk}/").headers["ETag"]
    caller.patch(f"/api/plans/{plan.pk}/", {"description": "First change"}, headers={"If-Match": stale})
    response = caller.patch(f"/api/plans/{plan.pk}/", {"name": "Overwrite?"}, headers={"If-Match": stale})
    assert response.status_code == 412
    assert "Someone else changed this" in response.json()["detail"]
    assert response.headers["ETag"] == f'"{plan.version + 1}"'
    assert Plan.objects.get(pk=plan.pk).name == plan.name


def test_patch_is_refused_with_428_when_if_match_is_missing(api, api_objects, editor):
    plan = api_objects["plan"]
    response = api(editor).patch(f"/api/plans/{plan.pk}/", {"name": "Blind overwrite"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Plan.objects.get(pk=plan.pk).name == plan.name


def test_service_refusal_names_the_field_when_a_change_is_invalid(api, api_objects, editor):
    from wellled.plans.services import action_create

    plan = api_objects["plan"]
    action_create(plan=plan, by=editor, reference="Z9", title="Another")
    action = api_objects["action"]
    caller = api(editor)
    etag = caller.get(f"/api/actions/{action.pk}/").headers["ETag"]
    response = caller.patch(f"/api/actions/{action.pk}/", {"reference": "Z9"}, headers={"If-Match": etag})
    assert response.status_code == 400
    assert "already has an action Z9" in response.json()["errors"]["reference"][0]


def test_progress_update_is_recorded_through_the_service_when_posted(api, api_objects, lead):
    action = api_objects["action"]
    response = api(lead).post(
        f"/api/actions/{action.pk}/progress-updates/",
        {
            "narrative": "Interviews held; two posts filled.",
            "status": "G",
        },  # as at today: the latest position
    )
    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    assert (update.created_by, update.status.code, update.cycle) == (lead, "G", api_objects["cycle"])
    assert Action.objects.get(pk=action.pk).status.code == "G"
    assert response.headers["ETag"] == f'"{Action.objects.get(pk=action.pk).version}"'
    assert AuditLog.objects.filter(actor=lead, action=AuditAction.CREATE, object_id=str(update.pk)).exists()


def test_progress_update_is_refused_when_the_status_is_not_on_the_scale(api, api_objects, lead):
    action = api_objects["action"]
    before = ProgressUpdate.objects.count()
    response = api(lead).post(
        f"/api/actions/{action.pk}/progress-updates/", {"narrative": "Going well", "status": "GREEN"}
    )
    assert response.status_code == 400
    assert "A/G" in response.json()["status"][0]
    assert ProgressUpdate.objects.count() == before


def test_progress_update_is_refused_with_412_when_if_match_is_stale(api, api_objects, lead):
    action = api_objects["action"]
    response = api(lead).post(
        f"/api/actions/{action.pk}/progress-updates/",
        {"narrative": "Going well", "status": "G"},
        headers={"If-Match": f'"{action.version - 1}"'},
    )
    assert response.status_code == 412


def test_values_are_loaded_all_or_nothing_when_posted_in_bulk(api, api_objects, editor):
    measure = api_objects["measure"]
    caller = api(editor)
    response = caller.post(
        f"/api/measures/{measure.pk}/values/",
        {
            "values": [
                {"period": "2025-01-01", "value": 70.0},  # corrects 51
                {"period": "2025-02-14", "value": 52.0},  # unchanged (stored as 1 February)
                {"period": "2026-01-01", "value": 64.0},  # new
            ],
            "source": "Warehouse nightly load",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"added": 1, "corrected": 1, "unchanged": 1}
    assert MeasureValueRevision.objects.filter(measure_value__measure=measure, value=51.0).exists()
    assert AuditLog.objects.filter(
        actor=editor, note__startswith="Values from Warehouse nightly load"
    ).exists()
    count = MeasureValue.objects.filter(measure=measure).count()
    refused = caller.post(
        f"/api/measures/{measure.pk}/values/",
        {"values": [{"period": "2026-02-01", "value": 1.0}, {"period": "2026-02-01", "value": 2.0}]},
    )
    assert refused.status_code == 400
    assert "appears twice" in refused.json()["detail"]
    assert MeasureValue.objects.filter(measure=measure).count() == count


def test_spc_endpoint_gives_the_limits_and_icons_the_measure_page_shows(api, api_objects, editor, org):
    from wellled.measures.selectors import measure_page

    measure = api_objects["measure"]
    body = api(editor).get(f"/api/measures/{measure.pk}/spc/").json()
    page = measure_page(user=editor, organisation=org, pk=measure.pk)
    assert body["variation"] == page.result.variation.value
    assert len(body["points"]) == 12
    assert body["points"][0]["upper_limit"] == pytest.approx(page.result.upper_limit[0])


def test_csv_cells_cannot_run_as_formulas_when_a_list_is_opened_in_excel(api, api_objects, editor):
    from wellled.plans.services import action_update

    action = api_objects["action"]
    action_update(
        action=action, by=editor, expected_version=AS_IT_STANDS, title='=HYPERLINK("http://evil","x")'
    )
    response = api(editor).get("/api/actions/?format=csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row["reference"]: row["title"] for row in rows}
    assert titles["W1a"] == '\'=HYPERLINK("http://evil","x")'
    assert {row["status"] for row in rows} >= {"A/G"}


def test_csv_is_chosen_by_the_accept_header_too(api, api_objects, editor):
    response = api(editor).get("/api/plans/", headers={"Accept": "text/csv"})
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("id,name,kind")


def test_lists_come_in_pages_with_links_when_page_size_is_given(api, api_objects, editor):
    caller = api(editor)
    first = caller.get("/api/actions/?page_size=2")
    body = first.json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert first.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in first.headers["Link"]
    second = caller.get(body["next"].replace("http://testserver", ""))
    assert len(second.json()["results"]) == 1
    csv_page = caller.get("/api/actions/?page_size=2&format=csv")
    assert 'rel="next"' in csv_page.headers["Link"]


def test_filters_narrow_a_list_and_refuse_bad_values(api, api_objects, editor):
    caller = api(editor)
    references = [a["reference"] for a in caller.get("/api/actions/?status=A/G").json()["results"]]
    assert references == ["W1a"]
    assert caller.get("/api/actions/?plan=not-a-number").status_code == 400
    plan = api_objects["plan"]
    assert caller.get(f"/api/progress-updates/?plan={plan.pk}").json()["count"] == 1


def test_issued_paper_file_is_served_as_issued_with_its_checksum(api, api_objects, viewer):
    paper = api_objects["paper"]
    response = api(viewer).get(f"/api/papers/{paper.pk}/files/pdf/")
    assert response.status_code == 200
    stored = paper.files.get(format="pdf")
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256
    assert response.headers["Repr-Digest"] == (
        f"sha-256=:{base64.b64encode(bytes.fromhex(stored.sha256)).decode('ascii')}:"
    )
    assert api(viewer).get(f"/api/papers/{paper.pk}/files/exe/").status_code == 404


def test_session_writes_need_the_csrf_token_when_the_browser_calls_the_api(api_objects, people):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people[Role.GOVERNANCE_EDITOR])
    plan = api_objects["plan"]
    assert browser.get(f"/api/plans/{plan.pk}/").status_code == 200
    body = json.dumps({"name": "Renamed in the browser"})
    headers = {"If-Match": f'"{plan.version}"'}
    refused = browser.patch(f"/api/plans/{plan.pk}/", body, content_type="application/json", headers=headers)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/api-tokens/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.patch(
        f"/api/plans/{plan.pk}/",
        body,
        content_type="application/json",
        headers={**headers, "X-CSRFToken": token},
    )
    assert allowed.status_code == 200, allowed.content


def test_docs_page_serves_swagger_ui_from_our_own_static_files(login, people, api_objects):
    client = login(people[Role.VIEWER])
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/schema/").status_code == 200


def test_action_is_added_with_its_section_lead_and_findings_when_posted(api, api_objects, editor, lead):
    plan, section, finding = api_objects["plan"], api_objects["section"], api_objects["finding"]
    response = api(editor).post(
        f"/api/plans/{plan.pk}/actions/",
        {
            "reference": "W1z",
            "title": "Board development programme",
            "section": section.pk,
            "lead": lead.pk,
            "findings": [finding.pk],
            "due_date": "2027-03-15",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["section"], body["lead"], body["findings"]) == (section.pk, lead.pk, [finding.pk])
    assert body["due_date"] == "2027-03-31"  # a month timescale means the month's end, as on the pages
    assert AuditLog.objects.filter(
        actor=editor, action=AuditAction.CREATE, object_id=str(body["id"])
    ).exists()


def test_action_is_refused_when_its_lead_is_of_another_organisation(api, api_objects, editor, outsider):
    plan = api_objects["plan"]
    before = Action.objects.count()
    response = api(editor).post(
        f"/api/plans/{plan.pk}/actions/", {"reference": "W1y", "title": "Borrowed lead", "lead": outsider.pk}
    )
    assert response.status_code == 400
    assert response.json()["lead"] == ["Name a person of your organisation."]
    assert Action.objects.count() == before


def test_closing_an_action_needs_evidence_when_set_through_the_api(api, api_objects, editor):
    action = api_objects["action"]
    caller = api(editor)
    etag = caller.get(f"/api/actions/{action.pk}/").headers["ETag"]
    refused = caller.post(f"/api/actions/{action.pk}/state/", {"state": "closed"}, headers={"If-Match": etag})
    assert refused.status_code == 400
    assert "evidence of assurance" in refused.json()["errors"]["assurance_evidence"][0]
    closed = caller.post(
        f"/api/actions/{action.pk}/state/",
        {"state": "closed", "assurance_evidence": "Audit report to the committee, May"},
        headers={"If-Match": etag},
    )
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"


def test_cycle_is_opened_and_closed_through_the_api(api, api_objects, editor):
    plan, cycle = api_objects["plan"], api_objects["cycle"]
    caller = api(editor)
    opened = caller.post(
        f"/api/plans/{plan.pk}/cycles/",
        {"name": "January board", "position_as_at": "2027-01-31", "update_deadline": "2027-01-25"},
    )
    assert opened.status_code == 201, opened.content
    assert caller.get(f"/api/cycles/{cycle.pk}/").json()["state"] == "closed"
    new = opened.json()
    stale = caller.post(f"/api/cycles/{new['id']}/close/", {}, headers={"If-Match": '"99"'})
    assert stale.status_code == 412
    closed = caller.post(f"/api/cycles/{new['id']}/close/", {}, headers={"If-Match": opened.headers["ETag"]})
    assert closed.json()["state"] == "closed"


def test_docs_page_sends_anonymous_people_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/api/schema/").status_code == 401


def test_csv_numbers_the_columns_of_a_list_of_objects_when_an_assessment_has_ratings(
    api, api_objects, viewer
):
    response = api(viewer).get("/api/assessments/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["ratings.0.rating"] == "good"
    assert rows[0]["ratings.0.key_question"]
