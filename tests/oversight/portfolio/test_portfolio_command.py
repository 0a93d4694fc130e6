"""`wellled portfolio`: the page's rows as csv or xlsx, formula-safe, in a constant number of queries."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.core.models import Organisation
from wellled.core.services import portfolio_trust_add

from .conftest import TODAY, trust_with_plan
from .test_portfolio import add_trusts

pytestmark = pytest.mark.django_db


def run(tmp_path, fmt, *extra):
    out = tmp_path / f"portfolio.{fmt}"
    call_command(
        "portfolio",
        "--organisation",
        "zr001",
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
        stdout=io.StringIO(),
    )
    return out


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_csv_has_the_page_rows_and_headers(tmp_path, director, portfolio_trusts):
    rows = read_csv(run(tmp_path, "csv", "--as-user", "director"))
    headers, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [
        "Eastmere Community NHS Trust",
        "Northfield Hospitals NHS Trust",
        "Southby Healthcare NHS Trust",
    ]
    north = dict(zip(headers, body[1], strict=True))
    assert north["ODS code"] == "ZNF01"
    assert north["Segment"].startswith("4") and north["Programme"] == "Provider Improvement Programme"
    assert (
        north["CQC Overall"] == "Requires improvement" and north["CQC Overall since previous"] == "Declined"
    )
    assert north["CQC Safe"] == "Inadequate" and north["CQC Caring"] == "Not rated"
    assert north["Actions at G"] == "1" and north["Actions with no status"] == "2"
    assert (north["Overdue actions"], north["Updates awaited"]) == ("3", "2")
    assert (north["Exit criteria met"], north["Exit criteria"]) == ("1", "4")
    assert north["Inpatient friends and family (FFT-IP) variation"] == "Special cause improvement (high)"
    assert north["Inpatient friends and family (FFT-IP) latest"] == "80.0"
    assert north["Improvement director"] == director.get_full_name()


def test_xlsx_opens_with_the_same_rows(tmp_path, director, portfolio_trusts):
    book = openpyxl.load_workbook(run(tmp_path, "xlsx", "--measure", "OWN-1", "--as-user", "director"))
    sheet = book["Portfolio"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Trust" and values[0][-1] == "A measure of its own (OWN-1) latest"
    assert [v[0] for v in values[1:]] == [
        "Eastmere Community NHS Trust",
        "Northfield Hospitals NHS Trust",
        "Southby Healthcare NHS Trust",
    ]
    east = dict(zip(values[0], values[1], strict=True))
    assert east["A measure of its own (OWN-1) latest"] == 3
    assert east["Months in programme"] is None


def test_a_formula_in_a_trust_name_is_neutralised(tmp_path, region, director):
    trust = trust_with_plan('=HYPERLINK("http://evil.example","x")', "ZEV01")
    portfolio_trust_add(oversight_body=region, trust=trust, by=None, joined_on=TODAY())
    Organisation.objects.filter(pk=trust.pk).update(name="=1+2")
    assert read_csv(run(tmp_path, "csv", "--as-user", "director"))[1][0] == "'=1+2"
    sheet = openpyxl.load_workbook(run(tmp_path, "xlsx", "--as-user", "director"))["Portfolio"]
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "'=1+2" and cell.data_type == "s"


def test_refusals_name_the_problem(tmp_path, region, director, org, people):
    with pytest.raises(CommandError, match="No organisation has the ODS code"):
        call_command("portfolio", "--organisation", "ZZZ99", "--format", "csv", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="not an oversight body"):
        call_command(
            "portfolio", "--organisation", org.ods_code, "--format", "csv", "--out", str(tmp_path / "x")
        )
    with pytest.raises(CommandError, match="No member of"):
        run(tmp_path, "csv", "--as-user", "viewer")  # a trust's person is not a member of the region
    make_person(region, role=Role.VIEWER, username="region-viewer")
    assert read_csv(run(tmp_path, "csv", "--as-user", "region-viewer"))[0][0] == "Trust"


def test_command_queries_are_constant(tmp_path, region, director):
    make_person(region, role=Role.ADMINISTRATOR, username="region-admin")
    add_trusts(region, director, 2, 0)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            run(tmp_path, "xlsx")
        return len(captured.captured_queries)

    small = queries()
    add_trusts(region, director, 4, 2)
    assert queries() == small


def test_page_download_gives_the_rows_shown_with_their_filters(login, director, portfolio_trusts, people):
    """The page's own download: the same writer as the command, the page's filters kept, scoped like the page."""
    from django.urls import reverse

    client = login(director)
    page = client.get(reverse("oversight-portfolio") + "?segment=4").content.decode()
    assert 'portfolio.xlsx?segment=4"' in page
    response = client.get(reverse("oversight-portfolio-download", args=["csv"]) + "?segment=4")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="zr001-portfolio-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Northfield Hospitals NHS Trust"]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("oversight-portfolio-download", args=["xlsx"])).content)
    )
    assert len(list(book["Portfolio"].iter_rows(values_only=True))) == 4  # headings and three trusts
    assert client.get(reverse("oversight-portfolio-download", args=["pdf"])).status_code == 404
    client.logout()
    trust_person = login(people[Role.ADMINISTRATOR])
    assert trust_person.get(reverse("oversight-portfolio-download", args=["csv"])).status_code == 404
