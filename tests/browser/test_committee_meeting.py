"""A governance editor runs a committee meeting in the browser: schedules it, adds agenda items, records the
attendance (quorate) and the minute of an item with the assurance received. Axe on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.committees.builders import build_board

from wellled.committees.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_governance_editor_schedules_and_minutes_a_meeting(new_page):
    b = build_board()
    page = new_page()
    sign_in(page, b.governance)
    page.get_by_role("link", name="Committees").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committees")
    check_accessibility(page, "the committee tree")
    page.get_by_role("link", name="Quality Committee").click()
    check_accessibility(page, "the committee's page")

    page.get_by_role("link", name="Schedule a meeting").click()
    check_accessibility(page, "the meeting form")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date", exact=True).fill(yesterday.isoformat())
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("Place or link to join (optional)").fill("Seminar room 2")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Meeting scheduled: add its agenda items.")).to_be_visible()
    meeting = Meeting.objects.filter(committee=b.quality).latest("pk")

    for title in ("Maternity safety report", "Infection prevention annual report"):
        page.get_by_role("link", name="Add an agenda item").click()
        check_accessibility(page, "the agenda item form")
        page.get_by_label("Title").fill(title)
        page.get_by_label("For assurance").check()
        page.get_by_label("Public", exact=True).check()
        page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_role("cell", name="Infection prevention annual report")).to_be_visible()
    page.get_by_role("button", name="Up item 2").click()
    expect(page.get_by_text("Infection prevention annual report moved up.")).to_be_visible()
    assert list(meeting.items.order_by("position").values_list("title", flat=True))[0] == (
        "Infection prevention annual report"
    )

    page.get_by_role("button", name="Save attendance").click()  # both members present, as the form opens
    expect(page.get_by_text("Quorate: 2 members present (1 non-executive, 1 executive).")).to_be_visible()
    check_accessibility(page, "the meeting page with its attendance")
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_text("Recorded as held.")).to_be_visible()

    page.get_by_role("link", name="Minute of item 1").click()
    check_accessibility(page, "the minute form")
    page.get_by_label("Minute").fill(
        "The committee noted the annual report and asked for a hand hygiene audit."
    )
    page.get_by_label("Assurance received").select_option(label="Reasonable")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("Assurance received: Reasonable")).to_be_visible()
    check_accessibility(page, "the minuted meeting")
    meeting.refresh_from_db()
    assert meeting.status == "held"
