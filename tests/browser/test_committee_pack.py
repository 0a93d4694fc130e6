"""The cycle of business to an issued pack in a real browser, with axe on every page (issue 22): a governance editor
plans the committee's year, makes the meeting's draft agenda from it, uploads a paper with its cover sheet, issues
the pack, watches its progress and downloads the PDF (checked with pypdf).

The task backend here only queues, so the page shows the pack waiting; the test runs the job as the worker would."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from tests.browser.helpers import check_accessibility, sign_in
from tests.committees.builders import build_board
from tests.committees.pack_files import pdf_pages

from wellled.committees.jobs import pack_job_run
from wellled.committees.models import AgendaItem, CycleItem, MeetingPack

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def queue_only(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path


def test_governance_editor_goes_from_the_cycle_of_business_to_an_issued_pack(new_page, queue_only, tmp_path):
    b = build_board()
    AgendaItem.objects.filter(meeting=b.meeting).delete()
    CycleItem.objects.create(committee=b.quality, title="Maternity safety report", recurrence="every")
    start = timezone.localtime(b.meeting.starts_at).date()
    year = start.year - (start.month < 4)
    page = new_page()
    page.route(re.compile(r"/committees/packs/"), lambda route: route.continue_())
    sign_in(page, b.governance, next_path=f"/committees/{b.quality.pk}/cycle/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Cycle of business"))
    check_accessibility(page, "the cycle of business")
    page.get_by_role("button", name=re.compile("^Make the plan")).click()
    expect(page.get_by_text(re.compile(r"entries planned for"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Make the draft agenda")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Agenda and papers"))
    expect(page.get_by_text("Maternity safety report", exact=True)).to_be_visible()
    check_accessibility(page, "the agenda and papers")
    page.get_by_role("link", name=re.compile("^Add a paper")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a paper")
    check_accessibility(page, "adding a paper")
    upload = tmp_path / "maternity.pdf"
    upload.write_bytes(pdf_pages("Maternity dashboard", 3))
    page.get_by_label("PDF or Word file (for an upload)").set_input_files(str(upload))
    page.get_by_label("Title").fill("Maternity dashboard")
    page.get_by_label("Summary").fill("Staffing and outcomes this quarter.")
    page.get_by_role("button", name="Add the paper").click()
    expect(page.get_by_text("Paper added: Maternity dashboard.")).to_be_visible()

    page.get_by_role("button", name="Issue the meeting pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting pack")
    live = page.get_by_role("status")
    expect(live).to_contain_text("Waiting to start")
    check_accessibility(page, "the pack's progress while it waits")
    pack = MeetingPack.objects.get()
    pack_job_run(job_id=pack.job_id)  # as the worker would
    expect(live).to_contain_text("The pack is issued")
    check_accessibility(page, "the issued pack")
    pdf = page.request.get(page.get_by_role("link", name="Download the PDF pack").get_attribute("href"))
    assert pdf.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Maternity dashboard, page 3" in text and "Staffing and outcomes this quarter." in text
