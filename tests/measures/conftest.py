"""Measures test data: a measure of each kind in `org`, one in `other_org`, built through the services."""

from __future__ import annotations

import datetime

import pytest


def months(n: int, start: datetime.date = datetime.date(2023, 1, 1)) -> list[datetime.date]:
    out = []
    for i in range(n):
        total = start.year * 12 + start.month - 1 + i
        out.append(datetime.date(total // 12, total % 12 + 1, 1))
    return out


@pytest.fixture
def measure(org, editor):
    """A monthly value measure (lower is better) with 24 values that shift down after month 12."""
    from wellled.measures import services

    m = services.measure_create(
        organisation=org,
        by=editor,
        name="Overdue risk reviews",
        kind="value",
        direction="decrease",
        target=200,
        unit_of_measurement="reviews",
    )
    values = [300, 310, 295, 305, 298, 302, 307, 299, 301, 296, 304, 300] + [
        240,
        236,
        244,
        238,
        241,
        239,
        243,
        237,
        242,
        240,
        238,
        241,
    ]
    rows = [services.ValueRow(m.pk, d, value=float(v)) for d, v in zip(months(24), values, strict=True)]
    services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    return m


@pytest.fixture
def proportion(org, editor):
    from wellled.measures import services

    m = services.measure_create(
        organisation=org,
        by=editor,
        name="Survey response rate",
        kind="proportion",
        direction="increase",
        target=35,
    )
    rows = [
        services.ValueRow(m.pk, d, numerator=300.0 + i, denominator=1000.0) for i, d in enumerate(months(15))
    ]
    services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    return m


@pytest.fixture
def foreign_measure(other_org, outsider):
    from wellled.measures import services

    m = services.measure_create(
        organisation=other_org, by=outsider, name="Southvale secret measure", kind="value"
    )
    services.values_load(
        organisation=other_org,
        by=outsider,
        source="seed.csv",
        rows=[services.ValueRow(m.pk, d, value=float(i)) for i, d in enumerate(months(14))],
    )
    return m


@pytest.fixture
def measure_objects(measure, editor):
    """One object of every kind a measure URL names."""
    from wellled.measures import services

    rebase = services.rebase_add(
        measure=measure, by=editor, date=datetime.date(2024, 1, 1), reason="New clinics"
    )
    return {"measure": measure, "rebase": rebase}
