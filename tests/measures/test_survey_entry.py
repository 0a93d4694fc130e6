"""Entering and importing an NHS Staff Survey result (issue 26): the survey named by its calendar year ("the 2024
survey"), its People Promise elements, staff engagement and morale each out of 10 against the benchmark group's
median, best and worst; typed on a page or imported from a spreadsheet, all or nothing."""

from __future__ import annotations

import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from wellled.core.workbook import opened_workbook
from wellled.measures import importers, selectors, services
from wellled.measures.choices import SURVEY_ELEMENTS, Frequency, YearStart
from wellled.measures.models import SurveyScore

D = datetime.date
pytestmark = pytest.mark.django_db

HEADER = "survey year,element,score,benchmark median,benchmark best,benchmark worst\n"


def _survey(org, by, *, year_start=YearStart.CALENDAR, name="Staff survey results"):
    return services.measure_create(
        organisation=org,
        by=by,
        name=name,
        kind="value",
        frequency=Frequency.ANNUAL,
        year_start=year_start,
        unit_of_measurement="score out of 10",
    )


def _entry(year, **elements) -> dict:
    data = {"year": str(year), "seen": ""}
    for key, (score, median, best, worst) in elements.items():
        data.update(
            {f"{key}_score": score, f"{key}_median": median, f"{key}_best": best, f"{key}_worst": worst}
        )
    return data


def _seen(response) -> str:
    """What the form saw of the year's stored scores (its hidden field)."""
    found = re.search(
        r'name="seen"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="seen"', response.content.decode()
    )
    assert found is not None
    return unescape(found[1] or found[2])


def _upload(client, measure, text: str, name="survey.csv"):
    file = io.BytesIO(text.encode())
    file.name = name
    return client.post(reverse("measure-survey-upload", args=[measure.pk]), {"file": file})


def test_the_2024_survey_is_entered_on_its_page_and_shown_against_the_benchmark(org, editor, login, client):
    """NHS Staff Survey: "the 2024 survey" is filed as 2024 (its calendar year), and each element's score is read
    against the benchmark group's median, best and worst, in words as well as figures."""
    m = _survey(org, editor)
    login(editor)
    page = client.get(reverse("measure-survey", args=[m.pk]))
    assert page.status_code == 200 and "We are compassionate and inclusive" in page.content.decode()
    assert client.get(reverse("measure-survey", args=[m.pk]) + "?year=²²²²").status_code == 200
    answer = client.post(
        reverse("measure-survey", args=[m.pk]),
        _entry(2024, team=("6.9", "6.7", "7.1", "6.3"), morale=("5.5", "5.9", "6.3", "5.5")),
    )
    assert answer.status_code == 302
    scores = selectors.survey_scores(m)
    assert {s.period for s in scores} == {D(2024, 1, 1)}
    assert [(s.element, s.against_benchmark) for s in scores] == [
        ("team", "Above median"),
        ("morale", "Worst in group"),
    ]
    html = client.get(reverse("measure-detail", args=[m.pk])).content.decode()
    assert "The 2024 staff survey against the benchmark group" in html and "2023/24" not in html
    assert (
        'id="survey-chart"' in html
        and 'aria-label="The 2024 staff survey against the benchmark group"' in html
    )


def test_the_survey_chart_draws_each_element_against_its_group_and_escapes_text():
    """NHS Staff Survey: each element is read against the benchmark group's range and median; the chart draws the
    group's worst to best, its median and the trust's score, and the table says the same in words."""
    from wellled.measures.jinja import survey_chart

    svg = str(
        survey_chart([("We are a team", 6.9, 6.3, 6.7, 7.1), ("Morale", 5.4, 5.5, 5.9, 6.3)], "<b>2024</b>")
    )
    assert svg.count("<circle") == 3  # two scores and the key's
    assert "&lt;b&gt;2024&lt;/b&gt;" in svg and "<b>" not in svg
    assert str(survey_chart([], "nothing")) == ""


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(2024, team=("6.9", "", "7.1", "6.3")), "We are a team: the benchmark median, or leave"),
        (_entry(2024, team=("12", "6.7", "7.1", "6.3")), "from 0 to 10"),
        (_entry(2024, team=("6.9", "7.5", "7.1", "6.3")), "median must lie between the worst and best"),
        (_entry(2024), "at least one element"),
        ({"year": "", "seen": ""}, "Enter the survey year"),
        ({"year": "9" * 30, "seen": ""}, "has not run yet"),
        ({"year": "1999", "seen": ""}, "from 2003"),
    ],
)
def test_the_entry_form_names_the_element_and_figure_that_is_wrong(
    org, editor, login, client, entry, message
):
    """NHS Staff Survey: every score and benchmark figure is out of 10, and a benchmark median lies between the
    group's worst and best; a mistake is named by its element and figure, and nothing is saved."""
    m = _survey(org, editor)
    login(editor)
    answer = client.post(reverse("measure-survey", args=[m.pk]), entry)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not SurveyScore.objects.filter(measure=m).exists()


