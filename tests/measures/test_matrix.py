"""The board's summary matrix: the right bucket for known series, the same icons as one chart at a time, and a
constant number of queries however many measures there are."""

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wellled.core.models import AuditLog
from wellled.measures import selectors, services
from wellled.measures.models import Measure, MeasureValue
from wellled.spc import Assurance, Variation

from .conftest import months

pytestmark = pytest.mark.django_db


def _bucket(matrix, measure):
    return next(key for key, cell in matrix.cells.items() if any(s.measure.pk == measure.pk for s in cell))


def test_a_downward_shift_where_lower_is_better_is_improvement_low(org, editor, measure):
    matrix = selectors.summary_matrix(user=editor, organisation=org)
    # 12 points at ~240 after ~300: a shift below the mean; target 200 below the lower limit -> failing.
    assert _bucket(matrix, measure) == (Variation.IMPROVEMENT_LOW, Assurance.FAIL)


def test_a_rebase_makes_the_shift_the_new_normal(org, editor, measure):
    services.rebase_add(measure=measure, by=editor, date=months(13)[12], reason="New clinics")
    matrix = selectors.summary_matrix(user=editor, organisation=org)
    assert _bucket(matrix, measure)[0] == Variation.COMMON_CAUSE


def test_a_rising_value_where_lower_is_better_is_concern_and_a_met_target_passes(org, editor):
    m = services.measure_create(
        organisation=org,
        by=editor,
        name="Days to fill a post",
        kind="value",
        direction="decrease",
        target=500,
    )
    values = [60, 61, 59, 60, 62, 58, 60, 61, 59, 60, 70, 71, 72, 70, 71, 73, 72]
    services.values_load(
        organisation=org,
        by=editor,
        source="x",
        rows=[services.ValueRow(m.pk, d, value=float(v)) for d, v in zip(months(17), values, strict=True)],
    )
    matrix = selectors.summary_matrix(user=editor, organisation=org)
    assert _bucket(matrix, m) == (Variation.CONCERN_HIGH, Assurance.PASS)


def test_a_measure_without_data_is_listed_apart(org, editor):
    m = services.measure_create(organisation=org, by=editor, name="Not started", kind="value")
    matrix = selectors.summary_matrix(user=editor, organisation=org)
    assert [s.measure for s in matrix.no_data] == [m]


def test_the_batch_gives_the_same_icons_as_each_chart_on_its_own(org, editor):
    rng = np.random.default_rng(3)
    made = []
    for i, (kind, direction) in enumerate(
        [
            ("value", "increase"),
            ("value", "decrease"),
            ("value", "neutral"),
            ("proportion", "increase"),
            ("proportion", "decrease"),
            ("rate", "decrease"),
            ("count", "increase"),
            ("count", "decrease"),
        ]
    ):
        m = services.measure_create(
            organisation=org,
            by=editor,
            name=f"M{i}",
            kind=kind,
            direction=direction,
            target=float(rng.uniform(5, 60)),
        )
        rows = []
        for j, d in enumerate(months(30)):
            level = 20 + (15 if j > 18 else 0) * (1 if i % 2 else -0.5)
            if kind in ("proportion", "rate"):
                rows.append(
                    services.ValueRow(
                        m.pk, d, numerator=float(rng.binomial(200, level / 100)), denominator=200.0
                    )
                )
            elif j == 5:
                rows.append(services.ValueRow(m.pk, d))  # a gap
            else:
                rows.append(services.ValueRow(m.pk, d, value=float(rng.poisson(level))))
        services.values_load(organisation=org, by=editor, source="x", rows=rows)
        made.append(m)
    services.rebase_add(measure=made[0], by=editor, date=months(20)[19], reason="r")
    summaries = selectors.summarise(list(Measure.objects.filter(organisation=org)))
    for m in made:
        page = selectors.measure_page(user=editor, organisation=org, pk=m.pk)
        assert (summaries[m.pk].variation, summaries[m.pk].assurance) == (
            page.result.variation,
            page.result.assurance,
        ), m.name


def _many(org, editor, n):
    base = Measure.objects.filter(organisation=org).count()
    measures = Measure.objects.bulk_create(
        [Measure(organisation=org, name=f"Bulk {base + i}", kind="value") for i in range(n)]
    )
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    MeasureValue.objects.bulk_create(
        [
            MeasureValue(measure=m, period=d, value=float((i * 7 + j) % 11), updated_at=now)
            for i, m in enumerate(measures)
            for j, d in enumerate(months(60))
        ]
    )


@pytest.mark.parametrize("n", [20, 200])
def test_the_summary_page_costs_a_constant_number_of_queries(login, org, editor, n):
    client = login(editor)
    client.get("/measures/summary/")  # warm up caches (content types, sessions)
    _many(org, editor, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/measures/summary/").status_code == 200
    _many(org, editor, n)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/measures/summary/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/measures/') >= n
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_matrix_filters_by_directorate_owner_and_framework_element(org, editor, lead, measure):
    from wellled.core.services import organisation_unit_create

    unit = organisation_unit_create(organisation=org, kind="directorate", name="Maternity", by=editor)
    other = services.measure_create(
        organisation=org, by=editor, name="Maternity measure", kind="value", unit=unit, owner=lead
    )
    only_unit = selectors.summary_matrix(
        user=editor, organisation=org, filters=selectors.MatrixFilters(unit=str(unit.pk))
    )
    assert [s.measure for s in only_unit.summaries] == [other]
    only_owner = selectors.summary_matrix(
        user=editor, organisation=org, filters=selectors.MatrixFilters(owner=str(lead.pk))
    )
    assert [s.measure for s in only_owner.summaries] == [other]
    none = selectors.summary_matrix(
        user=editor, organisation=org, filters=selectors.MatrixFilters(element="999999")
    )
    assert none.summaries == []


def test_the_matrix_shows_nothing_of_another_organisation(org, editor, foreign_measure, measure):
    matrix = selectors.summary_matrix(user=editor, organisation=org)
    assert foreign_measure.pk not in {s.measure.pk for s in matrix.summaries}
    assert selectors.summary_matrix(user=editor, organisation=foreign_measure.organisation).summaries == []


def test_a_rebase_is_audited_as_a_creation_with_its_reason(org, editor, measure):
    rebase = services.rebase_add(measure=measure, by=editor, date=months(13)[12], reason=" New clinics ")
    record = AuditLog.objects.get(object_id=str(rebase.pk), action="create", note__startswith="Rebase")
    assert record.note == "Rebase: New clinics" and record.actor == editor and record.organisation == org
