"""Oversight through the API: an oversight body's people read its portfolio (one row per trust, as the page and
its download), the statuses and exit criteria it keeps about the trusts of its portfolio, and its improvement
director judges criteria and adds evidence through the oversight services. A trust's people read only their own
trust's records; another body, another trust, a trust that left the portfolio: 404 or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import db_state, make_organisation, make_person

from wellled.core.choices import OrganisationKind, Role
from wellled.core.models import AuditLog, PortfolioEntry
from wellled.core.services import organisation_create, portfolio_trust_add, portfolio_trust_remove
from wellled.oversight import services as oversight_services
from wellled.oversight.models import ExitCriterionEvidence, ExitCriterionJudgement

OPERATIONS = {
    ("GET", "/api/portfolio/"): None,
    ("GET", "/api/oversight-statuses/"): None,
    ("GET", "/api/oversight-statuses/{id}/"): "status",
    ("GET", "/api/exit-criteria/"): None,
    ("GET", "/api/exit-criteria/{id}/"): "criterion",
    ("POST", "/api/exit-criteria/{id}/judgements/"): "criterion",
    ("POST", "/api/exit-criteria/{id}/evidence/"): "criterion",
    ("GET", "/api/regulatory-actions/"): None,
    ("GET", "/api/regulatory-actions/{id}/"): "regulatory",
    ("GET", "/api/exit-recommendations/"): None,
    ("GET", "/api/exit-recommendations/{id}/"): "recommendation",
}
OBJECT_PATHS = {
    "status": "/api/oversight-statuses/{}/",
    "criterion": "/api/exit-criteria/{}/",
    "regulatory": "/api/regulatory-actions/{}/",
    "recommendation": "/api/exit-recommendations/{}/",
}


def judgement_body() -> dict:
    return {"judgement": "met", "judged_on": timezone.localdate().isoformat(), "rationale": "Board stable."}


def state() -> dict:
    return {
        **db_state(),
        "Judgement": sorted(ExitCriterionJudgement.objects.values_list("id", flat=True)),
        "Evidence": sorted(ExitCriterionEvidence.objects.values_list("id", flat=True)),
    }


def tried_on_objects(caller, objects: dict, expected: int) -> None:
    """Every read and write naming one of the objects answers `expected`, and nothing changes."""
    before = state()
    for (method, path), kind in OPERATIONS.items():
        if kind is None:
            continue
        target = path.replace("{id}", str(objects[kind].pk))
        response = caller.get(target) if method == "GET" else caller.post(target, judgement_body())
        assert response.status_code == expected, (method, path, response.status_code, response.content[:200])
    assert state() == before


@pytest.mark.django_db
def test_director_reads_the_portfolio_one_row_per_trust_as_the_page_gives_it(api, oversight_objects, org):
    caller = api(oversight_objects["director"])
    body = caller.get("/api/portfolio/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["trust"] == {"id": org.pk, "name": org.name, "ods_code": org.ods_code}
    assert row["segment"] == 4 and row["programme"] == "recovery_support"
    assert row["exit_criteria"] == {
        "total": 1,
        "met": 0,
        "partly_met": 1,
        "not_met": 0,
        "not_judged": 0,
        "sustained": 0,
    }
    assert row["edition"] == "2025-26" and row["programme_label"] == "Provider Improvement Programme"
    assert [a["kind"] for a in row["regulatory_actions_in_force"]] == ["warning_notice"]
    assert row["improvement_director"].startswith("Dana")
    assert caller.get("/api/portfolio/?segment=2").json()["count"] == 0
    assert caller.get("/api/portfolio/?q=northmoor").json()["count"] == 1
    assert caller.get("/api/portfolio/?segment=nonsense").json()["count"] == 1  # ignored, as on the page
    csv = caller.get("/api/portfolio/?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("trust.id,trust.name,trust.ods_code,in_portfolio_since,segment")
    assert org.name in csv


@pytest.mark.django_db
def test_director_reads_statuses_and_criteria_with_judgements_evidence_and_etag(api, oversight_objects, org):
    caller = api(oversight_objects["director"])
    statuses = caller.get(f"/api/oversight-statuses/?trust={org.pk}").json()["results"]
    assert [s["segment"] for s in statuses] == [4]
    assert statuses[0]["edition"] == "2025-26"
    assert statuses[0]["segment_label"] == "4: Lowest performing quarter (2025/26 framework)"
    assert caller.get("/api/oversight-statuses/?edition=2021-23").json()["count"] == 0
    criteria = caller.get("/api/exit-criteria/").json()["results"]
    assert [c["reference"] for c in criteria] == ["EC1"]
    assert criteria[0]["latest_judgement"] == "partly_met"
    assert criteria[0]["sustained_judgements"] == 3 and criteria[0]["sustained"]["met"] is False
    actions = caller.get("/api/regulatory-actions/?in_force=true").json()["results"]
    assert [(a["kind"], a["in_force"]) for a in actions] == [("warning_notice", True)]
    assert caller.get("/api/regulatory-actions/?in_force=false").json()["count"] == 0
    recommendations = caller.get("/api/exit-recommendations/").json()["results"]
    assert [(r["decision"], r["recommended_by"][:4]) for r in recommendations] == [("pending", "Dana")]
    evidence = criteria[0]["evidence"][0]
    assert evidence["kind"] == "action" and evidence["api_path"] == f"/api/actions/{evidence['object_id']}/"
    one = caller.get(f"/api/exit-criteria/{oversight_objects['criterion'].pk}/")
    assert one.headers["ETag"] == f'"{oversight_objects["criterion"].version}"'


@pytest.mark.django_db
def test_director_judges_a_criterion_and_adds_evidence_through_the_services(
    api, oversight_objects, objects, region
):
    caller = api(oversight_objects["director"])
    criterion = oversight_objects["criterion"]
    judged = caller.post(f"/api/exit-criteria/{criterion.pk}/judgements/", judgement_body())
    assert judged.status_code == 201, judged.content
    assert judged.json()["judgement"] == "met"
    latest = caller.get(f"/api/exit-criteria/{criterion.pk}/").json()
    assert latest["latest_judgement"] == "met" and len(latest["judgements"]) == 2
    added = caller.post(
        f"/api/exit-criteria/{criterion.pk}/evidence/", {"kind": "paper", "object_id": objects["paper"].pk}
    )
    assert added.status_code == 201, added.content
    assert added.json()["api_path"] == f"/api/papers/{objects['paper'].pk}/"
    twice = caller.post(
        f"/api/exit-criteria/{criterion.pk}/evidence/", {"kind": "paper", "object_id": objects["paper"].pk}
    )
    assert twice.status_code == 400 and "evidence" in twice.json()["errors"]
    future = caller.post(
        f"/api/exit-criteria/{criterion.pk}/judgements/",
        {**judgement_body(), "judged_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400 and "judged_on" in future.json()["errors"]
    judgement = ExitCriterionJudgement.objects.get(pk=judged.json()["id"])
    assert AuditLog.objects.filter(
        organisation=region,
        content_type=ContentType.objects.get_for_model(ExitCriterionJudgement),
        object_id=str(judgement.pk),
        action="create",
    ).exists()


@pytest.mark.django_db
def test_evidence_must_be_the_trusts_own_record(api, oversight_objects, outsider):
    from wellled.plans.models import Action

    theirs = Action.objects.filter(plan__organisation__memberships__user=outsider).first()
    caller = api(oversight_objects["director"])
    refused = caller.post(
        f"/api/exit-criteria/{oversight_objects['criterion'].pk}/evidence/",
        {"kind": "action", "object_id": theirs.pk},
    )
    assert refused.status_code == 400 and "evidence" in refused.json()["errors"]


@pytest.mark.django_db
def test_trusts_own_people_read_their_trusts_records_but_never_the_portfolio_nor_write(
    api, oversight_objects, people, org
):
    caller = api(people[Role.ADMINISTRATOR])
    assert caller.get("/api/portfolio/").status_code == 404
    assert [s["trust"]["id"] for s in caller.get("/api/oversight-statuses/").json()["results"]] == [org.pk]
    assert caller.get(f"/api/exit-criteria/{oversight_objects['criterion'].pk}/").status_code == 200
    assert caller.get("/api/regulatory-actions/").json()["count"] == 1
    assert caller.get("/api/exit-recommendations/").json()["count"] == 1
    for path in ("/api/regulatory-actions/", "/api/exit-recommendations/"):
        assert caller.post(path, {}).status_code == 405  # read-only: written on the body's pages
    before = state()
    judged = caller.post(
        f"/api/exit-criteria/{oversight_objects['criterion'].pk}/judgements/", judgement_body()
    )
    assert judged.status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_another_trust_gets_404_for_every_record_and_empty_lists(api, oversight_objects, outsider):
    caller = api(outsider)
    tried_on_objects(caller, oversight_objects, 404)
    assert caller.get("/api/oversight-statuses/").json()["count"] == 0
    assert caller.get("/api/exit-criteria/").json()["count"] == 0
    assert caller.get("/api/regulatory-actions/").json()["count"] == 0
    assert caller.get("/api/exit-recommendations/").json()["count"] == 0
    assert caller.get("/api/portfolio/").status_code == 404


@pytest.mark.django_db
def test_another_body_sees_nothing_of_a_trust_outside_its_portfolio(api, oversight_objects, other_org):
    other_body = organisation_create(
        name="Other Test ICB", ods_code="ZR002", by=None, kind=OrganisationKind.ICB
    )
    portfolio_trust_add(
        oversight_body=other_body,
        trust=other_org,
        by=None,
        joined_on=timezone.localdate() - datetime.timedelta(1),
    )
    caller = api(make_person(other_body, role=Role.ADMINISTRATOR, username="otherdirector"))
    tried_on_objects(caller, oversight_objects, 404)
    rows = caller.get("/api/portfolio/").json()["results"]
    assert [r["trust"]["id"] for r in rows] == [other_org.pk]
    assert caller.get("/api/oversight-statuses/").json()["count"] == 0
    assert caller.get("/api/exit-criteria/").json()["count"] == 0


@pytest.mark.django_db
def test_body_loses_sight_of_a_trust_when_it_leaves_the_portfolio(api, oversight_objects, org, region):
    caller = api(oversight_objects["director"])
    entry = PortfolioEntry.objects.get(oversight_body=region, trust=org)
    portfolio_trust_remove(entry=entry, by=None, left_on=timezone.localdate())
    tried_on_objects(caller, oversight_objects, 404)
    assert caller.get("/api/portfolio/").json()["count"] == 0


@pytest.mark.django_db
def test_region_viewer_reads_but_gets_403_when_judging(api, oversight_objects, region):
    caller = api(make_person(region, role=Role.VIEWER, username="regionviewer"))
    assert caller.get("/api/exit-criteria/").json()["count"] == 1
    before = state()
    response = caller.post(
        f"/api/exit-criteria/{oversight_objects['criterion'].pk}/judgements/", judgement_body()
    )
    assert response.status_code == 403
    assert state() == before


@pytest.mark.django_db
def test_anonymous_gets_401_for_every_oversight_operation(client, oversight_objects):
    for (method, path), kind in OPERATIONS.items():
        target = path.replace("{id}", str(oversight_objects[kind].pk)) if kind else path
        assert client.generic(method, target).status_code == 401, (method, path)


@pytest.mark.django_db
def test_csv_of_criteria_never_runs_a_title_as_a_formula(api, oversight_objects, org, region):
    director = oversight_objects["director"]
    oversight_services.exit_criterion_create(
        oversight_body=region,
        trust=org,
        by=director,
        reference="EC2",
        title="=cmd|' /C calc'!A0",
        agreed_on=timezone.localdate(),
    )
    text = api(director).get("/api/exit-criteria/?format=csv").content.decode("utf-8-sig")
    assert "'=cmd" in text and ",=cmd" not in text


def count_queries(caller, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert caller.get(path).status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.django_db
def test_oversight_lists_cost_the_same_queries_whatever_the_number_of_trusts(api, oversight_objects, region):
    director = oversight_objects["director"]
    caller = api(director)
    lists = [
        "/api/portfolio/",
        "/api/portfolio/?format=csv",
        "/api/oversight-statuses/",
        "/api/exit-criteria/",
        "/api/regulatory-actions/",
        "/api/exit-recommendations/",
    ]
    count_queries(caller, lists[0])  # the token's last use is written once a minute: not counted
    before = {path: count_queries(caller, path) for path in lists}
    day = timezone.localdate() - datetime.timedelta(days=30)
    for n in range(4):
        trust = make_organisation(name=f"Extra Test Trust {n}", ods_code=f"ZX{n:03d}")
        portfolio_trust_add(oversight_body=region, trust=trust, by=None, joined_on=day)
        oversight_services.oversight_status_record(
            oversight_body=region, trust=trust, by=director, effective_from=day, segment=3
        )
        criterion = oversight_services.exit_criterion_create(
            oversight_body=region, trust=trust, by=director, reference="EC1", title="Finances", agreed_on=day
        )
        oversight_services.exit_criterion_judgement_record(
            criterion=criterion, by=director, judgement="not_met", judged_on=day, rationale="Deficit."
        )
    count_queries(caller, lists[0])  # the new trusts' facts worked out and cached, as before (ADR 0052)
    assert {path: count_queries(caller, path) for path in lists} == before
