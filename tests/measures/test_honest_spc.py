"""Honest SPC on measures (issue 26): too few points for limits, out-of-date latest figures, annual measures as run
charts, and the NHS Staff Survey named by its calendar year and read against its benchmark group."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wellled.measures import selectors, services
from wellled.measures.choices import CALENDAR_YEAR, Frequency, YearStart
from wellled.measures.importers import parse_period
from wellled.measures.periods import normalise_period, out_of_date_text, period_label
from wellled.spc import Variation

from .conftest import months

D = datetime.date
pytestmark = pytest.mark.django_db


def _short_measure(org, editor, n: int, name: str = "Ward audit score"):
    m = services.measure_create(organisation=org, by=editor, name=name, kind="value", direction="increase")
    rows = [services.ValueRow(m.pk, d, value=80.0 + i % 3) for i, d in enumerate(months(n))]
    services.values_load(organisation=org, by=editor, rows=rows, source="seed.csv")
    return m


def _survey_measure(org, editor, year_start=YearStart.CALENDAR):
    m = services.measure_create(
        organisation=org,
        by=editor,
        name="Staff engagement (staff survey)",
        kind="value",
        direction="increase",
        frequency=Frequency.ANNUAL,
        year_start=year_start,
        unit_of_measurement="score out of 10",
    )
    rows = [
        services.ValueRow(m.pk, D(year, 1, 1), value=v)
        for year, v in ((2021, 6.6), (2022, 6.7), (2023, 6.5), (2024, 6.8))
    ]
    services.values_load(organisation=org, by=editor, rows=rows, source="survey.csv")
    return m


SCORES = [
    services.SurveyScoreRow("compassionate", 7.3, 7.2, 7.6, 6.9),
    services.SurveyScoreRow("engagement", 6.8, 6.8, 7.2, 6.5),
    services.SurveyScoreRow("morale", 5.4, 5.9, 6.3, 5.5),
]


def test_a_short_series_is_never_common_cause_on_pages(org, editor, login, client):
    """Making Data Count (NHS England): limits need a baseline of at least 12 points; a shorter series is read as a
    run chart and says "n points: too few for process limits", never "common cause variation"."""
    m = _short_measure(org, editor, 4)
    page = selectors.measure_page(user=editor, organisation=org, pk=m.pk)
    assert page.result is not None and page.result.variation is Variation.TOO_FEW_POINTS
    assert page.variation_text == "4 points: too few for process limits"
    summary = selectors.summarise([m])[m.pk]
    assert summary.variation is Variation.TOO_FEW_POINTS and summary.variation_short == page.variation_text
    login(editor)
    html = client.get(reverse("measure-detail", args=[m.pk])).content.decode()
    assert "4 points: too few for process limits" in html and "Common cause variation" not in html
    listing = client.get(reverse("measure-list")).content.decode()
    assert "4 points: too few for process limits" in listing
    summary_page = client.get(reverse("measure-summary")).content.decode()
    assert "Too few points for process limits" in summary_page
    assert selectors.summary_matrix(user=editor, organisation=org).row_count(Variation.TOO_FEW_POINTS) == 1


def test_twelve_points_get_limits(org, editor):
    """Making Data Count: from a 12-point baseline the chart has process limits and a variation verdict."""
    m = _short_measure(org, editor, 12)
    page = selectors.measure_page(user=editor, organisation=org, pk=m.pk)
    assert page.result.variation is not Variation.TOO_FEW_POINTS
    assert page.result.upper_limit[-1] == page.result.upper_limit[-1]  # a number, not NaN


@pytest.mark.parametrize(
    ("latest", "frequency", "as_at", "text"),
    [
        (D(2025, 7, 1), Frequency.MONTHLY, D(2025, 9, 15), ""),  # two months behind: the usual lag
        (D(2025, 7, 1), Frequency.MONTHLY, D(2025, 10, 15), "out of date (latest: July 2025)"),
        (D(2024, 4, 1), Frequency.ANNUAL, D(2026, 9, 1), ""),
        (D(2023, 4, 1), Frequency.ANNUAL, D(2026, 9, 1), "out of date (latest: 2023/24)"),
        (D(2021, 1, 1), CALENDAR_YEAR, D(2026, 12, 1), "out of date (latest: 2021)"),
    ],
)
def test_a_latest_figure_older_than_its_frequency_allows_is_out_of_date(latest, frequency, as_at, text):
    """Making Data Count: a chart is read as at its latest data, so a latest figure more than two periods behind
    the report's date is not shown as current."""
    assert out_of_date_text(latest, frequency, as_at) == text


def test_the_summary_and_page_flag_an_old_latest_value(org, editor):
    """Making Data Count: a figure from long ago is not the current position; every reader says how old it is."""
    m = _short_measure(org, editor, 14)  # months of 2023 and early 2024
    summary = selectors.summarise([m], until=D(2025, 3, 31))[m.pk]
    assert summary.out_of_date == "out of date (latest: February 2024)"
    assert "out of date" in summary.latest_period_text
    assert selectors.summarise([m], until=D(2024, 3, 31))[m.pk].out_of_date == ""


