"""The integrated performance report is honest about old figures and reads the staff survey against its benchmark
(issue 26): the page, the PDF and the Word file say the same."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.reports.test_paper_limits import docx_text, pdf_text

from wellled.measures.choices import Frequency, YearStart

pytestmark = pytest.mark.django_db


def _old_measure(org, editor):
    from wellled.measures import services

    m = services.measure_create(organisation=org, by=editor, name="Ward audit score", kind="value")
    rows = [services.ValueRow(m.pk, datetime.date(2025, month, 1), value=80.0 + month) for month in (5, 6, 7)]
    services.values_load(organisation=org, by=editor, rows=rows, source="audit.csv")
    return m


def _survey(org, editor):
    from wellled.measures import services

    m = services.measure_create(
        organisation=org,
        by=editor,
        name="Staff engagement score",
        kind="value",
        frequency=Frequency.ANNUAL,
        year_start=YearStart.CALENDAR,
    )
    year = timezone.localdate().year - 1
    services.values_load(
        organisation=org,
        by=editor,
        rows=[services.ValueRow(m.pk, datetime.date(year, 1, 1), value=6.9)],
        source="survey.csv",
    )
    rows = [
        services.SurveyScoreRow("engagement", 6.9, 6.8, 7.2, 6.5),
        services.SurveyScoreRow("morale", 5.4, 5.9, 6.3, 5.5),
    ]
    services.survey_scores_record(measure=m, by=editor, year=year, rows=rows)
    return m, year


def test_the_report_flags_an_old_latest_figure_and_never_calls_few_points_common_cause(org, editor):
    """Making Data Count: a latest figure more than two periods old is not the current position, and three points
    are too few for process limits (a baseline needs at least 12): the report says both, in every format."""
    from wellled.reports.ipr.kind import frozen_report, ipr_issue

    _old_measure(org, editor)
    issued = ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)
    report = frozen_report(issued)
    (m,) = report.measures
    assert m.out_of_date == "out of date (latest: July 2025)"
    assert "out of date (latest: July 2025)" in " ".join(m.facts)
    assert m.variation_text == "3 points: too few for process limits"
    for text in (
        pdf_text(bytes(issued.files.get(format="pdf").content)),
        docx_text(bytes(issued.files.get(format="docx").content)),
    ):
        assert "outofdate(latest:July2025)" in text
        # The verdict is never "common cause"; the PDF's chart is text too, so its key names the grey dots.
        assert "3points:toofewforprocesslimits" in text and "Commoncausevariation" not in text


def test_the_report_reads_the_survey_year_against_its_benchmark(org, editor, login, client):
    """NHS Staff Survey: the survey is named by its calendar year, and each score out of 10 is read against the
    benchmark group's median, best and worst; the IPR page and papers print them."""
    from wellled.reports.ipr.kind import frozen_report, ipr_issue

    _, year = _survey(org, editor)
    issued = ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)
    (m,) = frozen_report(issued).measures
    assert m.latest_period == str(year) and m.survey_year == str(year)
    assert [s.against for s in m.survey] == ["Above median", "Worst in group"]
    assert m.survey_lines[0] == f"The {year} staff survey against the benchmark group (scores out of 10):"
    pdf = pdf_text(bytes(issued.files.get(format="pdf").content))
    assert f"The{year}staffsurveyagainstthebenchmarkgroup" in pdf and "Morale:5.40" in pdf
    assert "Morale:5.40" in docx_text(bytes(issued.files.get(format="docx").content))
    page = login(editor).get(reverse("ipr")).content.decode()
    assert f"The {year} staff survey against the benchmark group" in page and "Worst in group" in page
    assert f'aria-label="The {year} staff survey against the benchmark group: Staff engagement score"' in page
