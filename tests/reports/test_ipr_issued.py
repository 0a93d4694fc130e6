"""The integrated performance report issued and frozen like board papers (ADR 0036): a snapshot of everything it
said and its PDF and Word files with their checksums, issued by the background job, never changed by later figures
or commentary, listed, downloaded, withdrawn with a reason, audited, and scoped to its organisation."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader
from tests.reports.test_ipr import STABLE, WORSENING, months

from wellled.core.models import AuditLog
from wellled.measures import services as measure_services
from wellled.reports import services
from wellled.reports.ipr import IPR
from wellled.reports.ipr.kind import frozen_report, ipr_issue
from wellled.reports.models import (
    IssuedPaper,
    IssuedPaperFile,
    JobState,
    PaperJob,
    PaperKind,
    PaperWithdrawal,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
FIRST_WORDS = "A shift upwards since the summer."
LATER_WORDS = "Back to normal after the triage desk opened."


def make_ipr_measures(org, editor) -> dict:
    """A measure missing its target, one in special cause concern with a PDSA note and commentary, one without
    data (the browser journey uses them too)."""
    made = {}
    for name, values, direction, target in (
        ("Staff appraisal rate", STABLE, "increase", 90.0),
        ("Complaints answered late", WORSENING, "decrease", None),
        ("Falls with harm", None, "decrease", None),
    ):
        measure = measure_services.measure_create(
            organisation=org, by=editor, name=name, kind="value", direction=direction, target=target
        )
        if values:
            rows = [
                measure_services.ValueRow(measure.pk, day, value=v)
                for day, v in zip(months(len(values)), values, strict=True)
            ]
            measure_services.values_load(organisation=org, by=editor, source="test", rows=rows)
        made[name] = measure
    late = made["Complaints answered late"]
    measure_services.annotation_add(measure=late, by=editor, date=months(6)[0], text="PDSA: triage desk")
    measure_services.commentary_write(
        measure=late,
        by=editor,
        period=TODAY().replace(day=1),
        shows=FIRST_WORDS,
        why="Two investigators left.",
        next_steps="Triage desk from next month.",
    )
    return made


@pytest.fixture
def measures(org, editor):
    return make_ipr_measures(org, editor)


@pytest.fixture
def issued(measures, org, editor):
    return ipr_issue(organisation=org, as_at=TODAY(), by=editor)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_issued_report_keeps_its_snapshot_and_both_files_which_say_what_the_board_read(
    issued, org, editor
):
    assert (issued.kind, issued.plan, issued.organisation, issued.as_at) == (
        PaperKind.IPR,
        None,
        org,
        TODAY(),
    )
    assert issued.data_intact and issued.total == 3
    assert {c["code"]: c["count"] for c in issued.counts} == {"exceptions": 2, "concern": 1, "failing": 1}
    report = frozen_report(issued)
    assert isinstance(report, IPR) and report.title == issued.title
    late = next(m for m in report.measures if m.name == "Complaints answered late")
    assert (late.shows, late.why, late.variation.value) == (
        FIRST_WORDS,
        "Two investigators left.",
        "concern_high",
    )
    assert late.chart is not None and [n.text for n in late.chart.notes] == ["PDSA: triage desk"]
    assert (
        len(late.chart.values) == len(WORSENING) and late.result is not None
    )  # the chart's data, redrawable

    files = {f.format: f for f in issued.files.all()}
    assert set(files) == {"pdf", "docx"}
    for file in files.values():
        content = bytes(file.content)
        assert file.intact and file.size == len(content)
        assert file.sha256 == hashlib.sha256(content).hexdigest()
        assert file.filename.startswith("northmoor-test-trust-integrated-performance-report-")
    text = pdf_text(bytes(files["pdf"].content))
    for expected in (
        "Integrated performance report",
        "Exceptions",
        "Special cause concern",
        FIRST_WORDS,
        "PDSA",
    ):
        assert expected in text, expected
    word = Document(io.BytesIO(bytes(files["docx"].content)))
    assert len(word.inline_shapes) == 4  # two charts among the exceptions, the same two in their group
    assert FIRST_WORDS in docx_text(bytes(files["docx"].content))

    record = AuditLog.objects.get(content_type__model="issuedpaper", object_id=str(issued.pk))
    assert record.actor == editor and record.organisation == org
    assert record.after["kind"] == "ipr" and record.after["data_sha256"] == issued.data_sha256
    assert files["pdf"].sha256 in record.after["files"]


def test_later_figures_notes_and_commentary_do_not_change_an_issued_report(
    issued, measures, editor, org, login
):
    before_data, before_sha = issued.data, issued.data_sha256
    before_files = {f.format: bytes(f.content) for f in issued.files.all()}
    late = measures["Complaints answered late"]
    this_month = TODAY().replace(day=1)
    measure_services.values_load(
        organisation=org,
        by=editor,
        source="test",
        rows=[measure_services.ValueRow(measures["Falls with harm"].pk, this_month, value=3)],
    )
    measure_services.annotation_add(measure=late, by=editor, date=this_month, text="PDSA 2: new rota")
    measure_services.commentary_write(measure=late, by=editor, period=this_month, shows=LATER_WORDS)

    again = IssuedPaper.objects.get(pk=issued.pk)
    assert (again.data, again.data_sha256) == (before_data, before_sha) and again.data_intact
    assert {f.format: bytes(f.content) for f in again.files.all()} == before_files
    client = login(editor)
    page = client.get(reverse("ipr-paper", args=[issued.pk])).content.decode()
    assert FIRST_WORDS in page and LATER_WORDS not in page and "PDSA 2" not in page
    live = client.get(reverse("ipr") + f"?as_at={TODAY().isoformat()}").content.decode()
    assert LATER_WORDS in live  # the live report has moved on
    download = client.get(reverse("ipr-paper-file", args=[issued.pk, "pdf"]))
    assert download.content == before_files["pdf"] and LATER_WORDS not in pdf_text(download.content)
    # The records themselves refuse to change.
    with pytest.raises(PermissionError):
        again.save()
    with pytest.raises(PermissionError):
        IssuedPaper.objects.filter(pk=issued.pk).update(title="Changed")
    with pytest.raises(PermissionError):
        IssuedPaperFile.objects.filter(paper=issued).delete()


def test_the_editor_issues_from_the_page_through_the_job_and_downloads_the_files(measures, editor, login):
    client = login(editor)
    page = client.get(reverse("ipr")).content.decode()
    assert "Issue this report" in page and reverse("ipr-papers") in page
    form = client.get(reverse("ipr-issue") + f"?as_at={TODAY().isoformat()}")
    assert form.status_code == 200 and "Issue the report" in form.content.decode()
    # "Staff appraisal rate" misses its target with no commentary: issuing asks to confirm first (issue 27).
    refused = client.post(reverse("ipr-issue"), {"as_at": TODAY().isoformat()})
    assert refused.status_code == 400 and "1 exception has no commentary" in refused.content.decode()
    assert not PaperJob.objects.exists()
    response = client.post(reverse("ipr-issue"), {"as_at": TODAY().isoformat(), "without_commentary": "on"})
    job = PaperJob.objects.get(kind=PaperKind.IPR)
    assert response.status_code == 302 and response["Location"] == reverse("ipr-job", args=[job.pk])
    assert job.state == JobState.DONE and job.plan is None  # the immediate backend ran it
    progress = client.get(reverse("ipr-job", args=[job.pk])).content.decode()
    assert "The report is issued" in progress and reverse("ipr-paper", args=[job.paper_id]) in progress

    listing = client.get(reverse("ipr-papers")).content.decode()
    assert (
        reverse("ipr-paper", args=[job.paper_id]) in listing and "Exceptions: <strong>2</strong>" in listing
    )
    detail = client.get(reverse("ipr-paper", args=[job.paper_id])).content.decode()
    assert "Complaints answered late" in detail and "<svg" in detail and "Write the commentary" not in detail
    for fmt, opened in (("pdf", pdf_text), ("docx", docx_text)):
        download = client.get(reverse("ipr-paper-file", args=[job.paper_id, fmt]))
        stored = IssuedPaperFile.objects.get(paper_id=job.paper_id, format=fmt)
        assert download.status_code == 200 and download.content == bytes(stored.content)
        assert download["Content-Disposition"] == f'attachment; filename="{stored.filename}"'
        assert "Repr-Digest" in download and FIRST_WORDS in opened(download.content)
    assert client.get(reverse("ipr-paper-file", args=[job.paper_id, "xlsx"])).status_code == 404
    # Issuing again for the same date says one exists already, and keeps both.
    again = client.get(reverse("ipr-issue") + f"?as_at={TODAY().isoformat()}").content.decode()
    assert "A report as at this date has been issued already" in again


def test_only_those_who_issue_board_papers_issue_the_report_and_never_for_a_future_date(
    measures, org, editor, viewer, lead, login
):
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            ipr_issue(organisation=org, as_at=TODAY(), by=person)
        client = login(person)
        assert client.get(reverse("ipr-issue")).status_code == 403
        assert client.post(reverse("ipr-issue"), {"as_at": TODAY().isoformat()}).status_code == 403
        assert "Issue this report" not in client.get(reverse("ipr")).content.decode()
        client.logout()
    tomorrow = TODAY() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="has not been reached yet"):
        ipr_issue(organisation=org, as_at=tomorrow, by=editor)
    client = login(editor)
    response = client.post(reverse("ipr-issue"), {"as_at": tomorrow.isoformat()})
    assert response.status_code == 400 and "has not been reached yet" in response.content.decode()
    assert client.post(reverse("ipr-issue"), {"as_at": "not a date"}).status_code == 400
    assert not IssuedPaper.objects.exists() and not PaperJob.objects.exists()


def test_withdrawing_keeps_the_report_marks_it_and_audits_it(issued, editor, viewer, org, login):
    client = login(viewer)
    assert client.get(reverse("ipr-paper-withdraw", args=[issued.pk])).status_code == 403
    assert client.post(reverse("ipr-paper-withdraw", args=[issued.pk]), {"reason": "No"}).status_code == 403
    assert "Withdraw this report" not in client.get(reverse("ipr-paper", args=[issued.pk])).content.decode()
    client.logout()
    client = login(editor)
    assert "Withdraw this report" in client.get(reverse("ipr-paper", args=[issued.pk])).content.decode()
    empty = client.post(reverse("ipr-paper-withdraw", args=[issued.pk]), {"reason": "  "})
    assert empty.status_code == 400 and "Enter the reason the report is withdrawn" in empty.content.decode()
    response = client.post(
        reverse("ipr-paper-withdraw", args=[issued.pk]), {"reason": "Issued a month early."}
    )
    assert response.status_code == 302 and response["Location"] == reverse("ipr-paper", args=[issued.pk])
    withdrawal = PaperWithdrawal.objects.get(paper=issued)
    assert (withdrawal.reason, withdrawal.withdrawn_by) == ("Issued a month early.", editor)
    record = AuditLog.objects.get(content_type__model="paperwithdrawal", object_id=str(withdrawal.pk))
    assert record.organisation == org and "Integrated performance report withdrawn" in record.note
    detail = client.get(reverse("ipr-paper", args=[issued.pk])).content.decode()
    assert (
        "Withdrawn" in detail and "Issued a month early." in detail and "Withdraw this report" not in detail
    )
    assert "Issued a month early." in client.get(reverse("ipr-papers")).content.decode()
    assert client.get(reverse("ipr-paper-file", args=[issued.pk, "pdf"])).status_code == 200  # still served
    again = client.post(reverse("ipr-paper-withdraw", args=[issued.pk]), {"reason": "Again"})
    assert again.status_code == 400 and "withdrawn already" in again.content.decode()
    assert IssuedPaper.objects.filter(pk=issued.pk).exists()


def test_another_organisation_cannot_see_download_withdraw_or_follow_an_issued_report(
    issued, outsider, other_org, login
):
    job = PaperJob.objects.create(
        organisation=issued.organisation,
        kind=PaperKind.IPR,
        as_at=issued.as_at,
        requested_by=issued.issued_by,
        state=JobState.DONE,
        paper=issued,
    )
    client = login(outsider)
    listing = client.get(reverse("ipr-papers"))
    assert (
        listing.status_code == 200 and reverse("ipr-paper", args=[issued.pk]) not in listing.content.decode()
    )
    for url in (
        reverse("ipr-paper", args=[issued.pk]),
        reverse("ipr-paper-file", args=[issued.pk, "pdf"]),
        reverse("ipr-paper-file", args=[issued.pk, "docx"]),
        reverse("ipr-paper-withdraw", args=[issued.pk]),
        reverse("ipr-job", args=[job.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("ipr-paper-withdraw", args=[issued.pk]), {"reason": "Mine now"}).status_code
        == 404
    )
    assert not PaperWithdrawal.objects.exists()
    # What the outsider issues is their own organisation's report, and holds none of the other's measures.
    client.post(reverse("ipr-issue"), {"as_at": TODAY().isoformat()})
    theirs = IssuedPaper.objects.get(organisation=other_org)
    assert theirs.kind == PaperKind.IPR and theirs.total == 0
    assert "Complaints" not in pdf_text(bytes(theirs.files.get(format="pdf").content))


def test_an_issued_report_is_not_a_board_paper_and_a_board_paper_is_not_a_report(issued, paper_plan, login):
    board = services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=TODAY(), by=paper_plan.editor)
    client = login(paper_plan.editor)
    assert client.get(reverse("paper-detail", args=[issued.pk])).status_code == 404
    assert client.get(reverse("paper-file", args=[issued.pk, "pdf"])).status_code == 404
    assert client.get(reverse("ipr-paper", args=[board.pk])).status_code == 404
    assert client.get(reverse("ipr-paper-file", args=[board.pk, "pdf"])).status_code == 404
    assert reverse("ipr-paper", args=[board.pk]) not in client.get(reverse("ipr-papers")).content.decode()


def test_a_tampered_report_is_neither_shown_nor_served(issued, editor, login):
    with connection.cursor() as cursor:  # as someone with database access might
        cursor.execute(
            "UPDATE reports_issuedpaperfile SET sha256 = %s WHERE paper_id = %s AND format = 'pdf'",
            ["0" * 64, issued.pk],
        )
        cursor.execute("UPDATE reports_issuedpaper SET data_sha256 = %s WHERE id = %s", ["0" * 64, issued.pk])
    client = login(editor)
    assert client.get(reverse("ipr-paper-file", args=[issued.pk, "pdf"])).status_code == 409
    assert client.get(reverse("ipr-paper", args=[issued.pk])).status_code == 409


def test_the_command_issues_the_report_and_writes_the_issued_file(measures, org, tmp_path):
    out = tmp_path / "issued.docx"
    stdout = io.StringIO()
    call_command("ipr", organisation=org.ods_code, issue=True, fmt="docx", out=str(out), stdout=stdout)
    issued = IssuedPaper.objects.get(kind=PaperKind.IPR)
    assert out.read_bytes() == bytes(issued.files.get(format="docx").content)
    assert f"Record SHA-256 {issued.data_sha256}" in stdout.getvalue()
    with pytest.raises(CommandError, match="--format and --out"):
        call_command("ipr", organisation=org.ods_code, fmt="pdf")
    with pytest.raises(CommandError, match="does not allow issuing"):
        call_command("ipr", organisation=org.ods_code, issue=True, as_user="viewer")
