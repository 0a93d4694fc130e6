"""A QI project of the test trust, led by `lead`, watching a measure with two years of figures."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def watched(org, editor):
    from wellled.measures import services

    measure = services.measure_create(
        organisation=org, by=editor, name="Falls per 1,000 bed days", kind="value", direction="decrease"
    )
    start = datetime.date(2024, 1, 1)
    rows = [
        services.ValueRow(
            measure.pk, datetime.date(start.year + (start.month - 1 + i) // 12, (i % 12) + 1, 1), value=v
        )
        for i, v in enumerate(
            [7.1, 6.8, 7.4, 7.0, 6.9, 7.3, 7.2, 6.7, 7.0, 7.1, 6.9, 7.2, 5.1, 4.8, 5.0, 4.7, 4.9, 5.2]
        )
    ]
    services.values_load(organisation=org, by=editor, source="test", rows=rows)
    return measure


@pytest.fixture
def project(org, editor, lead, watched):
    from wellled.improvement import services

    project = services.project_create(
        organisation=org,
        by=editor,
        title="Fewer falls on the frailty wards",
        aim="Reduce inpatient falls on the two frailty wards by a third by the end of next year.",
        started_on=datetime.date(2024, 11, 1),
        lead=lead,
    )
    services.project_measure_link(project=project, by=editor, measure=watched, role="outcome")
    primary = services.driver_add(
        project=project, by=editor, text="Patients at risk are known to every shift"
    )
    services.change_idea_add(driver=primary, by=editor, text="Falls risk shown on the ward whiteboard")
    return project
