"""Risks, their reviews, controls and assurances, and the BAF through the API: the register's and the BAF's pages'
twin (the same selectors and services), scoped to the token's organisation, with ETags on changes and CSV that
Excel cannot run as formulas."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.risks import services as risk_services
from wellled.risks.models import Assurance, Control, Risk, RiskReview, RiskScore

pytestmark = pytest.mark.django_db

NEW_RISK = {
    "title": "Ageing theatre ventilation",
    "inherent_likelihood": 3,
    "inherent_consequence": 4,
    "current_likelihood": 2,
    "current_consequence": 4,
    "target_likelihood": 1,
    "target_consequence": 4,
    "opened_on": "2026-02-01",
}


def other_risk(organisation, by, **fields):
    fields.setdefault("title", "Paper records stored in a basement that floods")
    fields.setdefault("inherent", (3, 3))
    fields.setdefault("current", (2, 2))
    fields.setdefault("target", (1, 2))
    fields.setdefault("opened_on", datetime.date(2026, 1, 10))
    return risk_services.risk_create(organisation=organisation, by=by, **fields)


def outsiders_risk(outsider):
    from wellled.core.models import Membership

    organisation = Membership.objects.get(user=outsider).organisation
    return other_risk(organisation, outsider, reference="SV1", title="Southvale's own risk")


def rows_of(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# Reading ---------------------------------------------------------------------------------------------------------


def test_risk_shows_its_scores_appetite_controls_and_assurances_when_read(api, api_objects, viewer):
    risk = api_objects["risk"]
    response = api(viewer).get(f"/api/risks/{risk.pk}/")
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{Risk.objects.get(pk=risk.pk).version}"'
    body = response.json()
    assert body["reference"] == "CR1"
    assert body["current"] == {
        "likelihood": 4,
        "consequence": 4,
        "score": 16,
        "band": body["current"]["band"],
    }
    assert body["inherent"]["score"] == 20 and body["target"]["score"] == 6
    assert body["category_name"] == "Workforce" and body["appetite"] == "cautious" and body["tolerance"] == 12
    assert body["above_appetite"] is True
    assert body["principal"] is True and body["objective_code"] == "SO1"
    assert body["lead_committee"] == "Quality and safety committee"
    [control] = body["controls"]
    assert control["description"] == "Daily staffing huddle"
    assert control["assurances"][0]["source"] == "Monthly safe staffing report"
    assert control["assurances"][0]["level"] == "limited"


def test_risk_list_filters_as_the_register_does_when_asked(api, api_objects, org, editor, viewer, lead):
    risk = api_objects["risk"]
    quiet = other_risk(org, editor, reference="R9", handler=lead)
    closed = other_risk(org, editor, reference="R10", title="Old lift")
    risk_services.risk_status_set(
        risk=closed, by=editor, expected_version=AS_IT_STANDS, status="closed", reason="Lift replaced"
    )
    caller = api(viewer)

    def refs(query: str) -> list[str]:
        response = caller.get(f"/api/risks/{query}")
        assert response.status_code == 200, response.content
        return [r["reference"] for r in response.json()["results"]]

    assert refs("") == ["CR1", "R10", "R9"]  # highest current score first, as on the register
    assert refs("?status=live") == ["CR1", "R9"]
    assert refs("?status=closed") == ["R10"]
    assert refs("?principal=true") == ["CR1"]
    assert refs("?principal=false&status=open") == ["R9"]
    assert refs("?above_appetite=true") == ["CR1"]
    assert "CR1" not in refs("?above_appetite=false")
    assert refs(f"?category={api_objects['category'].pk}") == ["CR1"]
    assert refs(f"?owner={lead.pk}") == ["CR1", "R9"]  # owns one, handles the other
    assert refs("?lead_committee=quality") == ["CR1"]
    assert refs("?lead_committee=audit") == []
    assert refs(f"?objective={api_objects['objective'].pk}") == ["CR1"]
    assert caller.get("/api/risks/?status=archived").status_code == 400
    assert caller.get("/api/risks/?category=1.5").status_code == 400
    assert quiet.pk != risk.pk


def test_risk_list_pages_as_the_other_lists_do_when_long(api, api_objects, org, editor, viewer):
    for number in range(3):
        other_risk(org, editor, reference=f"P{number}")
    response = api(viewer).get("/api/risks/?page_size=2")
    body = response.json()
    assert body["count"] == 4 and len(body["results"]) == 2
    assert response.headers["X-Total-Count"] == "4"
    assert 'rel="next"' in response.headers["Link"]


def test_risk_csv_writes_formulas_as_text_when_a_title_starts_with_equals(
    api, api_objects, org, editor, viewer
):
    other_risk(org, editor, reference="R5", title='=HYPERLINK("http://evil.example","Click")')
    response = api(viewer).get("/api/risks/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = {row["reference"]: row for row in rows_of(response)}
    assert rows["R5"]["title"].startswith("'=")
    assert rows["CR1"]["current.score"] == "16"
    assert rows["CR1"]["controls.0.assurances.0.source"] == "Monthly safe staffing report"


def test_reviews_and_controls_are_listed_by_risk_when_read(api, api_objects, viewer):
    risk, review = api_objects["risk"], api_objects["risk_review"]
    caller = api(viewer)
    listed = caller.get(f"/api/risk-reviews/?risk={risk.pk}").json()["results"]
    assert [r["id"] for r in listed] == [review.pk]
    assert listed[0]["score"] == 16 and listed[0]["movement"] == 0
    assert caller.get(f"/api/risk-reviews/{review.pk}/").json()["narrative"].startswith("Agency use")
    csv_rows = rows_of(caller.get(f"/api/risk-reviews/?risk={risk.pk}&format=csv"))
    assert csv_rows[0]["risk_reference"] == "CR1"
    controls = caller.get(f"/api/risk-controls/?risk={risk.pk}").json()["results"]
    assert [c["description"] for c in controls] == ["Daily staffing huddle"]


# Writing ---------------------------------------------------------------------------------------------------------


def test_risk_is_created_through_the_service_when_a_risk_manager_posts_it(
    api, api_objects, org, editor, lead
):
    response = api(editor).post(
        "/api/risks/",
        {
            **NEW_RISK,
            "owner": lead.pk,
            "category": api_objects["category"].pk,
            "controls": ["Annual ventilation inspection"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    risk = Risk.objects.get(pk=body["id"])
    assert risk.organisation == org and risk.owner == lead and risk.current_score == 8
    assert body["reference"] == risk.reference and risk.reference.startswith("R")
    assert response.headers["ETag"] == f'"{risk.version}"'
    assert [c["description"] for c in body["controls"]] == ["Annual ventilation inspection"]
    assert RiskScore.objects.filter(risk=risk).count() == 3  # inherent, current and target, first scored
    assert AuditLog.objects.filter(object_id=str(risk.pk), action=AuditAction.CREATE, actor=editor).exists()


def test_risk_create_is_refused_when_the_caller_cannot_manage_risks(api, api_objects, lead, viewer):
    for person in (lead, viewer):
        response = api(person).post("/api/risks/", NEW_RISK)
        assert response.status_code == 403
    assert not Risk.objects.filter(title=NEW_RISK["title"]).exists()


def test_risk_create_refuses_another_organisations_category_or_person_when_named(
    api, api_objects, editor, outsider, other_org
):
    theirs = risk_services.category_create(
        organisation=other_org, by=outsider, name="Finance", appetite="open", tolerance=15
    )
    caller = api(editor)
    response = caller.post("/api/risks/", {**NEW_RISK, "category": theirs.pk})
    assert response.status_code == 400
    assert "category" in response.json()
    response = caller.post("/api/risks/", {**NEW_RISK, "owner": outsider.pk})
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not Risk.objects.filter(title=NEW_RISK["title"]).exists()


def test_risk_create_refuses_an_implausible_date_when_given(api, api_objects, editor):
    response = api(editor).post("/api/risks/", {**NEW_RISK, "opened_on": "9999-12-31"})
    assert response.status_code == 400
    assert "opened_on" in response.json()


def test_gaps_are_changed_with_if_match_when_the_etag_is_current(api, api_objects, editor):
    risk = api_objects["risk"]
    caller = api(editor)
    etag = caller.get(f"/api/risks/{risk.pk}/").headers["ETag"]
    response = caller.patch(
        f"/api/risks/{risk.pk}/",
        {"gaps_in_control": "No agency framework for nights", "gaps_in_assurance": "No audit of huddles"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["gaps_in_control"] == "No agency framework for nights"
    assert response.headers["ETag"] != etag
    record = AuditLog.objects.filter(object_id=str(risk.pk), action=AuditAction.UPDATE).latest("pk")
    assert record.actor == editor and record.after["gaps_in_assurance"] == "No audit of huddles"
    stale = caller.patch(f"/api/risks/{risk.pk}/", {"title": "Overwrite?"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["ETag"] == response.headers["ETag"]
    assert caller.patch(f"/api/risks/{risk.pk}/", {"title": "Blind"}).status_code == 428
    assert Risk.objects.get(pk=risk.pk).title == risk.title


def test_current_score_is_not_changed_by_patch_when_sent(api, api_objects, editor):
    risk = api_objects["risk"]
    caller = api(editor)
    etag = caller.get(f"/api/risks/{risk.pk}/").headers["ETag"]
    response = caller.patch(
        f"/api/risks/{risk.pk}/",
        {"current_likelihood": 1, "current_consequence": 1},
        headers={"If-Match": etag},
    )
    assert response.status_code == 400  # the current score changes only through a review
    assert Risk.objects.get(pk=risk.pk).current_score == 16


def test_owner_records_a_review_with_a_new_score_when_they_own_the_risk(api, api_objects, lead):
    risk = api_objects["risk"]
    caller = api(lead)
    etag = caller.get(f"/api/risks/{risk.pk}/").headers["ETag"]
    response = caller.post(
        f"/api/risks/{risk.pk}/reviews/",
        {"narrative": "Two nurses recruited for nights.", "likelihood": 3, "consequence": 4},
        headers={"If-Match": etag},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["score_before"] == 16 and body["score"] == 12 and body["movement"] == -4
    stored = Risk.objects.get(pk=risk.pk)
    assert stored.current_score == 12
    assert response.headers["ETag"] == f'"{stored.version}"'
    assert RiskScore.objects.filter(risk=risk, kind="current", score=12).exists()
    assert RiskReview.objects.filter(risk=risk, created_by=lead).count() == 2
    again = caller.post(
        f"/api/risks/{risk.pk}/reviews/",
        {"narrative": "Written against the old score", "likelihood": 2, "consequence": 4},
        headers={"If-Match": etag},
    )
    assert again.status_code == 412
    assert Risk.objects.get(pk=risk.pk).current_score == 12


def test_review_is_refused_when_the_lead_neither_owns_nor_handles_the_risk(
    api, api_objects, org, editor, lead
):
    risk = other_risk(org, editor, reference="R7")
    response = api(lead).post(
        f"/api/risks/{risk.pk}/reviews/", {"narrative": "Not mine", "likelihood": 1, "consequence": 1}
    )
    assert response.status_code == 403
    assert not RiskReview.objects.filter(risk=risk).exists()


def test_review_names_the_field_when_the_date_is_in_the_future(api, api_objects, lead):
    risk = api_objects["risk"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = api(lead).post(
        f"/api/risks/{risk.pk}/reviews/",
        {"narrative": "Too early", "likelihood": 4, "consequence": 4, "reviewed_on": tomorrow},
    )
    assert response.status_code == 400
    assert "reviewed_on" in response.json()["errors"]


def test_risk_is_closed_with_its_reason_and_then_not_reviewed_when_closed(api, api_objects, editor, lead):
    risk = api_objects["risk"]
    risk_services.risk_baf_set(risk=risk, by=editor, expected_version=AS_IT_STANDS, principal=False)
    caller = api(editor)
    etag = caller.get(f"/api/risks/{risk.pk}/").headers["ETag"]
    refused = caller.post(f"/api/risks/{risk.pk}/status/", {"status": "closed"}, headers={"If-Match": etag})
    assert refused.status_code == 400  # a closed risk needs its reason
    response = caller.post(
        f"/api/risks/{risk.pk}/status/",
        {"status": "closed", "reason": "Night rota fully recruited"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed" and response.json()["escalated"] is False
    review = api(lead).post(
        f"/api/risks/{risk.pk}/reviews/", {"narrative": "After closing", "likelihood": 1, "consequence": 1}
    )
    assert review.status_code == 400
    assert api(lead).post(f"/api/risks/{risk.pk}/status/", {"status": "open"}).status_code == 403


def test_controls_and_assurances_are_added_when_a_risk_manager_posts_them(api, api_objects, editor, lead):
    risk, control = api_objects["risk"], api_objects["control"]
    caller = api(editor)
    response = caller.post(f"/api/risks/{risk.pk}/controls/", {"description": "Bank staff block-booked"})
    assert response.status_code == 201, response.content
    added = Control.objects.get(pk=response.json()["id"])
    assert added.risk_id == risk.pk and added.description == "Bank staff block-booked"
    response = caller.post(
        f"/api/risk-controls/{control.pk}/assurances/",
        {
            "source": "Internal audit of rostering",
            "line": "third",
            "level": "reasonable",
            "reported_on": "2026-03-01",
        },
    )
    assert response.status_code == 201, response.content
    assert Assurance.objects.filter(control=control, line="third").exists()
    bad = caller.post(
        f"/api/risk-controls/{control.pk}/assurances/", {"source": "X", "line": "fourth", "level": "none"}
    )
    assert bad.status_code == 400 and "line" in bad.json()
    for path, body in (
        (f"/api/risks/{risk.pk}/controls/", {"description": "A lead's control"}),
        (
            f"/api/risk-controls/{control.pk}/assurances/",
            {"source": "S", "line": "first", "level": "limited"},
        ),
    ):
        assert api(lead).post(path, body).status_code == 403
    assert not Control.objects.filter(description="A lead's control").exists()


def test_control_is_reworded_with_if_match_when_the_etag_is_current(api, api_objects, editor, lead):
    control = api_objects["control"]
    caller = api(editor)
    etag = caller.get(f"/api/risk-controls/{control.pk}/").headers["ETag"]
    response = caller.patch(
        f"/api/risk-controls/{control.pk}/",
        {"description": "Twice-daily staffing huddle"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Twice-daily staffing huddle"
    record = AuditLog.objects.filter(object_id=str(control.pk), action=AuditAction.UPDATE).latest("pk")
    assert record.before["description"] == "Daily staffing huddle"
    stale = caller.patch(f"/api/risk-controls/{control.pk}/", {"order": 5}, headers={"If-Match": etag})
    assert stale.status_code == 412
    blank = caller.patch(
        f"/api/risk-controls/{control.pk}/",
        {"description": "  "},
        headers={"If-Match": response.headers["ETag"]},
    )
    assert blank.status_code == 400
    refused = api(lead).patch(
        f"/api/risk-controls/{control.pk}/",
        {"description": "Lead's words"},
        headers={"If-Match": response.headers["ETag"]},
    )
    assert refused.status_code == 403
    assert Control.objects.get(pk=control.pk).description == "Twice-daily staffing huddle"


def test_baf_entry_is_set_through_the_service_when_a_risk_manager_posts_it(
    api, api_objects, org, editor, lead, other_org, outsider
):
    risk = other_risk(org, editor, reference="R8")
    caller = api(editor)
    etag = caller.get(f"/api/risks/{risk.pk}/").headers["ETag"]
    no_objective = caller.post(f"/api/risks/{risk.pk}/baf/", {"principal": True}, headers={"If-Match": etag})
    assert no_objective.status_code == 400 and "objective" in no_objective.json()["errors"]
    theirs = risk_services.objective_create(organisation=other_org, by=outsider, code="SV", title="Theirs")
    reaching = caller.post(
        f"/api/risks/{risk.pk}/baf/", {"principal": True, "objective": theirs.pk}, headers={"If-Match": etag}
    )
    assert reaching.status_code == 400 and "objective" in reaching.json()
    response = caller.post(
        f"/api/risks/{risk.pk}/baf/",
        {
            "principal": True,
            "objective": api_objects["objective"].pk,
            "lead_committee": "Finance and performance committee",
            "lead_executive": editor.pk,
            "assurance_rating": "reasonable",
        },
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["principal"] is True and response.json()["assurance_rating"] == "reasonable"
    baf = caller.get("/api/baf/").json()
    assert [r["reference"] for r in baf["objectives"][0]["risks"]] == ["CR1", "R8"]
    assert (
        caller.post(
            f"/api/risks/{risk.pk}/baf/", {}, headers={"If-Match": response.headers["ETag"]}
        ).status_code
        == 400
    )
    assert (
        api(lead)
        .post(
            f"/api/risks/{risk.pk}/baf/", {"principal": False}, headers={"If-Match": response.headers["ETag"]}
        )
        .status_code
        == 403
    )


# Scoping ---------------------------------------------------------------------------------------------------------


def test_another_organisations_risk_is_404_and_never_listed_when_asked_for(
    api, api_objects, editor, outsider
):
    theirs = outsiders_risk(outsider)
    control = risk_services.control_add(risk=theirs, by=outsider, description="Southvale's control")
    caller = api(editor)
    for url in (f"/api/risks/{theirs.pk}/", f"/api/risk-controls/{control.pk}/"):
        assert caller.get(url).status_code == 404, url
    assert (
        caller.post(f"/api/risks/{theirs.pk}/controls/", {"description": "Reaching over"}).status_code == 404
    )
    assert (
        caller.post(
            f"/api/risks/{theirs.pk}/reviews/",
            {"narrative": "Reaching over", "likelihood": 1, "consequence": 1},
        ).status_code
        == 404
    )
    assert (
        caller.patch(
            f"/api/risks/{theirs.pk}/", {"title": "Mine now"}, headers={"If-Match": '"1"'}
        ).status_code
        == 404
    )
    for url in (
        "/api/risks/",
        "/api/risk-controls/",
        "/api/risk-reviews/",
        "/api/risks/?format=csv",
        "/api/baf/",
    ):
        content = caller.get(url).content
        assert b"Southvale" not in content, url
    assert Risk.objects.get(pk=theirs.pk).title == "Southvale's own risk"
    assert not Control.objects.filter(description="Reaching over").exists()


# The BAF ---------------------------------------------------------------------------------------------------------


def test_baf_shows_principal_risks_by_objective_when_read(api, api_objects, viewer):
    response = api(viewer).get("/api/baf/")
    assert response.status_code == 200, response.content
    body = response.json()
    [objective] = body["objectives"]
    assert objective["code"] == "SO1"
    [risk] = objective["risks"]
    assert risk["reference"] == "CR1" and risk["current"]["score"] == 16
    assert risk["appetite"] == "Cautious" and risk["category"] == "Workforce"
    assert risk["controls"][0]["assurances"][0]["source"] == "Monthly safe staffing report"
    assert risk["movement"] == "new"
    assert len(body["heat_map"]) == 5 and body["register_total"] == 1


def test_baf_is_read_as_at_a_day_and_refuses_an_implausible_one_when_asked(api, api_objects, viewer):
    caller = api(viewer)
    before = caller.get("/api/baf/?as_at=2025-12-31").json()
    assert before["objectives"] == []  # the risk was opened in 2026
    assert caller.get("/api/baf/?as_at=1066-10-14").status_code == 400
    assert caller.get("/api/baf/?as_at=soon").status_code == 400


def test_baf_shows_nothing_of_another_organisation_when_read_by_an_outsider(api, api_objects, outsider):
    body = api(outsider).get("/api/baf/").json()
    assert body["objectives"] == [] and body["register_total"] == 0
    assert body["organisation_name"] != api_objects["organisation"].name


def test_issued_baf_is_listed_under_papers_with_its_files_when_issued(
    api, api_objects, org, editor, outsider
):
    from wellled.risks.paper_kind import baf_paper_issue

    issued = baf_paper_issue(organisation=org, as_at=datetime.date(2026, 3, 31), by=editor)
    caller = api(editor)
    listed = caller.get("/api/papers/?kind=baf").json()["results"]
    assert [p["id"] for p in listed] == [issued.pk]
    assert listed[0]["kind"] == "baf" and listed[0]["plan"] is None
    pdf = next(f for f in listed[0]["files"] if f["format"] == "pdf")
    response = caller.get(f"/api/papers/{issued.pk}/files/pdf/")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == pdf["sha256"]
    outside = api(outsider)
    assert outside.get(f"/api/papers/{issued.pk}/").status_code == 404
    assert outside.get(f"/api/papers/{issued.pk}/files/pdf/").status_code == 404
    assert issued.pk not in [p["id"] for p in outside.get("/api/papers/").json()["results"]]


# Cost ------------------------------------------------------------------------------------------------------------

LISTS = [
    "/api/risks/",
    "/api/risks/?format=csv",
    "/api/risk-reviews/",
    "/api/risk-controls/",
    "/api/baf/",
]


def queries(caller, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = caller.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_risk_lists_cost_the_same_queries_when_more_risks_are_added(api, api_objects, org, editor, lead):
    caller = api(editor)
    queries(caller, "/api/risks/")  # the token's last use is written once a minute: not counted
    before = {url: queries(caller, url) for url in LISTS}
    objective = api_objects["objective"]
    for number in range(4):
        risk = other_risk(
            org,
            editor,
            reference=f"Q{number}",
            owner=lead,
            category=api_objects["category"],
            controls=["First control", "Second control"],
        )
        risk = risk_services.risk_baf_set(
            risk=risk, by=editor, expected_version=AS_IT_STANDS, principal=True, objective=objective
        )
        for control in risk.controls.all():
            risk_services.assurance_add(
                control=control, by=editor, source="Audit", line="third", level="limited"
            )
        risk_services.risk_review_record(
            risk=risk,
            by=lead,
            expected_version=AS_IT_STANDS,
            reviewed_on=datetime.date(2026, 2, 1),
            narrative="Reviewed",
            likelihood=3,
            consequence=3,
        )
    after = {url: queries(caller, url) for url in LISTS}
    assert after == before


def test_viewer_role_reads_every_risk_endpoint_when_it_only_reads(api, api_objects, people):
    caller = api(people[Role.VIEWER])
    risk = api_objects["risk"]
    for url in (
        f"/api/risks/{risk.pk}/",
        f"/api/risk-reviews/?risk={risk.pk}",
        "/api/baf/",
        "/api/risk-controls/",
    ):
        assert caller.get(url).status_code == 200, url
