"""Issuing the integrated performance report in a real browser, with axe on every page: a governance editor opens
the report, issues it, watches the job finish, finds it among the issued reports, opens it as issued, downloads its
PDF (checked with pypdf) and withdraws it with a reason.

The task backend here only queues (django-tasks' DummyBackend), so the page shows the job waiting; the test then
runs the job itself, as the worker would, and the page, asking every second, shows it finished.
"""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from tests.browser.helpers import check_accessibility, sign_in
from tests.reports.test_ipr_issued import FIRST_WORDS, make_ipr_measures

from wellled.core.formatting import long_date
from wellled.reports import services
from wellled.reports.models import IssuedPaperFile, JobState, PaperJob, PaperKind

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def queue_only(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_editor_issues_the_report_downloads_it_and_withdraws_it(new_page, org, editor, queue_only):
    late = make_ipr_measures(org, editor)["Complaints answered late"]
    today = long_date(timezone.localdate())
    page = new_page()
    # Poll requests wait for the test thread while it runs the job below (the live server shares its connection).
    page.route(re.compile(r"/performance-report/jobs/"), lambda route: route.continue_())
    # The report opens at the last complete period; this report is asked for as at today, the commentary's month.
    sign_in(page, editor, next_path=f"/performance-report/?as_at={timezone.localdate().isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrated performance report")
    expect(page.get_by_role("link", name=re.compile("^PDF"))).to_have_attribute(
        "href", re.compile(r"^/papers/draft/ipr\.pdf\?as_at=")
    )
    page.get_by_role("link", name=re.compile("^Issue this report")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the performance report")
    expect(page.get_by_label("Position as at")).to_have_value(timezone.localdate().isoformat())
    # The exception with no commentary is flagged first, and issuing asks for a tick (issue 27).
    expect(page.get_by_role("heading", name=re.compile("1 exception has no commentary"))).to_be_visible()
    check_accessibility(page, "the issue page")
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the performance report")
    check_accessibility(page, "the issue page asking to confirm")
    page.get_by_label("Issue it without commentary on these exceptions").check()
    page.get_by_role("button", name="Issue the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Issuing the performance report as at {today}")
    live = page.get_by_role("status")
    expect(live).to_contain_text("Waiting to start")
    check_accessibility(page, "the job's progress page while it waits")
    job = PaperJob.objects.get(kind=PaperKind.IPR)
    assert job.state == JobState.QUEUED
    services.paper_job_run(job_id=job.pk)  # as the worker would
    expect(live).to_contain_text("The report is issued")
    expect(page.locator("[hx-trigger]")).to_have_count(0)  # finished: the page stops asking
    check_accessibility(page, "the job's progress page when finished")

    page.get_by_role("link", name="Issued performance reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issued performance reports")
    rows = page.locator("table.wl-papers tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Exceptions: 2")
    check_accessibility(page, "the issued reports")
    link = rows.first.get_by_role("link", name=re.compile("^PDF"))
    pdf = page.request.get(link.get_attribute("href"))
    stored = IssuedPaperFile.objects.get(paper__kind=PaperKind.IPR, format="pdf")
    assert pdf.ok and hashlib.sha256(pdf.body()).hexdigest() == stored.sha256
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Integrated performance report" in text and FIRST_WORDS in text

    rows.first.get_by_role("link", name=today, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"position as at {today}")
    expect(page.locator(f"#measure-{late.pk}").get_by_text(FIRST_WORDS)).to_be_visible()
    check_accessibility(page, "the issued report")
    page.get_by_role("link", name="Withdraw this report").click()
    check_accessibility(page, "the withdrawal page")
    page.get_by_label("Why is the report withdrawn?").fill("Issued before the month's figures came in.")
    page.get_by_role("button", name="Withdraw this report").click()
    expect(page.get_by_text("Issued before the month's figures came in.")).to_be_visible()
    check_accessibility(page, "the withdrawn report")
