"""The register, the heat map, overdue reviews and the BAF page cost the same number of queries however many risks
there are (bench/risks.py measures them at 5,000)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wellled.risks import services

from .conftest import make_risk

pytestmark = pytest.mark.django_db
PAGES = ("risk-register", "risk-heat-map", "risk-overdue", "baf")


def counts(client):
    found = {}
    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        found[name] = len(queries.captured_queries)
    return found


def add(org, editor, objective, n, start):
    for i in range(start, start + n):
        risk = make_risk(
            org, editor, reference=f"Q{i}", current=(1 + i % 5, 1 + i % 4), controls=["A control"]
        )
        if i % 3 == 0:
            services.risk_baf_set(
                risk=risk,
                by=editor,
                expected_version=risk.version,
                principal=True,
                objective=objective,
                lead_executive=editor,
            )


def test_queries_do_not_grow_with_the_register_when_it_is_five_times_longer(login, org, editor, objective):
    client = login(editor)
    client.get(reverse("dashboard"))  # the first page after signing in writes the session once (which trust)
    add(org, editor, objective, 3, 0)
    few = counts(client)
    add(org, editor, objective, 12, 3)
    assert counts(client) == few