def test_a_survey_year_changed_meanwhile_is_not_overwritten(org, editor, login, client):
    """Two people entering the same survey year: the second save is refused, never a silent overwrite."""
    m = _survey(org, editor)
    login(editor)
    services.survey_scores_record(
        measure=m, by=editor, year=2024, rows=[services.SurveyScoreRow("team", 6.9, 6.7, 7.1, 6.3)]
    )
    seen = _seen(client.get(reverse("measure-survey", args=[m.pk]) + "?year=2024"))
    assert seen.startswith("2024|")
    services.survey_scores_record(
        measure=m, by=editor, year=2024, rows=[services.SurveyScoreRow("team", 7.0, 6.7, 7.1, 6.3)]
    )
    stale = {**_entry(2024, team=("6.5", "6.7", "7.1", "6.3")), "seen": seen}
    answer = client.post(reverse("measure-survey", args=[m.pk]), stale)
    assert answer.status_code == 400 and "changed by someone else" in answer.content.decode()
    assert selectors.survey_scores(m)[0].score == 7.0
    # A year the form did not show is expected to hold nothing yet.
    fresh = {**_entry(2024, team=("6.5", "6.7", "7.1", "6.3")), "seen": "2023|"}
    assert client.post(reverse("measure-survey", args=[m.pk]), fresh).status_code == 400
    # Told, and saving again from the refreshed form, is a deliberate choice.
    again = {**stale, "seen": _seen(answer)}
    assert client.post(reverse("measure-survey", args=[m.pk]), again).status_code == 302
    assert selectors.survey_scores(m)[0].score == 6.5


def test_survey_results_need_an_annual_measure_counted_in_calendar_years(org, editor, login, client):
    """NHS Staff Survey: named by the calendar year of its fieldwork, so a measure counted in financial years
    (which would file the 2024 survey under 2024/25) is refused, with what to change."""
    m = _survey(org, editor, year_start=YearStart.FINANCIAL)
    row = services.SurveyScoreRow("team", 6.9, 6.7, 7.1, 6.3)
    with pytest.raises(services.ValidationError, match="calendar year"):
        services.survey_scores_record(measure=m, by=editor, year=2024, rows=[row])
    login(editor)
    html = client.get(reverse("measure-survey", args=[m.pk])).content.decode()
    assert "cannot hold survey results yet" in html and "calendar years" in html


def test_a_spreadsheet_imports_several_survey_years(org, editor, login, client):
    """NHS Staff Survey: each year's benchmark report gives a score per element with the group's median (average),
    best and worst; a file of two survey years files each under its own calendar year."""
    m = _survey(org, editor)
    login(editor)
    text = HEADER + (
        "2023,We are a team,6.7,6.6,7.0,6.2\n"
        "2024,We are a team,6.9,6.7,7.1,6.3\n"
        "the 2024 survey,staff engagement,6.8,6.8,7.2,6.5\n"
        "2024,Morale,5.4,5.9,6.3,5.3\n"
    )
    answer = _upload(client, m, text)
    assert answer.status_code == 302
    years = selectors.survey_years(m)
    assert list(years) == [2024, 2023]
    assert [s.element for s in years[2024]] == ["team", "engagement", "morale"]
    # Exported with each row labelled by its survey year, in the import's layout: it can be imported again.
    exported = client.get(reverse("measure-survey-xlsx", args=[m.pk]))
    with opened_workbook(exported.content) as book:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (
        "survey year",
        "element",
        "score",
        "benchmark median",
        "benchmark best",
        "benchmark worst",
    )
    assert rows[1][:2] == (2023, "We are a team") and {r[0] for r in rows[1:]} == {2023, 2024}
    again = importers.parse_survey_upload(name="survey.xlsx", data=exported.content)
    assert again.ok and sorted(again.years) == [2023, 2024]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            "2024,We are happy,6.9,6.7,7.1,6.3\n",
            "Row 2, column ‘element’: ‘We are happy’ is not a staff survey",
        ),
        (
            "2024,We are a team,eleven,6.7,7.1,6.3\n",
            "Row 2, column ‘score’: ‘eleven’: enter a score out of 10",
        ),
        ("2024,We are a team,6.9,6.7,,6.3\n", "Row 2, column ‘benchmark best’"),
        ("2024,We are a team,6.9,7.5,7.1,6.3\n", "Row 2, column ‘benchmark median’: The benchmark's median"),
        (
            "24/25,We are a team,6.9,6.7,7.1,6.3\n",
            "Row 2, column ‘survey year’: ‘24/25’ is not a survey year",
        ),
        ("2099,We are a team,6.9,6.7,7.1,6.3\n", "Row 2, column ‘survey year’: ‘2099’ is not a survey year"),
        ("2024,=HYPERLINK(1),6.9,6.7,7.1,6.3\n", "looks like a spreadsheet formula"),
        (
            "2024,We are a team,6.9,6.7,7.1,6.3\n2024,we are a team,6.9,6.7,7.1,6.3\n",
            "Row 3, column ‘element’: The 2024 survey's We are a team is already on row 2",
        ),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_saved(org, editor, login, client, body, where):
    """An import is all or nothing: one wrong row (an unknown element, a figure not out of 10, a median outside
    the benchmark group's range) is named by its row and column, and no row of the file is saved."""
    m = _survey(org, editor)
    login(editor)
    answer = _upload(client, m, HEADER + "2024,Morale,5.4,5.9,6.3,5.3\n" + body.replace("Row 2", "Row 3"))
    html = unescape(answer.content.decode())
    assert answer.status_code == 400 and "nothing has been saved" in html
    shifted = where.replace("Row 3", "Row 4").replace("Row 2", "Row 3").replace("row 2", "row 3")
    assert shifted in html
    assert not SurveyScore.objects.filter(measure=m).exists()


