"""The upload corpus: a good file loads; each bad input names its row and column exactly; nothing partial is saved;
a re-upload updates values and keeps the corrections' history."""

import io

import openpyxl
import pytest

from wellled.measures import importers, services
from wellled.measures.models import MeasureValue, MeasureValueRevision

pytestmark = pytest.mark.django_db

SURVEY_HEADER = "survey year,element,score,benchmark median,benchmark best,benchmark worst\n"
GOOD = (
    "measure,period,value,numerator,denominator\n"
    "Overdue risk reviews,2025-01,250,,\n"
    "Overdue risk reviews,Feb 2025,245,,\n"
    "Overdue risk reviews,01/03/2025,,,\n"
    "Survey response rate,2025-01-01,,330,1000\n"
    "Survey response rate,2025-02-01,,341,1,010\n"
)


def parse(text, measures, only=None, name="data.csv"):
    return importers.parse_upload(name=name, data=text.encode(), measures=measures, only=only)


def test_a_good_file_of_several_measures_parses_with_a_missing_period(measure, proportion):
    parsed = parse(GOOD.replace("341,1,010", '341,"1,010"'), [measure, proportion])
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert len(parsed.rows) == 5
    missing = parsed.rows[2].value
    assert (missing.period.isoformat(), missing.value) == ("2025-03-01", None)
    assert parsed.rows[4].value.denominator == 1010


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "measure,period,value\nOverdue risk reviews,2025-01,lots\n",
            "Row 2, column ‘value’: ‘lots’ is not a number.",
        ),
        (
            "measure,period,value\nOverdue risk reviews,2025-13-01,5\n",
            "Row 2, column ‘period’: ‘2025-13-01’ is not a date. Use a date such as 2025-04-01, 2025-04 or 01/04/2025.",
        ),
        (
            "measure,period,value\nOverdue risk reviews,,5\n",
            "Row 2, column ‘period’: Enter the period (a date such as 2025-04-01).",
        ),
        (
            "measure,period,value\nNo such measure,2025-01,5\n",
            "Row 2, column ‘measure’: ‘No such measure’ is not one of your organisation's measures.",
        ),
        (
            "measure,period,value\nOverdue risk reviews,2025-01,5\nOverdue risk reviews,2025-01-20,6\n",
            "Row 3, column ‘period’: Overdue risk reviews already has a row for this period (row 2).",
        ),
        (
            "Measure,Period,Numerator,Denominator\nSurvey response rate,2025-01,20,10\n",
            "Row 2, column ‘Numerator’: The numerator (20) is more than the denominator (10).",
        ),
        (
            "measure,period,numerator,denominator\nSurvey response rate,2025-01,5,0\n",
            "Row 2, column ‘denominator’: The denominator must be more than 0.",
        ),
        (
            "measure,period,numerator,denominator\nSurvey response rate,2025-01,5,\n",
            "Row 2, column ‘denominator’: Enter both the numerator and the denominator, or leave both blank for a "
            "missing period.",
        ),
        (
            "measure,period,value\nSurvey response rate,2025-01,5\n",
            "Row 2: Survey response rate is measured as a numerator over a denominator: the file needs a ‘numerator’ "
            "column.",
        ),
        (
            "measure,period,value\nOverdue risk reviews,2025-01,=1+2\n",
            "Row 2, column ‘value’: ‘=1+2’ looks like a spreadsheet formula. Enter the value itself.",
        ),
        (
            "measure,period,value\n@SUM(A1),2025-01,5\n",
            "Row 2, column ‘measure’: ‘@SUM(A1)’ looks like a spreadsheet formula. Enter the value itself.",
        ),
        (
            "measure,when,value\nOverdue risk reviews,2025-01,5\n",
            "Row 1: There is no ‘period’ column. The first row must name the columns: measure, period, value (or "
            "numerator and denominator).",
        ),
        (
            "measure,period\nOverdue risk reviews,2025-01\n",
            "Row 1: There is no ‘value’ column (or ‘numerator’ and ‘denominator’ columns).",
        ),
        ("measure,period,value\n", "The file has a header row but no values."),
        ("", "The file is empty."),
    ],
)
def test_each_bad_input_is_named_by_row_and_column(measure, proportion, text, message):
    parsed = parse(text, [measure, proportion])
    assert [str(e) for e in parsed.errors][0] == message


