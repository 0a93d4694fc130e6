"""Fixtures for the risk tests: a category, an objective and a risk owned by the lead, made through the services."""

import datetime

import pytest

from wellled.core.choices import UnitKind
from wellled.core.models import OrganisationUnit


def make_risk(organisation, by, **fields):
    from wellled.risks import services

    fields.setdefault("title", "Staff shortages in the emergency department")
    fields.setdefault("inherent", (4, 5))
    fields.setdefault("current", (3, 4))
    fields.setdefault("target", (2, 3))
    fields.setdefault("opened_on", datetime.date(2026, 1, 5))
    return services.risk_create(organisation=organisation, by=by, **fields)


@pytest.fixture
def directorate(org):
    return OrganisationUnit.objects.create(organisation=org, kind=UnitKind.DIRECTORATE, name="Medicine")


@pytest.fixture
def category(org, editor):
    from wellled.risks import services

    return services.category_create(
        organisation=org, by=editor, name="Workforce", appetite="cautious", tolerance=12
    )


@pytest.fixture
def objective(org, editor):
    from wellled.risks import services

    return services.objective_create(organisation=org, by=editor, code="SO1", title="Safe, high-quality care")


@pytest.fixture
def risk(org, editor, lead, category, directorate):
    return make_risk(
        org,
        editor,
        owner=lead,
        category=category,
        unit=directorate,
        reference="R1",
        controls=["Daily staffing huddle"],
    )
