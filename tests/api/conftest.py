"""API test data: one object of every kind the API serves, in `org`, and tokens for its people."""

from __future__ import annotations

import datetime

import pytest

from wellled.core.service_kit import AS_IT_STANDS


@pytest.fixture
def token_for(db):
    """A personal access token's text for a person in their organisation, made through the service."""

    def _token(user, organisation=None):
        from wellled.api.services import token_create
        from wellled.core.models import Membership

        organisation = organisation or Membership.objects.filter(user=user).first().organisation
        return token_create(user=user, organisation=organisation, name="Tests", by=user)[1]

    return _token


@pytest.fixture
def api(client, token_for):
    """A client calling the API with a person's token: api(user).get(url) and so on."""

    class Caller:
        def __init__(self, raw: str):
            self.headers = {"Authorization": f"Bearer {raw}"}

        def get(self, url, **kwargs):
            return client.get(url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

        def patch(self, url, data, **kwargs):
            return client.patch(
                url,
                data,
                content_type="application/json",
                headers={**self.headers, **kwargs.pop("headers", {})},
                **kwargs,
            )

        def post(self, url, data, **kwargs):
            return client.post(
                url,
                data,
                content_type="application/json",
                headers={**self.headers, **kwargs.pop("headers", {})},
                **kwargs,
            )

    return lambda user: Caller(token_for(user))


@pytest.fixture
def api_objects(objects, org, editor):
    """Every kind of object the API serves, in `org`: the plan objects, a measure with values, an assessment
    published with its ratings."""
    from tests.assessments.helpers import WELL_LED_24, score

    from wellled.assessments import services as assessment_services
    from wellled.assessments.choices import AssessorKind
    from wellled.assessments.models import PublishedRating
    from wellled.frameworks.models import Framework
    from wellled.measures import services as measure_services

    measure = measure_services.measure_create(
        organisation=org, by=editor, name="Staff survey response rate", kind="value", target=60
    )
    rows = [
        measure_services.ValueRow(measure.pk, datetime.date(2025, month, 1), value=50.0 + month)
        for month in range(1, 13)
    ]
    measure_services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    kloes = Framework.objects.get(key="nhs-well-led-2017", organisation__isnull=True)
    assessment = assessment_services.assessment_create(
        organisation=org,
        by=editor,
        framework=kloes,
        assessed_on=datetime.date(2026, 3, 1),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
    )
    score(assessment, editor, WELL_LED_24)
    assessment = assessment_services.assessment_publish(
        assessment=assessment, by=editor, expected_version=AS_IT_STANDS
    )
    return {
        **objects,
        "measure": measure,
        "assessment": assessment,
        "rating": PublishedRating.objects.filter(organisation=org).first(),
        "organisation": org,
    }