def test_negative_numbers_are_not_mistaken_for_formulas(measure):
    measure.negative_allowed = (
        True  # a value that can be below zero (a net change): -5 is a figure, not a formula
    )
    parsed = parse("measure,period,value\nOverdue risk reviews,2025-01,-5\n", [measure])
    assert parsed.ok and parsed.rows[0].value.value == -5


def test_a_negative_figure_is_refused_naming_the_row_unless_the_measure_can_be_below_zero(measure):
    parsed = parse("measure,period,value\nOverdue risk reviews,2025-01,-40\n", [measure])
    assert [str(e) for e in parsed.errors] == [
        "Row 2, column ‘value’: Overdue risk reviews cannot be below zero. If it really can (a net change, a "
        "balance), say so on the measure's page (Values can be below zero) first."
    ]


def test_wrong_file_types_and_sizes_are_refused(measure):
    assert str(parse("a", [measure], name="data.txt").errors[0]) == "Upload a .csv or .xlsx file."
    fake = importers.parse_upload(name="data.xlsx", data=b"not a zip", measures=[measure])
    assert "not a real .xlsx" in str(fake.errors[0])
    big = importers.parse_upload(name="big.csv", data=b"x" * (importers.MAX_BYTES + 1), measures=[measure])
    assert str(big.errors[0]).startswith("The file is larger than 5 MB")


def test_an_xlsx_file_with_excel_dates_parses_and_formulas_are_refused(measure):
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["measure", "period", "value"])
    sheet.append(["Overdue risk reviews", datetime.datetime(2025, 4, 1), 250])
    sheet.append(["Overdue risk reviews", datetime.datetime(2025, 5, 1), "=A1*2"])
    out = io.BytesIO()
    book.save(out)
    parsed = importers.parse_upload(name="data.xlsx", data=out.getvalue(), measures=[measure])
    assert [str(e) for e in parsed.errors] == [
        "Row 3, column ‘value’: ‘=A1*2’ looks like a spreadsheet formula. Enter the value itself."
    ]


def test_a_file_uploaded_on_one_measures_page_may_leave_out_the_measure_column(measure, proportion):
    parsed = parse("period,value\n2025-01,5\n", [measure, proportion], only=measure)
    assert parsed.ok and parsed.rows[0].measure == measure
    other = parse(
        "measure,period,value\nSurvey response rate,2025-01,5\n", [measure, proportion], only=measure
    )
    assert (
        str(other.errors[0]) == "Row 2, column ‘measure’: ‘Survey response rate’ is not Overdue risk reviews."
    )


def test_every_problem_is_listed_not_just_the_first(measure):
    parsed = parse(
        "measure,period,value\nOverdue risk reviews,x,1\nOverdue risk reviews,2025-02,y\n", [measure]
    )
    assert [e.row for e in parsed.errors] == [2, 3]


def test_upload_page_saves_nothing_from_a_file_with_an_error(login, editor, measure):
    client = login(editor)
    before = MeasureValue.objects.count()
    data = io.BytesIO(
        b"measure,period,value\nOverdue risk reviews,2019-01,5\nOverdue risk reviews,2019-02,bad\n"
    )
    data.name = "bad.csv"
    response = client.post("/measures/upload/", {"file": data})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Row 3, column ‘value’: ‘bad’ is not a number." in body
    assert "nhsuk-error-summary" in body
    assert MeasureValue.objects.count() == before


def test_reupload_through_the_page_updates_values_and_keeps_the_history(login, editor, measure):
    client = login(editor)
    first = MeasureValue.objects.get(measure=measure, period="2023-01-01")
    data = io.BytesIO(
        b"measure,period,value\nOverdue risk reviews,2023-01-01,333\nOverdue risk reviews,2019-01,5\n"
    )
    data.name = "fix.csv"
    preview = client.post("/measures/upload/", {"file": data})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Import" in body and "Corrections" in body
    assert MeasureValue.objects.get(pk=first.pk).value == 300  # nothing saved until Import
    token = client.session["measures_upload"]["token"]
    response = client.post("/measures/upload/", {"confirm": token})
    assert response.status_code == 302
    assert MeasureValue.objects.get(pk=first.pk).value == 333
    assert MeasureValueRevision.objects.get(measure_value=first).value == 300
    assert MeasureValue.objects.filter(measure=measure, period="2019-01-01", value=5).exists()
    page = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "earlier figure" in page


