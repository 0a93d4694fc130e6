"""A worker raises a concern on the anonymous route with no account, the guardian replies on the case page, and
the worker reads the reply with the case key alone. Axe on every page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.factories import make_person

from wellled.ftsu.services import speak_up_role_set

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_worker_raises_anonymously_and_reads_the_guardians_reply(new_page, live_server, org, people):
    guardian = make_person(org, role="viewer", username="guardian")
    speak_up_role_set(organisation=org, person=guardian, role="guardian", by=people["administrator"])

    worker = new_page()
    worker.set_default_timeout(60_000)  # the first page a fresh server serves, on a loaded machine
    worker.goto(f"{live_server.url}/speak-up/anonymous/{org.ods_code}/")
    check_accessibility(worker, "the anonymous route")
    expect(worker.get_by_label("Name")).to_have_count(0)
    worker.get_by_label("Your concern").fill("Fire doors on the third floor are wedged open at night.")
    worker.get_by_label("Patient safety or quality").check()
    worker.get_by_role("button", name="Send my concern").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("Your concern has been sent")
    check_accessibility(worker, "the case key page")
    key = worker.locator("#case-key code").inner_text()

    page = new_page()
    page.set_default_timeout(60_000)
    sign_in(page, guardian, next_path="/speak-up/cases/")
    check_accessibility(page, "the case list")
    page.get_by_role("link", name="FTSU-").first.click()
    check_accessibility(page, "the case page")
    form = page.locator("form", has=page.get_by_role("button", name="Add to the journal"))
    form.get_by_label("Date").fill(datetime.date.today().isoformat())
    form.get_by_label("Kind").select_option("to_worker")
    form.get_by_label("What was said or done").fill("Thank you: estates have been asked to fit door closers.")
    form.get_by_role("button", name="Add to the journal").click()
    expect(page.get_by_text("Added to the journal.")).to_be_visible()

    worker.goto(f"{live_server.url}/speak-up/anonymous/{org.ods_code}/case/")
    check_accessibility(worker, "the case key form")
    worker.get_by_label("Your case key").fill(key)
    worker.get_by_role("button", name="Open my case").click()
    expect(worker.get_by_text("estates have been asked to fit door closers")).to_be_visible()
    check_accessibility(worker, "the worker's case")
    worker.get_by_label("Your message").fill("Thank you, I will watch for it.")
    worker.get_by_role("button", name="Send my message").click()
    expect(worker.get_by_text("Your message has been sent to the guardian.")).to_be_visible()
