"""The board paper page, its downloads and the `wellled board-paper` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook
from tests.reports.paper_data import AS_AT

from wellled.__main__ import main as wellled_main


def test_page_for_a_viewer(paper_plan, login):
    client = login(paper_plan.viewer)
    response = client.get(f"/plans/{paper_plan.plan.pk}/board-paper/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Position as at 30 September 2025" in html
    for fmt in ("pdf", "docx", "xlsx", "csv", "html"):
        assert f"/plans/{paper_plan.plan.pk}/board-paper.{fmt}?as_at=2025-09-30" in html
    assert "W1b" in html and "Status key" in html


def test_page_as_at_another_date(paper_plan, login):
    client = login(paper_plan.viewer)
    response = client.get(f"/plans/{paper_plan.plan.pk}/board-paper/?as_at=2025-08-31")
    assert response.status_code == 200
    assert "Position as at 31 August 2025" in response.content.decode()
    response = client.get(f"/plans/{paper_plan.plan.pk}/board-paper/?as_at=31/08/2025")
    assert response.status_code == 400
    assert "Enter the date as year, month and day" in response.content.decode()
    # Dates far outside any plan's life are refused with a message, not a server error, on the page and the files.
    for far in ("9999-12-31", "0001-01-01"):
        page = client.get(f"/plans/{paper_plan.plan.pk}/board-paper/?as_at={far}")
        assert page.status_code == 400 and "Choose a date from 1 January 2000 to " in page.content.decode()
        assert client.get(f"/plans/{paper_plan.plan.pk}/board-paper.pdf?as_at={far}").status_code == 400


def test_another_organisation_gets_404(paper_plan, outsider, login):
    client = login(outsider)
    assert client.get(f"/plans/{paper_plan.plan.pk}/board-paper/").status_code == 404
    assert client.get(f"/plans/{paper_plan.plan.pk}/board-paper.csv").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_downloads(paper_plan, login, fmt, content_type):
    client = login(paper_plan.viewer)
    response = client.get(f"/plans/{paper_plan.plan.pk}/board-paper.{fmt}?as_at=2025-09-30")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    # Downloaded without issuing, the paper is a draft: named so, and saying so first (issue 27).
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="well-led-review-2025-2025-09-30-draft.{fmt}"'
    )
    if fmt == "docx":
        document = Document(io.BytesIO(response.content))
        assert document.tables and document.sections[0].header.paragraphs[0].text.startswith(
            "DRAFT: not issued"
        )
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[0] == "Draft" and book["Draft"]["A1"].value.startswith("DRAFT: not issued")
        assert book["Actions"].max_row == 7
    else:
        text = response.content.decode("utf-8-sig")
        assert "W1b" in text and "DRAFT: not issued" in text
        if fmt == "csv":
            assert text.splitlines()[0].startswith("DRAFT: not issued")


def test_pdf_download(paper_plan, login):
    client = login(paper_plan.viewer)
    response = client.get(f"/plans/{paper_plan.plan.pk}/board-paper.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert (
        response["Content-Disposition"] == 'attachment; filename="well-led-review-2025-2025-09-30-draft.pdf"'
    )


def test_unknown_format_is_404(paper_plan, login):
    client = login(paper_plan.viewer)
    assert client.get(f"/plans/{paper_plan.plan.pk}/board-paper.exe").status_code == 404


# The command ----------------------------------------------------------------------------------------------------


@pytest.fixture
def admin(people):
    from wellled.core.choices import Role

    return people[Role.ADMINISTRATOR]


def test_command_writes_a_file(paper_plan, admin, tmp_path):
    out = tmp_path / "paper.xlsx"
    stdout = io.StringIO()
    call_command(
        "board_paper",
        "--organisation",
        "znt01",
        "--plan",
        "Well-led review 2025",
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--as-at",
        AS_AT.isoformat(),
        stdout=stdout,
    )
    assert "position as at 30 September 2025" in stdout.getvalue()
    sheet = load_workbook(out)["Actions"]
    assert sheet.max_row == 7


def test_wellled_board_paper_alias(paper_plan, admin, tmp_path):
    out = tmp_path / "paper.csv"
    wellled_main(
        [
            "wellled",
            "board-paper",
            "--organisation",
            "ZNT01",
            "--plan",
            "Well-led review 2025",
            "--format",
            "csv",
            "--out",
            str(out),
            "--as-user",
            paper_plan.viewer.username,
        ]
    )
    assert "W1b" in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--organisation", "ZZZ99"], "No organisation has the ODS code"),
        (["--plan", "No such plan"], "has no plan called 'No such plan'"),
        (["--format", "odt"], "Unknown format 'odt'"),
        (["--as-at", "30/09/2025"], "is not a date"),
        (["--as-at", "9999-12-31"], "Choose a date from 1 January 2000 to "),
        (["--as-user", "nobody"], "No member of Northmoor Test Trust has the username 'nobody'"),
        (["--template", "missing.docx", "--format", "docx"], "does not exist"),
    ],
)
def test_command_errors(paper_plan, admin, tmp_path, arguments, message):
    options = {
        "--organisation": "ZNT01",
        "--plan": "Well-led review 2025",
        "--format": "csv",
        "--out": str(tmp_path / "x.csv"),
    }
    for flag, value in zip(arguments[::2], arguments[1::2], strict=True):
        options[flag] = value
    argv = [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        call_command("board_paper", *argv)


def test_command_cannot_read_another_organisations_plan(paper_plan, outsider, tmp_path):
    with pytest.raises(CommandError, match="No member"):
        call_command(
            "board_paper",
            "--organisation",
            "ZNT01",
            "--plan",
            "Well-led review 2025",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x.csv"),
            "--as-user",
            "outsider",
        )