def test_a_file_without_the_columns_says_which_are_missing(org, editor, login, client):
    """The first row names the columns; a missing one is named."""
    m = _survey(org, editor)
    login(editor)
    answer = _upload(client, m, "year,element,score\n2024,Morale,5.4\n")
    assert answer.status_code == 400 and "There is no ‘benchmark median’ column" in answer.content.decode()


def test_survey_pages_are_the_trusts_own_and_editors_only(org, editor, viewer, outsider, login, client):
    """Every organisation sees and writes only its own survey results; a viewer reads them but cannot write."""
    m = _survey(org, editor)
    services.survey_scores_record(
        measure=m, by=editor, year=2024, rows=[services.SurveyScoreRow("team", 6.9, 6.7, 7.1, 6.3)]
    )
    urls = [
        reverse(n, args=[m.pk]) for n in ("measure-survey", "measure-survey-upload", "measure-survey-xlsx")
    ]
    login(outsider)
    for url in urls:
        assert client.get(url).status_code in (404, 405)
    assert client.post(urls[0], _entry(2024, team=("1", "1", "1", "1"))).status_code == 404
    assert _upload(client, m, HEADER + "2024,Morale,5.4,5.9,6.3,5.3\n").status_code == 404
    client.logout()
    login(viewer)
    assert client.post(urls[0], _entry(2024, team=("1", "1", "1", "1"))).status_code == 403
    assert _upload(client, m, HEADER + "2024,Morale,5.4,5.9,6.3,5.3\n").status_code == 403
    assert client.get(urls[2]).status_code == 200
    assert [s.score for s in SurveyScore.objects.filter(measure=m)] == [6.9]


def test_every_element_of_the_survey_can_be_entered(org, editor, login, client):
    """NHS Staff Survey: the seven People Promise elements, then staff engagement and morale, in that order."""
    m = _survey(org, editor)
    login(editor)
    entry = _entry(2024, **dict.fromkeys(SURVEY_ELEMENTS, ("6.5", "6.5", "7.0", "6.0")))
    assert client.post(reverse("measure-survey", args=[m.pk]), entry).status_code == 302
    assert [s.element for s in selectors.survey_scores(m)] == list(SURVEY_ELEMENTS)
    assert all(s.against_benchmark == "At median" for s in selectors.survey_scores(m))


def test_the_2024_survey_figure_is_labelled_2024_in_its_chart_and_exports(org, editor, login, client):
    """NHS Staff Survey: the survey is named by its calendar year, so a yearly figure is "2024" on the chart, in its
    words and in the CSV and Excel exports, and the exported file loads back unchanged (Making Data Count: an
    annual measure is a run chart)."""
    m = _survey(org, editor, name="Staff engagement score")
    rows = [
        services.ValueRow(m.pk, D(year, 1, 1), value=v) for year, v in ((2022, 6.7), (2023, 6.5), (2024, 6.8))
    ]
    services.values_load(organisation=org, by=editor, rows=rows, source="survey.csv")
    login(editor)
    page = unescape(client.get(reverse("measure-detail", args=[m.pk])).content.decode())
    assert "Run chart" in page and "from 2022 to 2024" in page and "Latest value 6.8 for 2024" in page
    assert "Jan 2024" not in page
    csv_text = client.get(reverse("measure-data-csv", args=[m.pk])).content.decode()
    assert "Staff engagement score,2024,6.8" in csv_text and "2024-01-01" not in csv_text
    exported = client.get(reverse("measure-data-xlsx", args=[m.pk])).content
    with opened_workbook(exported) as book:
        periods = [r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert periods == ["2022", "2023", "2024"]
    again = importers.parse_upload(name="values.xlsx", data=exported, measures=[m])
    assert again.ok and [r.value.period for r in again.rows] == [D(2022, 1, 1), D(2023, 1, 1), D(2024, 1, 1)]
