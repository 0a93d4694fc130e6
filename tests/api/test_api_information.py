"""Information requests through the API: a register's requests with their answers (frozen papers, their files
served byte for byte), registered, answered, reused and withdrawn through the information services; a trust sees
the requests addressed to it with what it answered, a body its own register and the answers shared with it;
nothing of another organisation's; CSV safe in Excel; lists in a fixed number of queries."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import db_state

from wellled.core.choices import Role
from wellled.information import services as information_services
from wellled.information.models import Answer, InformationRequest

OPERATIONS = {
    ("GET", "/api/information-requests/"): None,
    ("POST", "/api/information-requests/"): None,
    ("GET", "/api/information-requests/{id}/"): "open_request",
    ("POST", "/api/information-requests/{id}/answer/"): "open_request",
    ("POST", "/api/information-requests/{id}/reuse/"): "open_request",
    ("POST", "/api/information-requests/{id}/withdraw/"): "open_request",
    ("GET", "/api/information-answers/"): None,
    ("GET", "/api/information-answers/{id}/"): "answer",
    ("GET", "/api/information-answers/{id}/files/{fmt}/"): "answer",
    ("GET", "/api/shared-answers/"): None,
    ("GET", "/api/shared-answers/{id}/"): "shared",
    ("GET", "/api/shared-answers/{id}/files/{fmt}/"): "shared",
}


def target(path: str, objects: dict) -> str:
    kind = OPERATIONS[next(op for op in OPERATIONS if op[1] == path)]
    path = path.replace("{fmt}", "csv")
    return path.replace("{id}", str(objects[kind].pk)) if kind else path


def state() -> dict:
    return {
        **db_state(),
        "Request": sorted(InformationRequest.objects.values_list("id", "status", "version")),
        "Answer": sorted(Answer.objects.values_list("id", flat=True)),
    }


def new_request(org, plan) -> dict:
    today = timezone.localdate()
    return {
        "subject": org.pk,
        "question": "Your plan's position at the end of last month.",
        "received_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=10)).isoformat(),
        "kind": "plan",
        "parameters": {"plan": plan.pk, "as_at": (today - datetime.timedelta(days=3)).isoformat()},
        "asked_by_name": "Healthwatch Moorland",
        "asked_by_email": "info@healthwatch.example",
    }


@pytest.mark.django_db
def test_trust_reads_the_requests_addressed_to_it_with_what_it_answered(api, information_objects, editor):
    caller = api(editor)
    rows = caller.get("/api/information-requests/").json()["results"]
    by_id = {r["id"]: r for r in rows}
    answered = by_id[information_objects["answered_request"].pk]
    assert answered["status"] == "answered" and answered["asked_by"] == "NHS England Test Region"
    files = answered["answer"]["files"]
    assert {f["format"] for f in files} == {"csv", "xlsx"}
    assert answered["deliveries"][0]["method"] == "shared"
    csv_file = next(f for f in files if f["format"] == "csv")
    download = caller.get(csv_file["url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == csv_file["sha256"]
    assert download.headers["Repr-Digest"].startswith("sha-256=:")
    assert by_id[information_objects["open_request"].pk]["answer"] is None
    assert caller.get("/api/information-requests/?status=open").json()["count"] == 1
    assert caller.get("/api/information-answers/").json()["count"] == 1


@pytest.mark.django_db
def test_body_reads_its_register_and_the_answers_trusts_shared_with_it(api, information_objects, director):
    caller = api(director)
    rows = caller.get("/api/information-requests/").json()["results"]
    assert [r["id"] for r in rows] == [information_objects["region_request"].pk]
    shared = caller.get("/api/shared-answers/").json()["results"]
    assert [s["id"] for s in shared] == [information_objects["shared"].pk]
    xlsx = next(f for f in shared[0]["files"] if f["format"] == "xlsx")
    download = caller.get(xlsx["url"])
    assert download.status_code == 200 and download.content[:2] == b"PK"


@pytest.mark.django_db
def test_trust_registers_answers_and_withdraws_requests_through_the_services(
    api, information_objects, editor, org, plan
):
    caller = api(editor)
    made = caller.post("/api/information-requests/", new_request(org, plan))
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "open" and made.headers["ETag"] == '"1"'
    answered = caller.post(f"/api/information-requests/{made.json()['id']}/answer/", {})
    assert answered.status_code == 200, answered.content
    assert answered.json()["delivered_to"] == [made.json()["id"]]
    assert caller.get(f"/api/information-requests/{made.json()['id']}/").json()["status"] == "answered"
    # The open request asks the same thing as the first answer (a day earlier): reuse is refused by the service.
    reuse = caller.post(
        f"/api/information-requests/{information_objects['open_request'].pk}/reuse/",
        {"answer": information_objects["answer"].pk},
    )
    assert reuse.status_code == 400
    withdraw_path = f"/api/information-requests/{information_objects['open_request'].pk}/withdraw/"
    assert caller.post(withdraw_path, {}).status_code == 428
    assert caller.post(withdraw_path, {}, headers={"If-Match": '"7"'}).status_code == 412
    withdrawn = caller.post(withdraw_path, {}, headers={"If-Match": '"1"'})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert caller.post(withdraw_path, {}, headers={"If-Match": withdrawn.headers["ETag"]}).status_code == 400


@pytest.mark.django_db
def test_earlier_answer_is_reused_for_a_request_asking_the_same_thing(api, information_objects, editor, org):
    first = information_objects["answered_request"]
    same = information_services.request_register(
        organisation=org,
        by=editor,
        subject=org,
        question="The same again, for us.",
        received_on=timezone.localdate(),
        due_on=timezone.localdate(),
        kind=first.kind,
        parameters=first.parameters,
        asked_by_name="Moorland commissioners",
        asked_by_email="commissioning@moorland.example",
    )
    response = api(editor).post(
        f"/api/information-requests/{same.pk}/reuse/", {"answer": information_objects["answer"].pk}
    )
    assert response.status_code == 200, response.content
    same.refresh_from_db()
    assert same.answer_id == information_objects["answer"].pk and same.answered_by_reuse


@pytest.mark.django_db
def test_request_about_another_trust_is_refused_naming_the_subject(
    api, information_objects, editor, other_org, plan
):
    response = api(editor).post("/api/information-requests/", {**new_request(other_org, plan)})
    assert response.status_code == 400 and "subject" in response.json()["errors"]


@pytest.mark.django_db
def test_viewer_reads_but_gets_403_on_every_write_and_nothing_changes(
    api, information_objects, people, org, plan
):
    caller = api(people[Role.VIEWER])
    before = state()
    for method, path in OPERATIONS:
        if method == "GET" and "shared" not in path:
            assert caller.get(target(path, information_objects)).status_code == 200, path
        if method == "POST":
            body = new_request(org, plan) if path.endswith("requests/") else {"answer": 1}
            response = caller.post(target(path, information_objects), body, headers={"If-Match": '"1"'})
            assert response.status_code == 403, (path, response.status_code)
    assert state() == before


@pytest.mark.django_db
def test_outsider_gets_404_for_every_request_and_answer_and_empty_lists(api, information_objects, outsider):
    caller = api(outsider)
    before = state()
    for (method, path), kind in OPERATIONS.items():
        if kind is None:
            continue
        send = caller.get if method == "GET" else caller.post
        args = () if method == "GET" else ({"answer": information_objects["answer"].pk},)
        response = send(target(path, information_objects), *args, headers={"If-Match": '"1"'})
        assert response.status_code == 404, (method, path, response.status_code)
    for path in ("/api/information-requests/", "/api/information-answers/", "/api/shared-answers/"):
        assert caller.get(path).json()["count"] == 0, path
    assert state() == before


@pytest.mark.django_db
def test_body_never_reaches_the_trusts_register_nor_the_trust_the_bodys(
    api, information_objects, director, editor
):
    trust_side = information_objects["open_request"].pk
    assert api(director).get(f"/api/information-requests/{trust_side}/").status_code == 404
    assert (
        api(director).get(f"/api/information-answers/{information_objects['answer'].pk}/").status_code == 404
    )
    body_side = information_objects["region_request"].pk
    assert api(editor).get(f"/api/information-requests/{body_side}/").status_code == 404
    assert api(editor).get(f"/api/shared-answers/{information_objects['shared'].pk}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_gets_401_for_every_information_operation(client, information_objects):
    for method, path in OPERATIONS:
        assert client.generic(method, target(path, information_objects)).status_code == 401, (method, path)


@pytest.mark.django_db
def test_csv_of_the_register_never_runs_a_question_as_a_formula(api, information_objects, editor, org, plan):
    caller = api(editor)
    made = caller.post(
        "/api/information-requests/",
        {**new_request(org, plan), "question": "=SUM(A1:A9)", "asked_by_name": "@body"},
    )
    assert made.status_code == 201, made.content
    text = caller.get("/api/information-requests/?format=csv").content.decode("utf-8-sig")
    assert "'=SUM(A1:A9)" in text and "'@body" in text and ",=SUM" not in text


def count_queries(caller, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert caller.get(path).status_code == 200, path
    return len(context.captured_queries)


@pytest.mark.django_db
def test_information_lists_cost_the_same_queries_whatever_the_number_of_requests(
    api, information_objects, editor, director, org, plan
):
    trust, body = api(editor), api(director)
    lists = [
        (trust, "/api/information-requests/"),
        (trust, "/api/information-requests/?format=csv"),
        (trust, "/api/information-answers/"),
        (body, "/api/shared-answers/"),
        (body, "/api/information-requests/"),
    ]
    for caller, path in lists[:1] + lists[3:4]:
        count_queries(caller, path)  # the token's last use is written once a minute: not counted
    before = [count_queries(caller, path) for caller, path in lists]
    for days in (4, 5):
        asked = information_services.request_register(
            organisation=org,
            by=editor,
            subject=org,
            question="Another month's position.",
            received_on=timezone.localdate(),
            due_on=timezone.localdate(),
            kind="plan",
            parameters={"plan": plan.pk, "as_at": timezone.localdate() - datetime.timedelta(days=days)},
            asked_by_organisation=information_objects["shared"].shared_with,
        )
        information_services.answer_produce(request=asked, by=editor)
    assert [count_queries(caller, path) for caller, path in lists] == before
