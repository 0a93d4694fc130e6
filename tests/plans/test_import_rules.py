"""The cell rules of the spreadsheet import, one by one: timescales, statuses, leads, headings and column names."""

import datetime

import pytest

from wellled.core.models import DeliveryStatus
from wellled.core.services import DEFAULT_DELIVERY_STATUSES
from wellled.plans.spreadsheet.column_rules import column_field
from wellled.plans.spreadsheet.heading_rules import parse_heading
from wellled.plans.spreadsheet.lead_rules import split_leads
from wellled.plans.spreadsheet.read import MonthCell, clean_cell
from wellled.plans.spreadsheet.status_rules import match_status, split_update_awaited
from wellled.plans.spreadsheet.timescale_rules import TimescaleError, parse_timescale

M, D = "month", "day"


def scale(*, blue_active=True):
    """The default scale as unsaved objects (statuses are matched by code and label only)."""
    return [
        DeliveryStatus(pk=i, code=d.code, label=d.label, rank=d.rank, active=blue_active or d.code != "B")
        for i, d in enumerate(DEFAULT_DELIVERY_STATUSES, start=1)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 2019", [(datetime.date(2019, 3, 31), M)]),
        ("March 2019 July 2019", [(datetime.date(2019, 3, 31), M), (datetime.date(2019, 7, 31), M)]),
        ("February June 2019", [(datetime.date(2019, 2, 28), M), (datetime.date(2019, 6, 30), M)]),
        (
            "January March April 2019",
            [
                (datetime.date(2019, 1, 31), M),
                (datetime.date(2019, 3, 31), M),
                (datetime.date(2019, 4, 30), M),
            ],
        ),
        ("November February 2020", [(datetime.date(2019, 11, 30), M), (datetime.date(2020, 2, 29), M)]),
        ("March 2019 December 19", [(datetime.date(2019, 3, 31), M), (datetime.date(2019, 12, 31), M)]),
        ("March 2019 → July 2019", [(datetime.date(2019, 3, 31), M), (datetime.date(2019, 7, 31), M)]),
        ("Dec-19", [(datetime.date(2019, 12, 31), M)]),
        ("Sept 2019", [(datetime.date(2019, 9, 30), M)]),
        ("31/03/2019", [(datetime.date(2019, 3, 31), D)]),
        ("31.03.19", [(datetime.date(2019, 3, 31), D)]),
        ("2019-03-31", [(datetime.date(2019, 3, 31), D)]),
        ("31 March 2019", [(datetime.date(2019, 3, 31), D)]),
        ("By the end of March 2020", [(datetime.date(2020, 3, 31), M)]),
        ("Q3 2019/20", [(datetime.date(2019, 12, 31), M)]),
        ("Q4 2019-20", [(datetime.date(2020, 3, 31), M)]),
        ("Q1 20/21", [(datetime.date(2020, 6, 30), M)]),
        ("2019/20", [(datetime.date(2020, 3, 31), M)]),
        ("Ongoing", []),
    ],
)
def test_timescale_text_gives_the_original_and_each_revision_when_read(text, expected):
    timescale, _ = parse_timescale([text])
    assert list(timescale.dates) == expected


def test_timescale_of_a_date_cell_has_the_precision_its_format_shows_when_read():
    day, _ = parse_timescale([datetime.date(2026, 3, 14)])
    month, _ = parse_timescale([MonthCell(2026, 3)])
    assert day.dates == ((datetime.date(2026, 3, 14), D),)
    assert month.dates == ((datetime.date(2026, 3, 31), M),)


def test_ongoing_and_a_bare_year_quarter_are_read_with_a_warning_when_they_are_ambiguous():
    ongoing, notes = parse_timescale(["Ongoing"])
    assert ongoing.note == "Ongoing"
    assert notes == ["‘Ongoing’ is not a date, so no timescale is taken from it."]
    quarter, notes = parse_timescale(["Q3 2026"])
    assert quarter.dates == ((datetime.date(2026, 12, 31), M),)
    assert notes == [
        "‘Q3 2026’ is read as Q3 of the financial year 2026/27, due by the end of December 2026."
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Spring 2020",
            "‘Spring 2020’ is not a timescale Wellled can read: write a month and year (March 2026), a date "
            "(31/03/2026) or a financial-year quarter (Q3 2026/27).",
        ),
        ("March", "‘March’ has a month without a year: add the year (for example March 2026)."),
        ("2020", "‘2020’ has a year without a month: add the month (for example March 2026)."),
        ("March 1920", "‘March 1920’ has a year outside 2000 to 2100: check the year."),
        (
            "31/02/2020",
            "‘31/02/2020’ is not a timescale Wellled can read: write a month and year (March 2026), a date "
            "(31/03/2026) or a financial-year quarter (Q3 2026/27).",
        ),
    ],
)
def test_timescale_that_cannot_be_read_is_refused_with_a_reason_when_read(text, message):
    with pytest.raises(TimescaleError) as caught:
        parse_timescale([text])
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A/G", "A/G"),
        ("AG", "A/G"),
        ("Amber/Green", "A/G"),
        ("amber-green", "A/G"),
        ("amber green", "A/G"),
        ("G", "G"),
        ("green", "G"),
        ("Red", "R"),
        ("R", "R"),
        ("A/R", "A/R"),
        ("AR", "A/R"),
        ("Amber / Red", "A/R"),
        ("Blue/complete", "B"),
        ("B", "B"),
        ("On track", "A/G"),
        ("complete", "G"),
    ],
)
def test_status_spellings_map_to_the_organisations_scale_when_read(text, code):
    assert match_status(text, scale(), "Northmoor").code == code


