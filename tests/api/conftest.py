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
        **risk_objects(org, editor, objects["action"].lead),
        **qi_objects(org, editor, objects["action"].lead, measure),
    }


def risk_objects(org, editor, lead) -> dict:
    """A principal risk on the BAF owned by `lead`, above its category's appetite, with a control, an assurance on
    it and a review; made through the risks services."""
    from wellled.risks import services

    category = services.category_create(
        organisation=org, by=editor, name="Workforce", appetite="cautious", tolerance=12
    )
    objective = services.objective_create(
        organisation=org, by=editor, code="SO1", title="Safe, high-quality care"
    )
    risk = services.risk_create(
        organisation=org,
        by=editor,
        reference="CR1",
        title="Too few registered nurses on the night shift",
        inherent=(4, 5),
        current=(4, 4),
        target=(2, 3),
        opened_on=datetime.date(2026, 1, 5),
        owner=lead,
        category=category,
        controls=["Daily staffing huddle"],
    )
    risk = services.risk_baf_set(
        risk=risk,
        by=editor,
        expected_version=AS_IT_STANDS,
        principal=True,
        objective=objective,
        lead_committee="Quality and safety committee",
    )
    control = risk.controls.get()
    services.assurance_add(
        control=control, by=editor, source="Monthly safe staffing report", line="second", level="limited"
    )
    review = services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=AS_IT_STANDS,
        reviewed_on=datetime.date(2026, 2, 2),
        narrative="Agency use is down; vacancies remain.",
        likelihood=4,
        consequence=4,
    )
    return {
        "risk": risk,
        "control": control,
        "risk_review": review,
        "category": category,
        "objective": objective,
    }


def qi_objects(org, editor, lead, measure) -> dict:
    """A QI project led by `lead`, watching `measure`, with one PDSA cycle; made through the improvement services."""
    from wellled.improvement import services

    project = services.project_create(
        organisation=org,
        by=editor,
        title="Fewer missed appraisals",
        aim="Every member of staff appraised within the year by next March.",
        started_on=datetime.date(2026, 2, 1),
        lead=lead,
    )
    services.project_measure_link(project=project, by=editor, measure=measure, role="outcome")
    cycle = services.pdsa_record(
        project=project,
        by=lead,
        title="Appraisal reminders by text",
        plan="Text every member of staff a month before their appraisal is due.",
        prediction="Fewer appraisals are missed on the two pilot wards.",
        started_on=datetime.date(2026, 3, 2),
    )
    return {"project": project, "pdsa": cycle}
