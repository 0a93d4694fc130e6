"""Ward accreditation through the API: wards with their levels, schemes, audits with their standards' results;
an audit started, answered and completed as the pages do it, with ETags; scoped to the organisation and the
role; CSV safe in Excel; lists in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import db_state

from wellled.accreditation.models import WardAudit
from wellled.core.choices import Role, UnitKind
from wellled.core.models import AuditLog
from wellled.core.services import organisation_unit_create

# Every accreditation operation, with the object its {id} names (None for a collection).
OPERATIONS = {
    ("GET", "/api/wards/"): None,
    ("GET", "/api/wards/{id}/"): "ward",
    ("GET", "/api/accreditation-schemes/"): None,
    ("GET", "/api/accreditation-schemes/{id}/"): "scheme",
    ("GET", "/api/ward-audits/"): None,
    ("POST", "/api/ward-audits/"): None,
    ("GET", "/api/ward-audits/{id}/"): "audit",
    ("POST", "/api/ward-audits/{id}/answers/"): "draft",
    ("POST", "/api/ward-audits/{id}/complete/"): "draft",
    ("POST", "/api/ward-audits/{id}/decide/"): "audit",
}


def url(path: str, objects: dict) -> str:
    kind = OPERATIONS[next(op for op in OPERATIONS if op[1] == path)]
    return path.replace("{id}", str(objects[kind].pk)) if kind else path


def state() -> dict:
    return {**db_state(), "WardAudit": sorted(WardAudit.objects.values_list("id", "version", "state"))}


@pytest.mark.django_db
def test_lead_reads_wards_levels_and_audits_with_the_working_of_their_result(
    api, accreditation_objects, lead
):
    caller = api(lead)
    objects = accreditation_objects
    wards = caller.get("/api/wards/").json()["results"]
    by_name = {w["name"]: w for w in wards}
    assert by_name["Ward 7 (acute medicine)"]["latest"]["level_code"] == "gold"
    assert by_name["Ward 7 (acute medicine)"]["overdue"] is False
    assert by_name["Larch ward"]["latest"] is None and by_name["Larch ward"]["draft"]["state"] == "draft"
    assert [w["name"] for w in caller.get("/api/wards/?overdue=true").json()["results"]] == ["Larch ward"]
    one = caller.get(f"/api/wards/{objects['ward'].pk}/").json()
    assert one["latest"]["percent"] == 100.0

    schemes = caller.get("/api/accreditation-schemes/").json()["results"]
    assert [s["key"] for s in schemes] == ["wellled-ward-accreditation"]
    assert schemes[0]["scheme"]["levels"][0]["code"] == "gold"

    audits = caller.get(f"/api/ward-audits/?ward={objects['ward'].pk}").json()["results"]
    assert [a["id"] for a in audits] == [objects["audit"].pk]
    assert caller.get("/api/ward-audits/?state=draft").json()["count"] == 1
    detail = caller.get(f"/api/ward-audits/{objects['audit'].pk}/")
    assert detail.headers["ETag"] == f'"{objects["audit"].version}"'
    result = detail.json()["result"]
    assert result["complete"] and result["level_code"] == "gold"
    assert all(s["answer"] == "met" for s in result["standards"])
    assert result["working"][-1] == "Result: Gold."


@pytest.mark.django_db
def test_lead_starts_answers_and_completes_an_audit_with_etags_when_as_the_pages_do(
    api, accreditation_objects, lead, org
):
    caller = api(lead)
    objects = accreditation_objects
    scheme = objects["scheme"]
    started = caller.post(
        "/api/ward-audits/",
        {
            "ward": objects["ward"].pk,
            "scheme": scheme.pk,
            "audited_on": timezone.localdate().isoformat(),
        },
    )
    assert started.status_code == 201, started.content
    audit = started.json()
    codes = [s.code for s in scheme.scheme.standards()]
    path = f"/api/ward-audits/{audit['id']}/"
    assert caller.post(path + "answers/", {"answers": {codes[0]: "met"}}).status_code == 428
    first = caller.post(
        path + "answers/",
        {"answers": {codes[0]: "met"}, "evidence": {codes[0]: "Seen on the ward"}},
        headers={"If-Match": started.headers["ETag"]},
    )
    assert first.status_code == 200, first.content
    assert first.json()["result"]["unanswered"] == codes[1:]
    # A second sitting adds to the first: the answers sent replace only their own standards.
    rest = caller.post(
        path + "answers/",
        {"answers": dict.fromkeys(codes[1:], "met")},
        headers={"If-Match": first.headers["ETag"]},
    )
    assert rest.status_code == 200
    assert rest.json()["evidence"] == {codes[0]: "Seen on the ward"}
    stale = caller.post(path + "complete/", {}, headers={"If-Match": first.headers["ETag"]})
    assert stale.status_code == 412
    done = caller.post(path + "complete/", {}, headers={"If-Match": rest.headers["ETag"]})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "completed" and done.json()["level_name"] == "Gold"
    again = caller.post(path + "answers/", {"answers": {}}, headers={"If-Match": done.headers["ETag"]})
    assert again.status_code == 400
    assert AuditLog.objects.filter(organisation=org, object_id=str(audit["id"])).count() >= 3


@pytest.mark.django_db
def test_service_refusals_come_back_as_400_naming_the_field(api, accreditation_objects, lead):
    caller = api(lead)
    objects = accreditation_objects
    future = caller.post(
        "/api/ward-audits/",
        {
            "ward": objects["ward"].pk,
            "scheme": objects["scheme"].pk,
            "audited_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert future.status_code == 400 and "audited_on" in future.json()["errors"]
    draft = objects["draft"]
    unknown = caller.post(
        f"/api/ward-audits/{draft.pk}/answers/",
        {"answers": {"NO-SUCH": "met"}},
        headers={"If-Match": f'"{draft.version}"'},
    )
    assert unknown.status_code == 400 and "answer_NO-SUCH" in unknown.json()["errors"]
    incomplete = caller.post(
        f"/api/ward-audits/{draft.pk}/complete/", {}, headers={"If-Match": f'"{draft.version}"'}
    )
    assert incomplete.status_code == 400 and "still to answer" in incomplete.json()["detail"]


@pytest.mark.django_db
def test_viewer_reads_but_gets_403_on_every_write_and_nothing_changes(api, accreditation_objects, people):
    caller = api(people[Role.VIEWER])
    objects = accreditation_objects
    for method, path in OPERATIONS:
        if method == "GET":
            assert caller.get(url(path, objects)).status_code == 200, path
    before = state()
    for method, path in OPERATIONS:
        if method == "POST":
            response = caller.post(url(path, objects), {}, headers={"If-Match": '"1"'})
            assert response.status_code == 403, (path, response.status_code)
    assert state() == before


@pytest.mark.django_db
def test_outsider_gets_404_for_every_ward_and_audit_and_cannot_audit_another_organisations_ward(
    api, accreditation_objects, outsider
):
    caller = api(outsider)
    objects = accreditation_objects
    before = state()
    for method, path in OPERATIONS:
        kind = OPERATIONS[(method, path)]
        if kind in (None, "scheme"):
            continue
        send = caller.get if method == "GET" else caller.post
        args = () if method == "GET" else ({},)
        assert send(url(path, objects), *args, headers={"If-Match": '"1"'}).status_code == 404, path
    assert caller.get("/api/wards/").json()["count"] == 0
    assert caller.get("/api/ward-audits/").json()["count"] == 0
    refused = caller.post(
        "/api/ward-audits/",
        {
            "ward": objects["ward"].pk,
            "scheme": objects["scheme"].pk,
            "audited_on": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 400 and "ward" in refused.json()["errors"], refused.content
    assert state() == before


@pytest.mark.django_db
def test_anonymous_gets_401_for_every_accreditation_operation(client, accreditation_objects):
    for method, path in OPERATIONS:
        response = client.generic(method, url(path, accreditation_objects))
        assert response.status_code == 401, (method, path)


@pytest.mark.django_db
def test_csv_of_wards_and_audits_never_runs_a_ward_name_as_a_formula(api, accreditation_objects, org, lead):
    organisation_unit_create(organisation=org, kind=UnitKind.WARD, name="=HYPERLINK(1)", by=None)
    caller = api(lead)
    wards = caller.get("/api/wards/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in wards and "\n=HYPERLINK" not in wards
    audits = caller.get("/api/ward-audits/?format=csv").content.decode("utf-8-sig")
    header = audits.splitlines()[0].split(",")
    assert "answers." + accreditation_objects["scheme"].scheme.standards()[0].code in header


def count_queries(caller, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert caller.get(path).status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.django_db
def test_accreditation_lists_cost_the_same_queries_whatever_the_number_of_wards_and_audits(
    api, accreditation_objects, org, lead
):
    from wellled.accreditation.services import ward_audit_start

    caller = api(lead)
    lists = ["/api/wards/", "/api/wards/?format=csv", "/api/ward-audits/", "/api/accreditation-schemes/"]
    count_queries(caller, lists[0])  # the token's last use is written once a minute: not counted
    before = {path: count_queries(caller, path) for path in lists}
    for n in range(5):
        ward = organisation_unit_create(organisation=org, kind=UnitKind.TEAM, name=f"Team {n}", by=None)
        ward_audit_start(
            organisation=org,
            unit=ward,
            scheme=accreditation_objects["scheme"],
            audited_on=timezone.localdate(),
            by=lead,
        )
    assert {path: count_queries(caller, path) for path in lists} == before
