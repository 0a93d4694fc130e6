"""Issued (frozen) board papers: issuing, checksums, immutability, tampering, the pages and the command."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.factories import db_state, status
from tests.reports.paper_data import AS_AT, LATE_NARRATIVE, PREVIOUS_AS_AT

from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import services as plan_services
from wellled.plans.models import Action, ReportingCycle
from wellled.reports import board_kind, services
from wellled.reports.board_paper import board_paper_build
from wellled.reports.formats import FORMATS, render
from wellled.reports.models import IssuedPaper, IssuedPaperFile, JobState, PaperJob
from wellled.reports.selectors import TamperedError, frozen_paper, verified_content
from wellled.reports.snapshot import checksum


@pytest.fixture
def september(paper_plan) -> ReportingCycle:
    return paper_plan.plan.cycles.get(position_as_at=AS_AT)


@pytest.fixture
def issued(paper_plan, september) -> IssuedPaper:
    return services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=september, by=paper_plan.editor)


@pytest.fixture
def earlier(paper_plan) -> IssuedPaper:
    return services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=PREVIOUS_AS_AT, by=paper_plan.editor)


def files_of(issued: IssuedPaper) -> dict[str, bytes]:
    return {f.format: bytes(f.content) for f in IssuedPaperFile.objects.filter(paper=issued)}


def tamper(table: str, column: str, value, pk: int) -> None:
    """Change a stored row behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608 (test names)


# Issuing ------------------------------------------------------------------------------------------------------


def test_issuing_stores_the_snapshot_and_every_format_with_verifying_checksums(paper_plan, september, issued):
    issued = IssuedPaper.objects.get(pk=issued.pk)  # as the database gives it back
    assert issued.plan == paper_plan.plan and issued.cycle == september and issued.as_at == AS_AT
    assert issued.issued_by == paper_plan.editor and issued.title == "Well-led review 2025: delivery status"
    assert issued.data_sha256 == checksum(issued.data) and issued.data_intact
    assert issued.total == 6
    assert {c["code"]: c["count"] for c in issued.counts} == {
        "A/G": 4,
        "G": 1,
        "R": 1,
        "A/R": 0,
        "B": 0,
        "–": 0,
    }
    files = list(issued.files.all())
    assert sorted(f.format for f in files) == sorted(FORMATS)
    for f in files:
        content = bytes(f.content)
        assert f.size == len(content) > 0 and f.sha256 == hashlib.sha256(content).hexdigest() and f.intact
        assert f.filename == f"well-led-review-2025-2025-09-30.{FORMATS[f.format].extension}"
        assert f.content_type == FORMATS[f.format].content_type


def test_the_snapshot_is_the_paper_as_built_and_re_renders_to_the_same_files(paper_plan, org, issued):
    paper = frozen_paper(IssuedPaper.objects.get(pk=issued.pk))
    live = board_paper_build(user=paper_plan.editor, organisation=org, plan=paper_plan.plan, as_at=AS_AT)
    assert paper.rows == live.rows and paper.movement == live.movement and paper.counts == live.counts
    assert paper.generated_at == issued.issued_at and paper.generated_by == str(paper_plan.editor)
    stored = files_of(issued)
    for fmt in ("csv", "html", "xlsx"):
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(render(paper, fmt)))["Actions"]
            assert [c.value for c in sheet[2]] == [
                c.value for c in load_workbook(io.BytesIO(stored[fmt]))["Actions"][2]
            ]
        else:
            assert render(paper, fmt) == stored[fmt]


def test_the_issued_files_open_and_say_the_as_at_date(issued):
    stored = files_of(issued)
    pdf_text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(stored["pdf"])).pages
    )
    assert "Position as at 30 September 2025" in pdf_text and "W1b" in pdf_text
    assert LATE_NARRATIVE not in pdf_text
    document = Document(io.BytesIO(stored["docx"]))
    assert "Position as at 30 September 2025" in [p.text for p in document.paragraphs] and document.tables
    workbook = load_workbook(io.BytesIO(stored["xlsx"]))
    assert workbook["Actions"].max_row == 7 and {"Legend", "Summary"} <= set(workbook.sheetnames)
    rows = list(csv.reader(io.StringIO(stored["csv"].decode("utf-8-sig"))))
    assert len(rows) == 7 and rows[1][rows[0].index("Position as at")] == "2025-09-30"
    assert "Position as at 30 September 2025" in stored["html"].decode("utf-8")