def test_status_not_on_the_scale_or_no_longer_used_is_refused_naming_the_codes_when_read():
    with pytest.raises(ValueError) as caught:
        match_status("Amber", scale(), "Northmoor")
    assert (
        str(caught.value)
        == "‘Amber’ is not on Northmoor’s delivery-status scale: use one of B, G, A/G, A/R, R."
    )
    with pytest.raises(ValueError) as caught:
        match_status("Blue", scale(blue_active=False), "Northmoor")
    assert str(caught.value) == (
        "B is no longer in use on Northmoor’s delivery-status scale: use one of G, A/G, A/R, R."
    )
    assert match_status("", scale(), "Northmoor") is None


@pytest.mark.parametrize(
    ("text", "tokens", "note"),
    [
        ("DMc / AK / MS", ["DMc", "AK", "MS"], ""),
        ("RG", ["RG"], ""),
        ("Varied", [], "Varied"),
        ("RG, TL and KD", ["RG", "TL", "KD"], ""),
        ("Jane Smith & AK", ["Jane Smith", "AK"], ""),
        ("AK / ak", ["AK"], ""),
        ("RG / Varied", ["RG"], "Varied"),
        ("(Estates and facilities team)", [], "Estates and facilities team"),
        ("RG / (Estates team)", ["RG"], "Estates team"),
    ],
)
def test_leads_are_split_in_order_with_a_note_when_no_single_person_leads(text, tokens, note):
    assert split_leads(text) == (tokens, note)


@pytest.mark.parametrize(
    ("text", "code", "title"),
    [
        ("KLOE W1: Is there the leadership capacity?", "W1", "Is there the leadership capacity?"),
        ("W2 Is there a clear vision?", "W2", "Is there a clear vision?"),
        ("Part B: CQC inspection findings", "Part B", "CQC inspection findings"),
        ("WS3 Risk management", "WS3", "Risk management"),
        ("Workstream 4: Corporate services", "WS4", "Corporate services"),
        ("W5", "W5", ""),
        ("Governance: Board committees", "Governance", "Board committees"),
        ("Leadership and culture", "", "Leadership and culture"),
    ],
)
def test_headings_give_a_section_code_and_title_when_read(text, code, title):
    heading = parse_heading(text)
    assert (heading.code, heading.title) == (code, title)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Ref:", "ref"),
        ("Reference", "ref"),
        ("No.", "ref"),
        ("Planned action", "action"),
        ("Action", "action"),
        ("Timescale", "timescale"),
        ("Due date", "timescale"),
        ("Deadline", "timescale"),
        ("Lead", "lead"),
        ("Exec lead", "lead"),
        ("Responsible", "lead"),
        ("Lead(s)", "lead"),
        ("Success measure", "success_measure"),
        ("Measure of success", "success_measure"),
        ("Outcome", "success_measure"),
        ("Progress update", "progress"),
        ("Update", "progress"),
        ("Progress", "progress"),
        ("Progress update (September 2019)", "progress"),
        ("Status", "status"),
        ("Delivery status", "status"),
        ("RAG", "status"),
        ("RAG status Sept 19", "status"),
        ("Section", "section"),
        ("KLOE", "section"),
        ("Workstream", "section"),
        ("CQC finding", "finding"),
        ("Update date", "update_date"),
        ("Comments from the chair", None),
    ],
)
def test_column_headings_and_their_synonyms_name_a_field_when_read(heading, field):
    assert column_field(heading) == field


def test_update_awaited_marker_is_taken_out_of_the_progress_text_when_read():
    assert split_update_awaited("UPDATE AWAITED") == ("", True)
    assert split_update_awaited("Plan agreed in April. UPDATE AWAITED") == ("Plan agreed in April.", True)
    assert split_update_awaited("Plan agreed.") == ("Plan agreed.", False)


def test_cells_are_cleaned_and_the_exports_formula_apostrophe_is_taken_off_when_read():
    assert clean_cell("  W1a\r\n ") == "W1a"
    assert clean_cell("   ") is None
    assert clean_cell(3.0) == 3
    assert clean_cell("'=SUM(A1)") == "=SUM(A1)"
    assert clean_cell("'quoted") == "'quoted"
