"""The integrated performance report: every measure's SPC chart with icons and commentary, exceptions first,
grouped by domain; opened as PDF and Word; scoped like every page; `wellled ipr` writes the same file."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from wellled.measures import services
from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf

pytestmark = pytest.mark.django_db

STABLE = [50, 52, 49, 51, 53, 50, 52, 51, 49, 52, 50, 51, 50, 52, 49, 51]
WORSENING = [10, 11, 9, 10, 11, 10, 9, 10, 11, 10, 14, 15, 16, 15, 16, 17]


def months(n):
    today = timezone.localdate().replace(day=1)
    first = today.year * 12 + today.month - 1 - n
    return [datetime.date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(n)]


@pytest.fixture
def measures(org, editor):
    made = {}
    for name, values, direction, target in (
        ("Staff appraisal rate", STABLE, "increase", 90.0),
        ("Complaints answered late", WORSENING, "decrease", None),
        ("Falls with harm", None, "decrease", None),
    ):
        measure = services.measure_create(
            organisation=org, by=editor, name=name, kind="value", direction=direction, target=target
        )
        if values:
            rows = [
                services.ValueRow(measure.pk, day, value=v)
                for day, v in zip(months(len(values)), values, strict=True)
            ]
            services.values_load(organisation=org, by=editor, source="test", rows=rows)
        made[name] = measure
    services.annotation_add(
        measure=made["Complaints answered late"], by=editor, date=months(6)[0], text="PDSA: triage desk"
    )
    return made


def test_exceptions_come_first_with_their_reasons(measures, org, editor):
    report = ipr_build(user=editor, organisation=org, as_at=timezone.localdate())
    exceptions = {m.name: m.exceptions for m in report.exceptions}
    assert exceptions == {
        "Staff appraisal rate": ("Will consistently miss the target",),
        "Complaints answered late": ("Special cause concern",),
    }
    assert [m.name for m in report.measures] == [
        "Complaints answered late",
        "Falls with harm",
        "Staff appraisal rate",
    ]
    assert report.groups[0].name == "Other measures"


def test_the_latest_commentary_for_the_month_is_the_one_reported(measures, org, editor):
    measure = measures["Complaints answered late"]
    this_month = timezone.localdate().replace(day=1)
    services.commentary_write(measure=measure, by=editor, period=this_month, shows="First draft.")
    services.commentary_write(
        measure=measure,
        by=editor,
        period=this_month,
        shows="A shift upwards since the summer.",
        why="Two investigators left.",
        next_steps="Triage desk from next month.",
    )
    report = ipr_build(user=editor, organisation=org, as_at=timezone.localdate())
    row = next(m for m in report.measures if m.name == "Complaints answered late")
    assert (row.shows, row.why, row.next_steps) == (
        "A shift upwards since the summer.",
        "Two investigators left.",
        "Triage desk from next month.",
    )
    assert row.notes[0][1] == "PDSA: triage desk"


def test_a_report_as_at_an_earlier_date_uses_only_what_was_known_then(measures, org, editor):
    earlier = months(len(WORSENING))[9]
    report = ipr_build(user=editor, organisation=org, as_at=earlier)
    row = next(m for m in report.measures if m.name == "Complaints answered late")
    assert row.latest == "10" and not row.exceptions


def test_the_pdf_and_word_files_say_what_the_board_reads(measures, org, editor):
    services.commentary_write(
        measure=measures["Staff appraisal rate"],
        by=editor,
        period=timezone.localdate(),
        shows="Steady at about 51%.",
    )
    report = ipr_build(user=editor, organisation=org, as_at=timezone.localdate())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_ipr_pdf(report))).pages)
    for expected in (
        "Integrated performance report",
        "Exceptions",
        "Complaints answered late",
        "Special cause concern",
        "Will consistently miss the target",
        "Steady at about 51%.",
        "PDSA: triage desk",
    ):
        assert expected in text, expected
    doc = Document(io.BytesIO(render_ipr_docx(report)))
    assert len(doc.inline_shapes) == 4  # two charts in the exceptions, two again in their group
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Steady at about 51%." in body and "No data yet." in body
    assert doc.tables[0].rows[1].cells[0].text == "Complaints answered late"


def test_the_command_writes_the_report(measures, org, tmp_path):
    out = tmp_path / "ipr.pdf"
    call_command("ipr", organisation=org.ods_code, fmt="pdf", out=str(out))
    assert out.read_bytes().startswith(b"%PDF")


def test_the_page_shows_only_the_organisations_own_measures(login, measures, outsider, editor):
    client = login(editor)
    assert "Complaints answered late" in client.get(reverse("ipr")).content.decode()
    client.logout()
    outsider_client = login(outsider)
    body = outsider_client.get(reverse("ipr")).content.decode()
    assert "Complaints answered late" not in body
    pdf = outsider_client.get(reverse("ipr-download", args=["pdf"]))
    assert b"Complaints" not in b"".join(
        page.extract_text().encode() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert (
        outsider_client.get(reverse("ipr-commentary", args=[measures["Falls with harm"].pk])).status_code
        == 404
    )


def test_commentary_is_for_editors_and_bad_requests_are_told(login, measures, viewer, editor):
    target = reverse("ipr-commentary", args=[measures["Falls with harm"].pk])
    client = login(viewer)
    assert client.get(target).status_code == 403
    assert client.post(target, {"period": "2026-01-01", "shows": "x"}).status_code == 403
    assert client.get(reverse("ipr-download", args=["xlsx"])).status_code == 404
    assert client.get(reverse("ipr") + "?as_at=1901-01-01").status_code == 400
    assert client.get(reverse("ipr-download", args=["pdf"]) + "?as_at=nonsense").status_code == 400
    client.logout()
    client = login(editor)
    response = client.post(
        target, {"period": months(1)[0].isoformat(), "shows": "No falls with harm <b>yet</b>."}
    )
    assert response.status_code == 302
    page = client.get(reverse("ipr")).content.decode()
    assert "No falls with harm &lt;b&gt;yet&lt;/b&gt;." in page