def test_issuing_is_audited_with_the_checksums_not_the_snapshot(paper_plan, issued):
    record = AuditLog.objects.get(object_id=str(issued.pk), content_type__model="issuedpaper")
    assert record.actor == paper_plan.editor and record.organisation == paper_plan.plan.organisation
    assert record.note == "Board paper issued: position as at 30 September 2025"
    assert record.after["data_sha256"] == issued.data_sha256
    assert "data" not in record.after
    for file in issued.files.all():
        assert file.sha256 in record.after["files"]


def test_a_date_without_a_cycle_is_issued_without_one(paper_plan):
    issued = services.paper_issue(
        plan=paper_plan.plan, cycle_or_as_at=datetime.date(2025, 9, 15), by=paper_plan.editor
    )
    assert issued.cycle is None and issued.as_at == datetime.date(2025, 9, 15)


def test_a_date_that_is_a_cycles_position_date_is_issued_for_that_cycle(paper_plan, september):
    issued = services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=AS_AT, by=paper_plan.editor)
    assert issued.cycle == september


def test_the_progress_callback_hears_every_step_in_order(paper_plan, september):
    heard = []
    services.paper_issue(
        plan=paper_plan.plan, cycle_or_as_at=september, by=paper_plan.editor, progress=heard.append
    )
    assert [p.text for p in heard] == [
        "Reading the plan (1 of 7)",
        "Rendering PDF (2 of 7)",
        "Rendering Word (3 of 7)",
        "Rendering Excel (4 of 7)",
        "Rendering CSV (5 of 7)",
        "Rendering HTML (6 of 7)",
        "Storing the issued paper (7 of 7)",
        "Issued (7 of 7)",
    ]
    percents = [p.percent for p in heard]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100


@pytest.mark.parametrize("role", ["viewer", "lead"])
def test_only_editors_and_administrators_may_issue(paper_plan, september, people, role):
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=september, by=people[role])
    with pytest.raises(PermissionDenied):
        services.paper_job_start(plan=paper_plan.plan, cycle_or_as_at=september, by=people[role])
    assert db_state() == before


def test_a_cycle_of_another_plan_is_refused(paper_plan, org, editor, lead):
    from django.core.exceptions import ValidationError
    from tests.factories import make_plan

    other = make_plan(org, editor, name="Another plan", lead=lead)
    cycle = plan_services.cycle_open(
        plan=other, by=editor, name="Other", position_as_at=AS_AT, update_deadline=AS_AT
    )
    with pytest.raises(ValidationError, match="another plan"):
        services.paper_issue(plan=paper_plan.plan, cycle_or_as_at=cycle, by=editor)


# Frozen: nothing changes it -----------------------------------------------------------------------------------


def test_changing_the_plan_afterwards_changes_nothing_issued(paper_plan, org, issued, login):
    client = login(paper_plan.viewer)
    urls = {fmt: reverse("paper-file", args=[issued.pk, fmt]) for fmt in FORMATS}
    downloads = {fmt: client.get(url).content for fmt, url in urls.items()}
    data, digest = IssuedPaper.objects.get(pk=issued.pk).data, issued.data_sha256

    w1b = Action.objects.get(plan=paper_plan.plan, reference="W1b")
    plan_services.action_update(
        action=w1b,
        by=paper_plan.editor,
        expected_version=AS_IT_STANDS,
        title="A different title, written after the paper was issued",
    )
    w1b.refresh_from_db()
    plan_services.progress_update_record(
        action=w1b,
        by=paper_plan.editor,
        narrative="Much later news.",
        status=status(org, "G"),
        expected_version=None,
        update_date=AS_AT,
        at=datetime.datetime(2025, 9, 30, 12, tzinfo=datetime.UTC),
    )
    live = board_paper_build(user=paper_plan.editor, organisation=org, plan=paper_plan.plan, as_at=AS_AT)
    assert "A different title" in next(
        r.title for r in live.rows if r.reference == "W1b"
    )  # the live paper moved

    stored = IssuedPaper.objects.get(pk=issued.pk)
    assert stored.data == data and stored.data_sha256 == digest and checksum(stored.data) == digest
    assert next(r.title for r in frozen_paper(stored).rows if r.reference == "W1b") == (
        "Agree a succession plan for each director"
    )
    for fmt, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200 and response.content == downloads[fmt], fmt


