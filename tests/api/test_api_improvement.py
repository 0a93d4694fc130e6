"""QI projects and PDSA cycles through the API: the QI pages' twin (the same selectors and services), scoped to the
token's organisation, with ETags on changes and CSV that Excel cannot run as formulas."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wellled.core.choices import AuditAction
from wellled.core.models import AuditLog
from wellled.improvement import services as qi_services
from wellled.improvement.models import PDSACycle, QIProject
from wellled.measures.models import Annotation

pytestmark = pytest.mark.django_db

NEW_CYCLE = {
    "title": "Ward whiteboard",
    "plan": "Show each patient's falls risk on the ward whiteboard for a fortnight.",
    "prediction": "Fewer unwitnessed falls at night.",
    "started_on": "2026-04-06",
}


def make_project(organisation, by, **fields):
    fields.setdefault("aim", "Halve the time patients wait for a discharge letter.")
    fields.setdefault("started_on", datetime.date(2026, 1, 12))
    return qi_services.project_create(organisation=organisation, by=by, **fields)


def test_project_shows_its_people_status_and_measures_when_read(api, api_objects, viewer, lead):
    project = api_objects["project"]
    response = api(viewer).get(f"/api/qi-projects/{project.pk}/")
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{QIProject.objects.get(pk=project.pk).version}"'
    body = response.json()
    assert body["title"] == "Fewer missed appraisals" and body["lead"] == lead.pk
    assert body["status"] == "active"
    assert body["measures"] == [
        {"measure": api_objects["measure"].pk, "name": "Staff survey response rate", "role": "outcome"}
    ]


def test_project_list_filters_and_answers_csv_when_asked(api, api_objects, org, editor, viewer, lead):
    make_project(org, editor, title='=cmd|" /C calc"!A0', status="proposed")
    caller = api(viewer)

    def titles(query: str) -> list[str]:
        response = caller.get(f"/api/qi-projects/{query}")
        assert response.status_code == 200, response.content
        return [p["title"] for p in response.json()["results"]]

    assert titles("?status=active") == ["Fewer missed appraisals"]
    assert titles("?status=proposed") == ['=cmd|" /C calc"!A0']
    assert titles(f"?lead={lead.pk}") == ["Fewer missed appraisals"]
    assert titles("?title=appraisal") == ["Fewer missed appraisals"]
    assert caller.get("/api/qi-projects/?status=dreaming").status_code == 400
    response = caller.get("/api/qi-projects/?format=csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert any(row["title"].startswith("'=cmd") for row in rows.values())
    assert response.headers["X-Total-Count"] == "2"


def test_project_is_started_through_the_service_when_a_qi_manager_posts_it(
    api, api_objects, org, editor, lead
):
    response = api(editor).post(
        "/api/qi-projects/",
        {
            "title": "Faster discharge letters",
            "aim": "Every discharge letter sent within 24 hours by June.",
            "started_on": "2026-04-01",
            "lead": lead.pk,
            "team": [lead.pk, editor.pk],
        },
    )
    assert response.status_code == 201, response.content
    project = QIProject.objects.get(pk=response.json()["id"])
    assert project.organisation == org and project.lead == lead
    assert set(project.team.all()) == {lead, editor}
    assert AuditLog.objects.filter(
        object_id=str(project.pk), action=AuditAction.CREATE, actor=editor
    ).exists()
    duplicate = api(editor).post(
        "/api/qi-projects/", {"title": "faster discharge letters", "aim": "Again", "started_on": "2026-04-01"}
    )
    assert duplicate.status_code == 400 and "title" in duplicate.json()["errors"]


def test_project_start_is_refused_when_the_role_cannot_manage_qi(api, api_objects, lead, viewer):
    body = {"title": "A lead's project", "aim": "Better", "started_on": "2026-04-01"}
    for person in (lead, viewer):
        assert api(person).post("/api/qi-projects/", body).status_code == 403
    assert not QIProject.objects.filter(title="A lead's project").exists()


def test_project_refuses_another_organisations_person_when_named(api, api_objects, editor, outsider):
    response = api(editor).post(
        "/api/qi-projects/",
        {"title": "Reaching over", "aim": "Better", "started_on": "2026-04-01", "team": [outsider.pk]},
    )
    assert response.status_code == 400 and "team" in response.json()
    assert not QIProject.objects.filter(title="Reaching over").exists()


def test_project_status_changes_with_if_match_when_the_etag_is_current(api, api_objects, editor):
    project = api_objects["project"]
    caller = api(editor)
    etag = caller.get(f"/api/qi-projects/{project.pk}/").headers["ETag"]
    response = caller.patch(
        f"/api/qi-projects/{project.pk}/", {"status": "sustaining"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "sustaining"
    assert response.headers["ETag"] != etag
    record = AuditLog.objects.filter(object_id=str(project.pk), action=AuditAction.UPDATE).latest("pk")
    assert record.actor == editor and record.after["status"] == "sustaining"
    stale = caller.patch(f"/api/qi-projects/{project.pk}/", {"status": "closed"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert caller.patch(f"/api/qi-projects/{project.pk}/", {"status": "closed"}).status_code == 428
    assert QIProject.objects.get(pk=project.pk).status == "sustaining"


def test_project_change_is_refused_when_the_lead_cannot_manage_qi(api, api_objects, lead):
    project = api_objects["project"]
    response = api(lead).patch(
        f"/api/qi-projects/{project.pk}/", {"status": "closed"}, headers={"If-Match": f'"{project.version}"'}
    )
    assert response.status_code == 403


def test_lead_records_a_pdsa_cycle_on_their_project_and_it_marks_the_charts(api, api_objects, editor, lead):
    project = api_objects["project"]
    driver = qi_services.driver_add(project=project, by=editor, text="Staff know what is due")
    idea = qi_services.change_idea_add(driver=driver, by=editor, text="Reminder texts")
    response = api(lead).post(
        f"/api/qi-projects/{project.pk}/pdsa-cycles/", {**NEW_CYCLE, "change_idea": idea.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    cycle = PDSACycle.objects.get(pk=body["id"])
    assert cycle.project_id == project.pk and cycle.created_by == lead and cycle.change_idea == idea
    assert body["change_idea_text"] == "Reminder texts"
    assert response.headers["ETag"] == f'"{cycle.version}"'
    assert Annotation.objects.filter(measure=api_objects["measure"], text="PDSA: Ward whiteboard").exists()


def test_pdsa_cycle_refuses_a_change_idea_of_another_project_when_named(api, api_objects, org, editor, lead):
    project = api_objects["project"]
    elsewhere = make_project(org, editor, title="Another project")
    idea = qi_services.change_idea_add(
        driver=qi_services.driver_add(project=elsewhere, by=editor, text="Elsewhere"),
        by=editor,
        text="Not this one",
    )
    response = api(lead).post(
        f"/api/qi-projects/{project.pk}/pdsa-cycles/", {**NEW_CYCLE, "change_idea": idea.pk}
    )
    assert response.status_code == 400 and "change_idea" in response.json()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = api(lead).post(
        f"/api/qi-projects/{project.pk}/pdsa-cycles/", {**NEW_CYCLE, "started_on": future}
    )
    assert response.status_code == 400 and "started_on" in response.json()["errors"]


def test_pdsa_cycle_is_refused_when_the_lead_is_not_on_the_project(
    api, api_objects, org, editor, lead, viewer
):
    theirs = make_project(org, editor, title="Someone else's project")
    assert api(lead).post(f"/api/qi-projects/{theirs.pk}/pdsa-cycles/", NEW_CYCLE).status_code == 403
    assert api(viewer).post(f"/api/qi-projects/{theirs.pk}/pdsa-cycles/", NEW_CYCLE).status_code == 403
    assert not PDSACycle.objects.filter(project=theirs).exists()


def test_pdsa_study_and_act_are_recorded_with_if_match_when_current(api, api_objects, lead, viewer):
    cycle = api_objects["pdsa"]
    caller = api(lead)
    etag = caller.get(f"/api/pdsa-cycles/{cycle.pk}/").headers["ETag"]
    response = caller.patch(
        f"/api/pdsa-cycles/{cycle.pk}/",
        {"do": "Texts sent to 40 staff.", "study": "Missed appraisals fell from 9 to 3.", "act": "adopt"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["act"] == "adopt"
    stale = caller.patch(f"/api/pdsa-cycles/{cycle.pk}/", {"act": "abandon"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    early = caller.patch(
        f"/api/pdsa-cycles/{cycle.pk}/",
        {"ended_on": "2026-03-01"},
        headers={"If-Match": response.headers["ETag"]},
    )
    assert early.status_code == 400 and "ended_on" in early.json()["errors"]
    refused = api(viewer).patch(
        f"/api/pdsa-cycles/{cycle.pk}/", {"act": "abandon"}, headers={"If-Match": response.headers["ETag"]}
    )
    assert refused.status_code == 403
    assert PDSACycle.objects.get(pk=cycle.pk).act == "adopt"


def test_pdsa_cycles_list_filters_by_project_and_ending_when_asked(api, api_objects, viewer):
    cycle, project = api_objects["pdsa"], api_objects["project"]
    caller = api(viewer)
    assert [c["id"] for c in caller.get(f"/api/pdsa-cycles/?project={project.pk}").json()["results"]] == [
        cycle.pk
    ]
    assert caller.get("/api/pdsa-cycles/?ended=true").json()["results"] == []
    assert [c["id"] for c in caller.get("/api/pdsa-cycles/?ended=false").json()["results"]] == [cycle.pk]
    rows = list(
        csv.DictReader(io.StringIO(caller.get("/api/pdsa-cycles/?format=csv").content.decode("utf-8-sig")))
    )
    assert rows[0]["project_title"] == "Fewer missed appraisals"


def test_another_organisations_project_is_404_and_never_listed_when_asked_for(
    api, api_objects, editor, outsider, other_org
):
    theirs = make_project(other_org, outsider, title="Southvale's own project", lead=outsider)
    cycle = qi_services.pdsa_record(
        project=theirs,
        by=outsider,
        title="Southvale cycle",
        plan="P",
        prediction="Q",
        started_on=datetime.date(2026, 2, 2),
    )
    caller = api(editor)
    assert caller.get(f"/api/qi-projects/{theirs.pk}/").status_code == 404
    assert caller.get(f"/api/pdsa-cycles/{cycle.pk}/").status_code == 404
    assert caller.post(f"/api/qi-projects/{theirs.pk}/pdsa-cycles/", NEW_CYCLE).status_code == 404
    assert (
        caller.patch(
            f"/api/qi-projects/{theirs.pk}/", {"status": "closed"}, headers={"If-Match": '"1"'}
        ).status_code
        == 404
    )
    assert (
        caller.patch(
            f"/api/pdsa-cycles/{cycle.pk}/", {"act": "adopt"}, headers={"If-Match": '"1"'}
        ).status_code
        == 404
    )
    for url in ("/api/qi-projects/", "/api/pdsa-cycles/", "/api/qi-projects/?format=csv"):
        assert b"Southvale" not in caller.get(url).content, url
    assert QIProject.objects.get(pk=theirs.pk).status == "active"


LISTS = ["/api/qi-projects/", "/api/qi-projects/?format=csv", "/api/pdsa-cycles/"]


def queries(caller, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = caller.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_qi_lists_cost_the_same_queries_when_more_projects_are_added(
    api, api_objects, org, editor, lead, people
):
    caller = api(editor)
    queries(caller, "/api/qi-projects/")  # the token's last use is written once a minute: not counted
    before = {url: queries(caller, url) for url in LISTS}
    for number in range(4):
        project = make_project(org, editor, title=f"Project {number}", lead=lead, team=[lead, editor])
        qi_services.project_measure_link(
            project=project, by=editor, measure=api_objects["measure"], role="process"
        )
        qi_services.pdsa_record(
            project=project,
            by=lead,
            title="Cycle",
            plan="P",
            prediction="Q",
            started_on=datetime.date(2026, 2, 2),
        )
    after = {url: queries(caller, url) for url in LISTS}
    assert after == before
