"""Property: every registered paper kind issues over generated data (nothing at all, one point, gaps in a series,
empty text), and what it stores reads back as the paper it rendered (ADR 0043)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import make_organisation, make_person, make_plan

from wellled.core.choices import Role
from wellled.information import services as information_services
from wellled.measures import services as measure_services
from wellled.reports.ipr.kind import ipr_issue
from wellled.reports.models import IssuedPaper
from wellled.reports.papers.pipeline import frozen_paper
from wellled.reports.papers.registry import kind_get
from wellled.reports.services import paper_issue
from wellled.risks import services as risk_services
from wellled.risks.paper_kind import baf_paper_issue

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A series: each month a value or a gap (None); empty and one-point series included.
series = st.lists(st.one_of(st.none(), st.floats(0, 500, allow_nan=False, allow_infinity=False)), max_size=4)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


def _trust():
    org = make_organisation()
    return org, make_person(org, role=Role.ADMINISTRATOR)


def _checked(issued: IssuedPaper) -> None:
    kind = kind_get(issued.kind)
    assert issued.data_intact and all(f.intact for f in issued.files.all())
    assert {f.format for f in issued.files.all()} >= set(kind.formats)
    assert kind.to_data(frozen_paper(issued)) == issued.data


def _months_back(n: int) -> list[datetime.date]:
    first = timezone.localdate().replace(day=1)
    days = []
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        days.append(first)
    return days[::-1]


def _measure(org, by, name: str, values: list[float | None]):
    measure = measure_services.measure_create(
        organisation=org, by=by, name=name or "Measure", kind="value", direction="increase", target=None
    )
    rows = [
        measure_services.ValueRow(measure.pk, day, value=v)
        for day, v in zip(_months_back(len(values)), values, strict=True)
        if v is not None
    ]
    if rows:
        measure_services.values_load(organisation=org, by=by, source="test", rows=rows)
    return measure


@SETTINGS
@given(actions=st.integers(0, 2))
def test_the_board_paper_issues_over_generated_plans(db, actions):
    org, admin = _trust()
    plan = make_plan(org, admin, actions=actions, lead=admin)
    _checked(paper_issue(plan=plan, cycle_or_as_at=timezone.localdate(), by=admin))


@SETTINGS
@given(values=series, second=series)
def test_the_performance_report_issues_over_generated_series(db, values, second):
    org, admin = _trust()
    _measure(org, admin, "First", values)
    _measure(org, admin, "Second", second)
    _checked(ipr_issue(organisation=org, as_at=timezone.localdate(), by=admin))


@SETTINGS
@given(titles=st.lists(texts.filter(str.strip), max_size=2), gaps=texts)
def test_the_baf_issues_over_generated_risks(db, titles, gaps):
    org, admin = _trust()
    objective = risk_services.objective_create(organisation=org, by=admin, code="SO1", title="Safe care")
    for title in titles:
        risk = risk_services.risk_create(
            organisation=org,
            by=admin,
            title=title.strip(),
            inherent=(4, 5),
            current=(3, 4),
            target=(2, 3),
            opened_on=timezone.localdate(),
            gaps_in_control=gaps,
        )
        risk_services.risk_baf_set(
            risk=risk, by=admin, expected_version=risk.version, principal=True, objective=objective
        )
    _checked(baf_paper_issue(organisation=org, as_at=timezone.localdate(), by=admin))


@SETTINGS
@given(values=series, kind=st.sampled_from(["measures", "risks", "ratings"]))
def test_an_answer_issues_over_generated_requests(db, values, kind):
    org, admin = _trust()
    measure = _measure(org, admin, "Asked for", values)
    today = timezone.localdate()
    parameters = {"as_at": today, **({"measures": [measure.pk]} if kind == "measures" else {})}
    request = information_services.request_register(
        organisation=org,
        by=admin,
        subject=org,
        question="What do you hold?",
        received_on=today,
        due_on=today,
        kind=kind,
        parameters=parameters,
        asked_by_name="Commissioner",
        asked_by_email="asks@example.org",
    )
    outcome = information_services.answer_produce(request=request, by=admin)
    _checked(outcome.answer.paper)