def test_an_issued_paper_and_its_files_cannot_be_changed_or_deleted(issued):
    paper = IssuedPaper.objects.get(pk=issued.pk)
    paper.title = "Rewritten"
    with pytest.raises(PermissionError):
        paper.save()
    with pytest.raises(PermissionError):
        paper.delete()
    with pytest.raises(PermissionError):
        IssuedPaper.objects.filter(pk=issued.pk).update(title="Rewritten")
    with pytest.raises(PermissionError):
        IssuedPaper.objects.filter(pk=issued.pk).delete()
    file = IssuedPaperFile.objects.get(paper=issued, format="csv")
    file.content = b"forged"
    with pytest.raises(PermissionError):
        file.save()
    with pytest.raises(PermissionError):
        file.delete()
    with pytest.raises(PermissionError):
        IssuedPaperFile.objects.filter(paper=issued).update(content=b"forged")
    with pytest.raises(PermissionError):
        IssuedPaperFile.objects.filter(paper=issued).delete()
    assert IssuedPaper.objects.get(pk=issued.pk).title == issued.title
    assert bytes(IssuedPaperFile.objects.get(paper=issued, format="csv").content) != b"forged"


def test_the_plan_and_cycle_of_an_issued_paper_cannot_be_deleted(issued, september):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        september.delete()