def test_the_2024_survey_is_labelled_2024_not_2023_24(org, editor):
    """NHS Staff Survey: the survey is named by the calendar year of its autumn fieldwork ("the 2024 survey"), so
    an annual staff survey figure dated in 2024 is filed and labelled 2024."""
    m = _survey_measure(org, editor)
    assert m.period_kind == CALENDAR_YEAR
    assert normalise_period(D(2024, 1, 1), m.period_kind) == D(2024, 1, 1)
    assert normalise_period(D(2024, 11, 20), m.period_kind) == D(2024, 1, 1)
    assert period_label(D(2024, 1, 1), m.period_kind) == "2024"
    assert parse_period("2024") == D(2024, 1, 1)
    summary = selectors.summarise([m], until=D(2025, 6, 1))[m.pk]
    assert summary.latest_period == D(2024, 1, 1) and summary.latest_period_text == "2024"
    # A financial-year annual measure still files 1 January 2024 under 2023/24.
    assert normalise_period(D(2024, 1, 1), Frequency.ANNUAL) == D(2023, 4, 1)


def test_annual_measures_are_run_charts_by_default(org, editor):
    """Making Data Count: XmR limits need a dozen points, a dozen years for an annual figure, so an annual measure
    is a run chart read against its benchmark."""
    m = _survey_measure(org, editor, year_start=YearStart.FINANCIAL)
    assert m.chart == "run"


def test_survey_scores_against_the_benchmark_are_recorded_and_shown(org, editor, login, client):
    """NHS Staff Survey: each People Promise element, engagement and morale is scored out of 10 and read against
    the benchmark group's median, best and worst."""
    m = _survey_measure(org, editor)
    services.survey_scores_record(measure=m, by=editor, year=2024, rows=SCORES)
    scores = selectors.survey_scores(m)
    assert [s.element for s in scores] == ["compassionate", "engagement", "morale"]
    assert {s.period for s in scores} == {D(2024, 1, 1)}
    assert [s.against_benchmark for s in scores] == ["Above median", "At median", "Worst in group"]
    # Recording the year again replaces its scores, never duplicates them.
    services.survey_scores_record(measure=m, by=editor, year=2024, rows=SCORES[:1])
    assert m.survey_scores.count() == 3
    login(editor)
    html = client.get(reverse("measure-detail", args=[m.pk])).content.decode()
    assert "The 2024 staff survey against the benchmark group" in html and "Above median" in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (services.SurveyScoreRow("happiness", 7, 7, 8, 6), "not a staff survey element"),
        (services.SurveyScoreRow("team", 11, 7, 8, 6), "out of 10"),
        (services.SurveyScoreRow("team", 7, 9, 8, 6), "between its worst and best"),
    ],
)
def test_survey_scores_refuse_impossible_figures(org, editor, row, message):
    """NHS Staff Survey: scores are out of 10 and a benchmark's median lies between its worst and best."""
    m = _survey_measure(org, editor)
    with pytest.raises(ValidationError, match=message):
        services.survey_scores_record(measure=m, by=editor, year=2024, rows=[row])
    assert not m.survey_scores.exists()


def test_survey_scores_stay_in_their_organisation(org, editor, outsider, foreign_measure):
    """Every organisation sees and writes only its own survey results."""
    from django.core.exceptions import PermissionDenied

    m = _survey_measure(org, editor)
    with pytest.raises(PermissionDenied):
        services.survey_scores_record(measure=m, by=outsider, year=2024, rows=SCORES)
    services.survey_scores_record(measure=m, by=editor, year=2024, rows=SCORES)
    assert selectors.latest_survey_years([foreign_measure.pk]) == {}
    with pytest.raises(Exception):  # noqa: B017, PT011 (a 404 of the scoped read)
        selectors.measure_page(user=outsider, organisation=org, pk=m.pk)


def test_the_demo_staff_survey_is_yearly_by_calendar_year_against_its_benchmark(db):
    """Making Data Count advises against charting a rolling sample monthly as if each month were independent; the
    NHS Staff Survey is yearly, named by its calendar year, and scored for the seven People Promise elements,
    engagement and morale against the benchmark group. The demo follows both."""
    from wellled.demo.measures import measures_demo_load
    from wellled.demo.plans import demo_load
    from wellled.measures.models import Measure

    demo_load()
    measures_demo_load()
    m = Measure.objects.get(name="Staff engagement score")
    assert m.period_kind == CALENDAR_YEAR and m.chart == "run"
    assert "rolling" not in m.definition
    assert {v.period.month for v in m.values.all()} == {1} and m.values.count() == 5
    scores = selectors.survey_scores(m)
    assert len(scores) == 9 and {s.period for s in scores} == {m.values.order_by("-period")[0].period}
    assert not any("rolling" in d for d in Measure.objects.values_list("definition", flat=True))