def test_service_values_load_accepts_parsed_rows(org, editor, measure, proportion):
    parsed = parse(GOOD.replace("341,1,010", '341,"1,010"'), [measure, proportion])
    outcome = services.values_load(
        organisation=org, by=editor, rows=[r.value for r in parsed.rows], source="x"
    )
    assert outcome[measure.pk].added == 3 and outcome[proportion.pk].added == 2


def _workbook_with_padding(padding_bytes: int, *, broken_sheet: bool = False) -> bytes:
    """A good long-layout workbook, plus an unreferenced part of zeros that unzips to padding_bytes."""
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["measure", "period", "value"])
    book.active.append(["Overdue risk reviews", "2025-04", 250])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if broken_sheet and info.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            target.writestr(info.filename, body)
        if padding_bytes:
            with target.open("xl/media/padding.bin", "w", force_zip64=True) as part:
                for _ in range(padding_bytes // 1_000_000):
                    part.write(b"\0" * 1_000_000)
    return out.getvalue()


def test_a_workbook_that_unzips_far_beyond_its_size_is_refused_before_it_is_read(measure, monkeypatch):
    from wellled.plans.spreadsheet import read

    monkeypatch.setattr(read, "MAX_EXPANDED_BYTES", 5_000_000)
    small = importers.parse_upload(name="data.xlsx", data=_workbook_with_padding(0), measures=[measure])
    assert small.ok, [str(e) for e in small.errors]
    data = _workbook_with_padding(6_000_000)
    assert len(data) < 50_000
    parsed = importers.parse_upload(name="data.xlsx", data=data, measures=[measure])
    assert [str(e) for e in parsed.errors] == [
        "The workbook would take up more than 4.8 MB once opened, far more than its rows need. Remove pictures and "
        "other sheets, save it and upload it again."
    ]


def test_a_damaged_workbook_gets_a_message_not_a_server_error(measure):
    parsed = importers.parse_upload(
        name="data.xlsx", data=_workbook_with_padding(0, broken_sheet=True), measures=[measure]
    )
    message = str(parsed.errors[0])  # the plan import's message: the same check opens both (read.py)
    assert not parsed.ok and ("could not be read" in message or "damaged or incomplete" in message)


def test_a_period_that_has_not_happened_yet_is_refused_by_row_and_in_the_service(org, editor, measure):
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    text = f"measure,period,value\nOverdue risk reviews,{today:%Y-%m},240\nOverdue risk reviews,{next_month:%Y-%m},230\n"
    parsed = parse(text, [measure])
    assert [str(e) for e in parsed.errors] == [
        f"Row 3, column ‘period’: {next_month:%B %Y} has not happened yet, so it cannot have a figure."
    ]
    before = MeasureValue.objects.count()
    with pytest.raises(ValidationError, match="has not happened yet"):
        services.values_load(
            organisation=org,
            by=editor,
            source="test",
            rows=[services.ValueRow(measure_id=measure.pk, period=next_month, value=230)],
        )
    assert MeasureValue.objects.count() == before


def test_a_file_of_many_bad_rows_shows_the_first_problems_and_counts_the_rest_for_values_and_surveys(measure):
    bad = "measure,period,value\n" + "Overdue risk reviews,2025-01,eleven\n" * (importers.MAX_ERRORS + 7)
    values = parse(bad, [measure])
    survey_rows = "2024,We are happy,6.9,6.7,7.1,6.3\n" * (importers.MAX_ERRORS + 7)
    survey = importers.parse_survey_upload(name="survey.csv", data=(SURVEY_HEADER + survey_rows).encode())
    for parsed in (values, survey):
        assert not parsed.ok
        assert len(parsed.errors) == importers.MAX_ERRORS and parsed.errors[0].row == 2
        assert parsed.more_errors == 7  # the page and the command say how many more there are
