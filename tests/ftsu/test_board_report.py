"""The board report: issued and frozen through the one paper pipeline in PDF and Word, every count the suppressed
copy (read back from the real files), SPC charts that leave a hidden quarter unplotted, the guardian's words for the
board and never a case's, and only a guardian may write, draft or issue it; any member reads the issued files."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from wellled.core.models import AuditLog
from wellled.ftsu import services
from wellled.ftsu.board_report import board_report_build
from wellled.ftsu.national import national_file
from wellled.ftsu.periods import Quarter
from wellled.ftsu.returns import quarter_return
from wellled.reports.models import IssuedPaper

pytestmark = pytest.mark.django_db
THEMES = "Staff on night shifts told us handovers felt rushed; several worried about raising it with seniors."
LEARNING = "Managers who answered concerns within a week were trusted more: we will share their approach."


@pytest.fixture
def national():
    return services.national_figures_load(path=national_file("2024/25"))


@pytest.fixture
def report(org, guardian, plan, year_of_cases, national):
    return services.guardian_report_create(
        organisation=org,
        by=guardian,
        period_from=datetime.date(2024, 4, 1),
        period_to=datetime.date(2025, 3, 31),
        themes=THEMES,
        learning=LEARNING,
        actions="Listening events held on every site.",
        guardian_hours=Decimal("22.5"),
        guardian_wte=Decimal("0.6"),
        champions=31,
        executive_lead="Chief People Officer",
        non_executive_lead="Senior Independent Director",
        plan=plan,
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_cells(content: bytes) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in Document(io.BytesIO(content)).tables for row in t.rows]


def _files(issued: IssuedPaper) -> dict[str, bytes]:
    return {f.format: bytes(f.content) for f in issued.files.all()}


def test_the_issued_report_holds_only_the_suppressed_counts_in_pdf_and_word(
    org, guardian, report, year_of_cases
):
    issued = services.board_report_issue(report=report, by=guardian)

    files = _files(issued)
    assert set(files) == {"pdf", "docx"}
    rows = _docx_cells(files["docx"])
    text = _pdf_text(files["pdf"])
    quarters = [Quarter(2024, n) for n in range(1, 5)]
    shown = [quarter_return(user=None, organisation=org, quarter=q, suppressed=True) for q in quarters]
    exact = [quarter_return(user=guardian, organisation=org, quarter=q, suppressed=False) for q in quarters]
    # Each quarter's figures in Word are as that quarter's suppressed return shows them, not the exact counts.
    worker = {
        r[0]: r[1:] for r in rows if r[0] in {c.label for c in shown[0].cells if c.table == "worker_group"}
    }
    for label, values in worker.items():
        expected = [
            next(c.shown for c in s.cells if c.table == "worker_group" and c.label == label) for s in shown
        ]
        assert values == expected
    assert any(0 < c.count < 5 for e in exact for c in e.cells), (
        "the year should hold small counts to protect"
    )
    # No cell under the threshold appears as a number, in Word or in the PDF's tables.
    for row in rows:
        for cell in row[1:]:
            assert not (cell.isdigit() and 0 < int(cell) < 5), row
    assert "fewer than 5" in text
    # The guardian's words, resourcing, leads, plan, national figures and their label are in both formats.
    for needle in (
        "Managers who answered concerns",
        "Chief People Officer",
        "Senior Independent Director",
        "38,000",
    ):
        assert needle in text.replace("\n", " ")
    flat = " ".join(" ".join(r) for r in rows)
    for needle in ("22.5", "0.6", "31", "38,000", "Senior Independent Director"):
        assert needle in flat
    assert "illustrative" in text.lower()
    # No case text reaches the paper.
    assert "Invented concern" not in text and "Invented concern" not in flat


def test_pdf_text_has_no_small_count_beside_a_figure(org, guardian, report):
    issued = services.board_report_issue(report=report, by=guardian)
    rows = _docx_cells(_files(issued)["docx"])
    labels = {r[0] for r in rows}
    text = _pdf_text(_files(issued)["pdf"])
    for line in text.splitlines():
        for label in ("Anonymous", "Open", "Confidential", "Medical and dental", "Estates and ancillary"):
            if line.startswith(label + " ") and label in labels:
                for token in line[len(label) :].split():
                    assert not (token.isdigit() and 0 < int(token) < 5), line


def test_the_charts_plot_only_the_quarters_their_returns_show(org, guardian, report):
    paper = board_report_build(user=guardian, organisation=org, report=report)

    cases = next(c for c in paper.charts if c.code == "cases")
    assert cases.quarters[-1] == "2024/25 Q4"
    for shown, value in zip(cases.shown, cases.chart.values, strict=True):
        assert value == (float(shown) if shown.isdigit() else None)
    for chart in paper.charts:
        if chart.chart is not None:
            for value in chart.chart.values:
                assert value is None or value == 0 or value >= 5


def test_only_a_guardian_writes_or_issues_the_report_and_any_member_reads_it(
    client, org, other_org, guardian, other_guardian, people, report
):
    for person in (people["administrator"], people["governance_editor"], other_guardian):
        with pytest.raises(Http404):
            services.board_report_issue(report=report, by=person)
        with pytest.raises(Http404):
            services.guardian_report_update(
                report=report, by=person, expected_version=report.version, themes="x"
            )
    issued = services.board_report_issue(report=report, by=guardian)
    url = reverse("ftsu-board-issued", args=[issued.pk, "pdf"])
    client.force_login(people["viewer"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("ftsu-report-detail", args=[report.pk])).status_code == 404


def test_a_stale_edit_of_the_report_is_refused(org, guardian, report):
    from wellled.core.service_kit import ConcurrentEditError

    services.guardian_report_update(report=report, by=guardian, expected_version=report.version, themes="New")
    with pytest.raises(ConcurrentEditError):
        services.guardian_report_update(
            report=report, by=guardian, expected_version=report.version, themes="Old"
        )


def test_national_figures_load_from_their_file_and_the_command(tmp_path):
    file = tmp_path / "national.yaml"
    file.write_text(
        'year: "2025/26"\ntitle: Test\nillustrative: true\nfigures:\n'
        "  - {code: cases, label: Cases, value: 40000, unit: cases}\n"
    )
    call_command("ftsu", "national", str(file))

    from wellled.ftsu.models import NationalFigures

    assert NationalFigures.objects.get(year="2025/26").figures[0]["value"] == 40000


def test_starting_a_report_is_audited_as_a_creation_by_the_guardian(report, guardian):
    record = AuditLog.objects.get(object_id=str(report.pk), action="create", object_repr=str(report))
    assert record.actor == guardian and record.organisation == report.organisation
    assert record.after["themes"] == THEMES