def test_a_tampered_file_is_refused_with_a_clear_error(paper_plan, issued, login):
    file = IssuedPaperFile.objects.get(paper=issued, format="pdf")
    tamper("reports_issuedpaperfile", "content", bytes(file.content) + b"% one byte more", file.pk)
    file = IssuedPaperFile.objects.get(pk=file.pk)
    assert not file.intact
    with pytest.raises(TamperedError):
        verified_content(file)
    client = login(paper_plan.viewer)
    response = client.get(reverse("paper-file", args=[issued.pk, "pdf"]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "This paper cannot be shown" in body and "no longer matches the checksum" in body
    assert "application/pdf" not in response["Content-Type"]
    assert (
        client.get(reverse("paper-file", args=[issued.pk, "csv"])).status_code == 200
    )  # the others are fine


def test_a_tampered_snapshot_is_refused_on_the_paper_and_the_comparison(paper_plan, issued, earlier, login):
    data = IssuedPaper.objects.get(pk=issued.pk).data
    data["paper"]["rows"][1]["status"] = data["paper"]["rows"][0]["status"]
    import json

    tamper("reports_issuedpaper", "data", json.dumps(data), issued.pk)
    assert not IssuedPaper.objects.get(pk=issued.pk).data_intact
    client = login(paper_plan.viewer)
    for url in (
        reverse("paper-detail", args=[issued.pk]),
        reverse("paper-compare", args=[paper_plan.plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 409, url
        assert "no longer matches the checksum" in response.content.decode()
    assert client.get(reverse("paper-detail", args=[earlier.pk])).status_code == 200


# The pages -----------------------------------------------------------------------------------------------------


def test_an_editor_issues_from_the_page_and_the_job_page_shows_it_finished(paper_plan, login):
    client = login(paper_plan.editor)
    page = client.get(
        reverse("board-paper", args=[paper_plan.plan.pk]) + "?as_at=2025-09-30"
    ).content.decode()
    issue_url = reverse("paper-issue", args=[paper_plan.plan.pk])
    assert f"{issue_url}?as_at=2025-09-30" in page and "Issue this paper" in page
    assert reverse("paper-list", args=[paper_plan.plan.pk]) in page
    assert reverse("paper-compare", args=[paper_plan.plan.pk]) in page

    form = client.get(f"{issue_url}?as_at=2025-09-30").content.decode()
    assert "for the reporting cycle <strong>September 2025</strong>" in form and 'value="2025-09-30"' in form
    response = client.post(issue_url, {"as_at": "2025-09-30"})
    job = PaperJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("paper-job", args=[job.pk])
    assert job.state == JobState.DONE and job.percent == 100 and job.paper.as_at == AS_AT
    assert job.requested_by == paper_plan.editor and job.task_id
    body = client.get(response["Location"]).content.decode()
    assert "The paper is issued" in body and reverse("paper-detail", args=[job.paper_id]) in body
    assert 'role="status"' in body and 'aria-live="polite"' in body and "hx-trigger" not in body

    again = client.get(f"{issue_url}?as_at=2025-09-30").content.decode()
    assert "A paper as at this date has been issued already" in again


def test_a_viewer_sees_no_issue_button(paper_plan, login):
    page = login(paper_plan.viewer).get(reverse("board-paper", args=[paper_plan.plan.pk])).content.decode()
    assert "Issue this paper" not in page and "Past papers" in page


def test_the_issue_form_says_what_is_wrong(paper_plan, login):
    client = login(paper_plan.editor)
    response = client.post(reverse("paper-issue", args=[paper_plan.plan.pk]), {"as_at": "2025-13-45"})
    assert response.status_code == 400
    assert "Enter the date as year, month and day" in response.content.decode()
    far = client.post(reverse("paper-issue", args=[paper_plan.plan.pk]), {"as_at": "9999-12-31"})
    assert far.status_code == 400 and "Choose a date from 1 January 2000 to " in far.content.decode()
    assert not PaperJob.objects.exists() and not IssuedPaper.objects.exists()


@pytest.fixture
def queued_job(paper_plan, september):
    return PaperJob.objects.create(
        organisation=paper_plan.plan.organisation,
        plan=paper_plan.plan,
        cycle=september,
        as_at=AS_AT,
        requested_by=paper_plan.editor,
        step="Waiting to start",
    )


def test_the_job_page_polls_while_the_job_runs_and_answers_204_until_it_moves(paper_plan, queued_job, login):
    client = login(paper_plan.viewer)
    url = reverse("paper-job", args=[queued_job.pk])
    body = client.get(url).content.decode()
    assert "Waiting to start" in body and 'hx-trigger="every 1s"' in body
    assert f'hx-get="{url}?seen=queued-0-0"' in body
    assert 'role="progressbar"' in body and 'aria-valuenow="0"' in body

    htmx = {"HTTP_HX_REQUEST": "true"}
    assert client.get(url, {"seen": "queued-0-0"}, **htmx).status_code == 204  # nothing new to say
    PaperJob.objects.filter(pk=queued_job.pk).update(
        state=JobState.RUNNING, step="Rendering PDF (2 of 7)", step_number=2, percent=10
    )
    fragment = client.get(url, {"seen": "queued-0-0"}, **htmx)
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "Rendering PDF (2 of 7)" in text and "10% done" in text and "<html" not in text
    assert "seen=running-2-10" in text

    PaperJob.objects.filter(pk=queued_job.pk).update(state=JobState.QUEUED)  # let the real run claim it
    services.paper_job_run(job_id=queued_job.pk)
    done = client.get(url, {"seen": "running-2-10"}, **htmx).content.decode()
    assert "The paper is issued" in done and "hx-trigger" not in done


def test_a_job_queued_for_long_says_the_worker_may_not_be_running(paper_plan, queued_job, login):
    PaperJob.objects.filter(pk=queued_job.pk).update(
        created_at=queued_job.created_at - datetime.timedelta(minutes=5)
    )
    client = login(paper_plan.viewer)
    url = reverse("paper-job", args=[queued_job.pk])
    body = client.get(url).content.decode()
    assert "The background worker may not be running" in body and "wellled worker" in body
    assert "seen=queued-0-0-stalled" in body  # said once, not announced again on every poll
    assert client.get(url, {"seen": "queued-0-0-stalled"}, HTTP_HX_REQUEST="true").status_code == 204
    assert (
        "may not be running"
        in client.get(url, {"seen": "queued-0-0"}, HTTP_HX_REQUEST="true").content.decode()
    )


def test_a_job_whose_worker_died_is_failed_at_once_and_offers_to_issue_again(paper_plan, queued_job, login):
    """A running job whose heartbeat went quiet (its worker died) is marked failed when its page is read."""
    from django.utils import timezone

    now = timezone.now()
    PaperJob.objects.filter(pk=queued_job.pk).update(
        state=JobState.RUNNING,
        step="Rendering PDF (2 of 7)",
        step_number=2,
        percent=10,
        started_at=now - datetime.timedelta(minutes=2),
        heartbeat_at=now - datetime.timedelta(minutes=2),
    )
    body = login(paper_plan.viewer).get(reverse("paper-job", args=[queued_job.pk])).content.decode()
    assert "The background worker stopped while producing this paper" in body
    assert reverse("paper-issue", args=[paper_plan.plan.pk]) in body and 'data-state="failed"' in body


def test_a_long_job_with_a_recent_heartbeat_is_still_in_progress(paper_plan, queued_job, login):
    from django.utils import timezone

    now = timezone.now()
    PaperJob.objects.filter(pk=queued_job.pk).update(
        state=JobState.RUNNING, started_at=now - datetime.timedelta(minutes=20), heartbeat_at=now
    )
    body = login(paper_plan.viewer).get(reverse("paper-job", args=[queued_job.pk])).content.decode()
    assert 'data-state="running"' in body and "stopped while producing" not in body


def test_a_job_run_twice_issues_one_paper(paper_plan, queued_job):
    first = services.paper_job_run(job_id=queued_job.pk)
    assert services.paper_job_run(job_id=queued_job.pk) == first
    assert IssuedPaper.objects.count() == 1


def test_a_job_whose_requester_lost_the_role_fails_and_says_why(paper_plan, org, queued_job, login):
    from wellled.core.services import membership_set

    membership_set(user=paper_plan.editor, organisation=org, role="viewer", by=None)
    assert services.paper_job_run(job_id=queued_job.pk) is None
    job = PaperJob.objects.get(pk=queued_job.pk)
    assert (
        job.state == JobState.FAILED and "no longer allows" in job.error and not IssuedPaper.objects.exists()
    )
    body = login(paper_plan.viewer).get(reverse("paper-job", args=[job.pk])).content.decode()
    assert "The paper was not issued" in body and "no longer allows" in body


def test_a_failing_render_fails_the_job_and_stores_nothing(paper_plan, queued_job, monkeypatch):
    def broken(paper, fmt, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(board_kind, "render", broken)
    assert services.paper_job_run(job_id=queued_job.pk) is None
    job = PaperJob.objects.get(pk=queued_job.pk)
    assert job.state == JobState.FAILED and "nothing was issued" in job.error and "exploded" not in job.error
    assert not IssuedPaper.objects.exists() and not IssuedPaperFile.objects.exists()


def test_the_list_of_past_papers(paper_plan, issued, earlier, login):
    body = login(paper_plan.viewer).get(reverse("paper-list", args=[paper_plan.plan.pk])).content.decode()
    assert body.index("30 September 2025") < body.index("31 August 2025")  # latest first
    assert "September 2025" in body and f"by {paper_plan.editor}" in body
    for fmt in FORMATS:
        assert reverse("paper-file", args=[issued.pk, fmt]) in body
    assert (
        "A/G</span> On track: <strong>4</strong>" in body and "A/R</span> At risk: <strong>1</strong>" in body
    )
    assert "Issue a board paper" not in body  # a viewer


def test_the_paper_page_shows_the_record_checksums_and_the_paper(paper_plan, issued, login):
    body = login(paper_plan.viewer).get(reverse("paper-detail", args=[issued.pk])).content.decode()
    assert issued.data_sha256 in body
    for f in issued.files.all():
        assert f.sha256 in body and f.filename in body
    assert "Part A: delivery status by section" in body and "W2b" in body


def test_a_download_is_the_stored_file_with_its_name_and_digest(paper_plan, issued, login):
    response = login(paper_plan.viewer).get(reverse("paper-file", args=[issued.pk, "xlsx"]))
    file = IssuedPaperFile.objects.get(paper=issued, format="xlsx")
    assert response.content == bytes(file.content)
    assert response["Content-Disposition"] == 'attachment; filename="well-led-review-2025-2025-09-30.xlsx"'
    assert response["Repr-Digest"].startswith("sha-256=:")
    assert login(paper_plan.viewer).get(reverse("paper-file", args=[issued.pk, "exe"])).status_code == 404


def test_compare_defaults_to_the_latest_and_the_one_before(paper_plan, issued, earlier, login):
    client = login(paper_plan.viewer)
    body = client.get(reverse("paper-compare", args=[paper_plan.plan.pk])).content.decode()
    assert "From the paper" in body
    assert body.index("position as at 31 August 2025") < body.index("to the paper")
    summary = body[body.index("Summary") : body.index("Actions by status")]
    assert (
        '<a href="#improved">Status improved</a></td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">2'
        in summary
    )
    assert (
        '<a href="#worsened">Status worsened</a></td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">1'
        in summary
    )
    worsened = body[body.index('id="worsened"') : body.index('id="completed"')]
    assert "W1b" in worsened and "A/G" in worsened and "On track" in worsened and "Off track" in worsened
    completed = body[body.index('id="completed"') : body.index('id="slipped"')]
    assert "W1c" in completed
    slipped = body[body.index('id="slipped"') : body.index('id="new"')]
    assert "W1a" in slipped and "March 2026" in slipped and "July 2026" in slipped

    swapped = client.get(
        reverse("paper-compare", args=[paper_plan.plan.pk]), {"before": issued.pk, "after": earlier.pk}
    ).content.decode()
    assert swapped.index("position as at 31 August 2025") < swapped.index("to the paper")  # put in order


def test_compare_needs_two_papers(paper_plan, issued, login):
    body = login(paper_plan.editor).get(reverse("paper-compare", args=[paper_plan.plan.pk])).content.decode()
    assert "Two papers must have been issued to compare them; this plan has one." in body


def test_compare_with_a_paper_of_another_plan_is_404(paper_plan, issued, outsider, login):
    from wellled.reports.models import IssuedPaper as Paper

    other_plan = outsider.memberships.get().organisation.plans.get()
    other = services.paper_issue(plan=other_plan, cycle_or_as_at=AS_AT, by=outsider)
    assert Paper.objects.count() == 2
    response = login(paper_plan.viewer).get(
        reverse("paper-compare", args=[paper_plan.plan.pk]), {"before": issued.pk, "after": other.pk}
    )
    assert response.status_code == 404


# The command --------------------------------------------------------------------------------------------------


def test_the_command_shows_progress_on_stderr(paper_plan, people, tmp_path):
    stderr = io.StringIO()
    call_command(
        "board_paper",
        "--organisation",
        "ZNT01",
        "--plan",
        "Well-led review 2025",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "paper.csv"),
        "--as-at",
        AS_AT.isoformat(),
        stderr=stderr,
    )
    lines = stderr.getvalue().splitlines()
    assert lines[0].endswith("0% Reading the plan (1 of 3)") and "Rendering CSV (2 of 3)" in lines[1]
    assert lines[-1].startswith("[" + "#" * 30 + "] 100%")


def test_the_command_issues_a_frozen_paper(paper_plan, people, tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "board_paper",
        "--organisation",
        "ZNT01",
        "--plan",
        "Well-led review 2025",
        "--issue",
        "--as-at",
        AS_AT.isoformat(),
        "--as-user",
        paper_plan.editor.username,
        stdout=stdout,
        stderr=stderr,
    )
    issued = IssuedPaper.objects.get()
    assert (
        issued.as_at == AS_AT
        and issued.issued_by == paper_plan.editor
        and issued.cycle.name == "September 2025"
    )
    assert (
        f"Issued the board paper for Well-led review 2025, position as at 30 September 2025 (paper {issued.pk}, "
        "6 actions)"
    ) in stdout.getvalue()
    assert issued.data_sha256 in stdout.getvalue()
    assert "Rendering Word (3 of 7)" in stderr.getvalue()


def test_the_command_can_write_the_issued_file_too(paper_plan, people, tmp_path):
    out = tmp_path / "issued.pdf"
    call_command(
        "board_paper",
        "--organisation",
        "ZNT01",
        "--plan",
        "Well-led review 2025",
        "--issue",
        "--format",
        "pdf",
        "--out",
        str(out),
        "--as-at",
        AS_AT.isoformat(),
        "-v",
        "0",
    )
    assert out.read_bytes() == bytes(IssuedPaperFile.objects.get(format="pdf").content)


def test_the_command_will_not_issue_as_a_viewer(paper_plan, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="does not allow"):
        call_command(
            "board_paper",
            "--organisation",
            "ZNT01",
            "--plan",
            "Well-led review 2025",
            "--issue",
            "--as-user",
            paper_plan.viewer.username,
        )
    assert not IssuedPaper.objects.exists()


def test_the_command_needs_format_and_out_unless_issuing(paper_plan, people):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--format and --out"):
        call_command("board_paper", "--organisation", "ZNT01", "--plan", "Well-led review 2025")
