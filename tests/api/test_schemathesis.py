"""The API keeps to its own OpenAPI schema: schemathesis generates requests for every operation from the schema
(valid and invalid ones, with ids of real objects as well as made-up ones) and checks each answer: never a server
error, and every documented response matches its schema. Bounded so it runs in about a minute."""

from __future__ import annotations

import contextlib
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from wellled.core.choices import Role
from wellled.core.selectors import delivery_statuses

# Examples per operation: some forty operations, so about five hundred requests in all.
EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, response_schema_conformance]
# Which fixture object a path's {id} names, so generated requests reach real objects as well as missing ones.
OBJECT_FOR_PATH = {
    "/api/organisations/": "organisation",
    "/api/plans/": "plan",
    "/api/sections/": "section",
    "/api/findings/": "finding",
    "/api/actions/": "action",
    "/api/progress-updates/": "update",
    "/api/cycles/": "cycle",
    "/api/measures/": "measure",
    "/api/assessments/": "assessment",
    "/api/ratings/": "rating",
    "/api/papers/": "paper",
    "/api/risks/": "risk",
    "/api/risk-reviews/": "risk_review",
    "/api/risk-controls/": "control",
    "/api/qi-projects/": "project",
    "/api/pdsa-cycles/": "pdsa",
}


@contextlib.contextmanager
def connection_kept_open():
    """Requests to the WSGI application run inside the test's transaction: as in Django's test client, the
    connection is not closed at the start and end of each request (which would end the transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_object(path: str, objects: dict):
    """The fixture object a path's {id} names, read afresh (its version moves on as the fuzzing changes it)."""
    for prefix, kind in OBJECT_FOR_PATH.items():
        if path.startswith(prefix + "{id}"):
            instance = objects[kind]
            return type(instance).objects.get(pk=instance.pk)
    return None


def aim_at_real_objects(case, data, objects: dict, status_codes: list[str]) -> None:
    """Now and then name a real object, send its current ETag and a real delivery-status code, so the fuzzing
    reaches the services and not only the refusals in front of them."""
    if case.path_parameters and "id" in case.path_parameters and data.draw(st.booleans()):
        instance = real_object(case.operation.path, objects)
        case.path_parameters["id"] = instance.pk
        if (
            case.headers
            and "If-Match" in case.headers
            and hasattr(instance, "version")
            and data.draw(st.booleans())
        ):
            case.headers["If-Match"] = f'"{instance.version}"'
    if isinstance(case.body, dict) and "status" in case.body and data.draw(st.booleans()):
        case.body["status"] = data.draw(st.sampled_from(status_codes))


@pytest.mark.django_db
def test_every_operation_keeps_to_the_schema_when_fuzzed_with_a_token(client, api_objects, people, token_for):
    token = token_for(people[Role.ADMINISTRATOR])
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get("/api/schema/?format=json", headers=headers)
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(json.loads(response.content))
    schema.app = WSGIHandler()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25, [op.label for op in operations]
    status_codes = [s.code for s in delivery_statuses(organisation=api_objects["organisation"])]
    failures = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same requests on every run, so CI never fails by chance
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), data=st.data())
        def check(case, data):
            aim_at_real_objects(case, data, api_objects, status_codes)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            with connection_kept_open():
                check()
        except (AssertionError, BaseExceptionGroup) as exc:  # report every operation's failures together
            failures.append(f"{operation.label}: {exc}")
    assert failures == [], "\n\n".join(failures)
