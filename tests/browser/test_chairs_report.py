"""A committee chair's report in a real browser, with axe on every page (issue 22, ADR 0062): the chair writes the
report after the meeting, adds what Wellled suggests alerting the board to, confirms and issues it; it is then an
item on the board's next agenda, with the issued report as its paper."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.committees.builders import build_board

from wellled.committees.choices import AssuranceLevel, MeetingStatus
from wellled.committees.models import AgendaItem, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_issued_chairs_report_is_on_the_boards_next_agenda(new_page):
    b = build_board()
    b.meeting.starts_at = timezone.now() - datetime.timedelta(days=3)
    b.meeting.status = MeetingStatus.HELD
    b.meeting.save()
    AgendaItem.objects.filter(pk=b.public_item.pk).update(assurance=AssuranceLevel.LIMITED)
    board_meeting = Meeting.objects.create(
        committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=10)
    )

    page = new_page()
    sign_in(page, b.chair, next_path="/committees/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair's reports")
    check_accessibility(page, "the list of chair's reports")
    page.get_by_role("link", name="Not written yet for Quality Committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair's report to Trust Board")
    check_accessibility(page, "the chair's report form")
    page.get_by_label(
        "Limited or no assurance: Integrated performance report: quality: limited assurance"
    ).check()
    page.get_by_label("Assure").fill("The committee took reasonable assurance on infection control.")
    page.get_by_label("I confirm this report").check()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Chair's report saved.")).to_be_visible()
    expect(page.get_by_text("Limited or no assurance: Integrated performance report")).to_be_visible()
    check_accessibility(page, "the confirmed report")
    page.get_by_role("button", name="Issue to Trust Board").click()
    expect(page.get_by_text("It is on the next agenda of Trust Board")).to_be_visible()
    check_accessibility(page, "the issued report")

    item = board_meeting.items.get()
    assert item.title == "Quality Committee: chair's report"
    assert item.papers.get().issued_paper.kind == "chairs_rpt"
