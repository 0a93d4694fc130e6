"""Fixtures for the assessment app's tests. The engine's tests (test_scoring*.py) need no Django: run with
`-p no:django`, the Django tests here are left out instead of failing to import."""

from __future__ import annotations

import datetime

import pytest

from wellled.core.service_kit import AS_IT_STANDS


def pytest_ignore_collect(collection_path, config):
    if config.pluginmanager.has_plugin("django"):
        return None
    name = collection_path.name
    return name.startswith("test_") and name.endswith(".py") and not name.startswith("test_scoring")


@pytest.fixture
def cqc_saf(db):
    from wellled.frameworks.models import Framework

    return Framework.objects.get(key="cqc-saf", organisation__isnull=True)


@pytest.fixture
def kloes(db):
    from wellled.frameworks.models import Framework

    return Framework.objects.get(key="nhs-well-led-2017", organisation__isnull=True)


@pytest.fixture
def site(org):
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    return organisation_unit_create(
        organisation=org, kind=UnitKind.SITE, name="Northmoor Test General", code="ZNT11", by=None
    )


@pytest.fixture
def service(org):
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    return organisation_unit_create(
        organisation=org, kind=UnitKind.SERVICE, name="Children's services", by=None
    )


@pytest.fixture
def make_assessment(org, editor, cqc_saf):
    """An assessment of `org` (default: a CQC assessment of the trust against the CQC framework, in draft)."""

    def _make(**fields):
        from wellled.assessments import services
        from wellled.assessments.choices import AssessorKind

        fields.setdefault("framework", cqc_saf)
        fields.setdefault("assessed_on", datetime.date(2026, 3, 1))
        fields.setdefault("assessor_kind", AssessorKind.CQC)
        return services.assessment_create(
            organisation=fields.pop("organisation", org), by=fields.pop("by", editor), **fields
        )

    return _make


@pytest.fixture
def published_self_assessment(make_assessment, editor, kloes):
    """A published self-assessment of the trust against the 2017 KLOEs: 24 of 32 = 75%, good."""
    from tests.assessments.helpers import WELL_LED_24, score

    from wellled.assessments import services
    from wellled.assessments.choices import AssessorKind

    assessment = make_assessment(framework=kloes, assessor_kind=AssessorKind.SELF_ASSESSMENT)
    score(assessment, editor, WELL_LED_24)
    return services.assessment_publish(assessment=assessment, by=editor, expected_version=AS_IT_STANDS)
