"""The API's SPC summary is honest about short series (issue 26)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_spc_summary_gives_a_distinct_variation_for_too_few_points(api, org, editor, other_org, outsider):
    """Making Data Count (NHS England): limits need a baseline of at least 12 points, so the API's SPC summary of a
    4-point series says too_few_points, with no limits, never common_cause; and another trust cannot read it."""
    from tests.measures.conftest import months

    from wellled.measures import services

    m = services.measure_create(organisation=org, by=editor, name="Ward audit score", kind="value")
    rows = [services.ValueRow(m.pk, d, value=80.0 + i) for i, d in enumerate(months(4))]
    services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    body = api(editor).get(f"/api/measures/{m.pk}/spc/").json()
    assert body["variation"] == "too_few_points" and body["n_points"] == 4 and body["chart"] == "run"
    assert body["variation_text"] == "4 points: too few for process limits"
    assert all(p["upper_limit"] is None for p in body["points"])
    assert api(outsider).get(f"/api/measures/{m.pk}/spc/").status_code == 404
