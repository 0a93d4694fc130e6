"""The API keeps to its own OpenAPI schema: schemathesis generates requests for every operation of the schema
(positive and negative ones, with ids of real objects as well as made-up ones), as a trust's administrator and as
an oversight body's improvement director, and checks each answer: never a server error, and every documented
response matches its schema. Nothing here names an endpoint: a new one is fuzzed as soon as it is in the schema,
and its real objects are found by listing its collection. Bounded so it runs in a few minutes."""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from unittest import mock

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from wellled.core.choices import Role
from wellled.core.selectors import delivery_statuses

# Examples per operation and caller (positive and negative together): about seventy operations, two callers.
EXAMPLES_PER_OPERATION = 6
CHECKS = [not_a_server_error, response_schema_conformance]
# A file of an issued paper or answer is named by its format: try real ones as well as made-up ones.
FILE_FORMATS = ["pdf", "docx", "xlsx", "csv", "html"]
COLLECTION = re.compile(r"^(/api/[a-z-]+/)\{id\}")


@contextlib.contextmanager
def connection_kept_open():
    """Requests to the WSGI application run inside the test's transaction: the connection is never closed at the
    start or end of a request (which would end the transaction). Django's test client, used to find real objects,
    reconnects its close_old_connections receivers after each of its own requests, so disconnecting them is not
    enough: the connection itself declines to close (PostgreSQL; SQLite's in-memory database never closes)."""
    with mock.patch.object(connection, "close_if_unusable_or_obsolete", lambda: None):
        yield


class RealObjects:
    """The ids a caller sees in each collection (found by listing it), and an object's current ETag."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, headers
        self.found: dict[str, list[int]] = {}

    def ids(self, collection: str) -> list[int]:
        if collection not in self.found:
            response = self.client.get(f"{collection}?page_size=20", headers=self.headers)
            body = response.json() if response.status_code == 200 else {}
            self.found[collection] = [row["id"] for row in body.get("results", []) if "id" in row]
        return self.found[collection]

    def etag(self, collection: str, pk: int) -> str | None:
        return self.client.get(f"{collection}{pk}/", headers=self.headers).headers.get("ETag")


def aim_at_real_objects(case, data, real: RealObjects, status_codes: list[str]) -> None:
    """Now and then name a real object, send its current ETag, a real file format and a real delivery-status
    code, so the fuzzing reaches the services and not only the refusals in front of them."""
    match = COLLECTION.match(case.operation.path)
    if match and case.path_parameters and data.draw(st.booleans()):
        ids = real.ids(match.group(1))
        if ids:
            pk = data.draw(st.sampled_from(ids))
            case.path_parameters["id"] = pk
            if case.headers and "If-Match" in case.headers and data.draw(st.booleans()):
                case.headers["If-Match"] = real.etag(match.group(1), pk) or case.headers["If-Match"]
    if case.path_parameters and "fmt" in case.path_parameters and data.draw(st.booleans()):
        case.path_parameters["fmt"] = data.draw(st.sampled_from(FILE_FORMATS))
    if isinstance(case.body, dict) and "status" in case.body and data.draw(st.booleans()):
        case.body["status"] = data.draw(st.sampled_from(status_codes))


def strategy_for(operation):
    """Valid and invalid requests for the operation (valid only when nothing of it can be made invalid)."""
    positive = operation.as_strategy(GenerationMode.POSITIVE)
    try:
        negative = operation.as_strategy(GenerationMode.NEGATIVE)
    except Exception:  # noqa: BLE001 (schemathesis refuses to negate an operation that takes nothing)
        return positive
    return st.one_of(positive, negative)


def fuzz(operation, headers: dict, real: RealObjects, status_codes: list[str], answered: set[int]) -> None:
    """Run the operation's examples as one caller; raises with every failure found."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,  # the same requests on every run, so CI never fails by chance
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy_for(operation), data=st.data())
    def check(case, data):
        aim_at_real_objects(case, data, real, status_codes)
        result = case.call(headers=headers)
        answered.add(result.status_code)
        case.validate_response(
            result, checks=CHECKS, headers=headers, transport_kwargs={"headers": dict(headers)}
        )

    with connection_kept_open():
        check()


@pytest.mark.django_db
def test_every_operation_keeps_to_the_schema_when_fuzzed_as_a_trust_and_as_an_oversight_body(
    client, api_world, people, token_for
):
    callers = {
        "trust administrator": {"Authorization": f"Bearer {token_for(people[Role.ADMINISTRATOR])}"},
        "improvement director": {"Authorization": f"Bearer {token_for(api_world['director'])}"},
    }
    response = client.get("/api/schema/?format=json", headers=callers["trust administrator"])
    assert response.status_code == 200
    document = json.loads(response.content)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    operations = [result.ok() for result in schema.get_all_operations()]
    listed = sum(1 for item in document["paths"].values() for method in item if method != "parameters")
    assert len(operations) == listed  # every operation, none skipped
    status_codes = [s.code for s in delivery_statuses(organisation=api_world["organisation"])]
    failures = []
    answered: dict[str, set[int]] = defaultdict(set)
    for operation in operations:
        for caller, headers in callers.items():
            try:
                fuzz(
                    operation, headers, RealObjects(client, headers), status_codes, answered[operation.label]
                )
            except (
                AssertionError,
                BaseExceptionGroup,
            ) as exc:  # every operation's failures reported together
                failures.append(f"{operation.label} as the {caller}: {exc}")
    assert failures == [], "\n\n".join(failures)
    # Reads reached real objects: every GET answered 200 at least once, to one caller or the other.
    unread = sorted(
        op.label for op in operations if op.method.upper() == "GET" and 200 not in answered[op.label]
    )
    assert unread == []
