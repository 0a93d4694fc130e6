"""Issue 22's whole journey in a real browser, with axe on every page: a governance editor builds a meeting's agenda
from the committee's cycle of business, attaches a paper, issues the pack, records the meeting as held with its
minute; the chair then writes, confirms and issues the chair's report, and it is on the board's next agenda."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.committees.builders import build_board
from tests.committees.pack_files import pdf_pages

from wellled.committees.jobs import pack_job_run
from wellled.committees.models import AgendaItem, CycleItem, Meeting, MeetingPack

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def queue_only(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path


def test_from_the_cycle_of_business_to_the_chairs_report_on_the_boards_next_agenda(
    new_page, queue_only, tmp_path
):
    b = build_board(when=timezone.now() - datetime.timedelta(hours=2))  # the meeting took place this morning
    AgendaItem.objects.filter(meeting=b.meeting).delete()
    CycleItem.objects.create(committee=b.quality, title="Maternity safety report", recurrence="every")
    board_meeting = Meeting.objects.create(
        committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    start = timezone.localtime(b.meeting.starts_at).date()
    year = start.year - (start.month < 4)

    # The governance editor: cycle of business, draft agenda, a paper, the pack.
    page = new_page()
    sign_in(page, b.governance, next_path=f"/committees/{b.quality.pk}/cycle/?year={year}")
    check_accessibility(page, "the cycle of business")
    page.get_by_role("button", name=re.compile("^Make the plan")).click()
    expect(page.get_by_text(re.compile(r"entries planned for"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Make the draft agenda")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Agenda and papers"))
    page.get_by_role("link", name=re.compile("^Add a paper")).click()
    upload = tmp_path / "maternity.pdf"
    upload.write_bytes(pdf_pages("Maternity dashboard", 2))
    page.get_by_label("PDF or Word file (for an upload)").set_input_files(str(upload))
    page.get_by_label("Title").fill("Maternity dashboard")
    page.get_by_label("Summary").fill("Staffing and outcomes this quarter.")
    page.get_by_role("button", name="Add the paper").click()
    expect(page.get_by_text(re.compile(r"^Paper added: Maternity dashboard"))).to_be_visible()
    page.get_by_role("button", name="Issue the meeting pack").click()
    live = page.get_by_role("status")
    pack_job_run(job_id=MeetingPack.objects.get().job_id)  # as the worker would
    expect(live).to_contain_text("The pack is issued")
    check_accessibility(page, "the issued pack")

    # The meeting: attendance (quorate), held, the item's minute with limited assurance.
    page.goto(f"/committees/meetings/{b.meeting.pk}/")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Quorate: 2 members present (1 non-executive, 1 executive).")).to_be_visible()
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_text("Recorded as held.")).to_be_visible()
    page.get_by_role("link", name="Minute of item 1").click()
    page.get_by_label("Minute").fill(
        "The committee was not assured on midwife staffing and asked for a plan."
    )
    page.get_by_label("Assurance received").select_option(label="Limited")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("Assurance received: Limited")).to_be_visible()
    check_accessibility(page, "the minuted meeting")

    # The chair: the report, with Wellled's suggestion of the limited assurance, onto the board's next agenda.
    chair = new_page()
    sign_in(chair, b.chair, next_path="/committees/reports/")
    chair.get_by_role("link", name="Not written yet for Quality Committee").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Chair's report to Trust Board")
    chair.get_by_label(re.compile(r"Maternity safety report: limited assurance")).check()
    chair.get_by_label("Assure").fill("Infection control reported in full; no concerns.")
    chair.get_by_label("I confirm this report").check()
    chair.get_by_role("button", name="Save the report").click()
    expect(chair.get_by_text("Chair's report saved.")).to_be_visible()
    chair.get_by_role("button", name="Issue to Trust Board").click()
    expect(chair.get_by_text("It is on the next agenda of Trust Board")).to_be_visible()
    check_accessibility(chair, "the issued report")

    page.goto(f"/committees/meetings/{board_meeting.pk}/")
    expect(page.get_by_role("cell", name="Quality Committee: chair's report")).to_be_visible()
    check_accessibility(page, "the board's next agenda")
