"""Issuing a board paper in a real browser, with axe on every page: a governance editor issues the September paper,
watches the job's progress page until it finishes, finds the paper among the past papers and compares it with the
August paper issued before.

The task backend here only queues (django-tasks' DummyBackend), so the page shows the job waiting; the test then
runs the job itself, as the worker would, and the page, asking every second, shows it finished.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import check_accessibility, sign_in
from tests.reports.paper_data import PREVIOUS_AS_AT, build_paper_plan

from wellled.reports import services
from wellled.reports.models import JobState, PaperJob

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def paper_plan(org, editor, viewer):
    """The board-paper tests' plan (August and September cycles), with the August paper already issued."""
    built = build_paper_plan(org, editor, viewer)
    services.paper_issue(plan=built.plan, cycle_or_as_at=PREVIOUS_AS_AT, by=editor)
    return built


@pytest.fixture
def queue_only(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_editor_issues_a_paper_watches_it_finish_and_compares_it_with_the_last_one(
    new_page, editor, paper_plan, queue_only
):
    plan = paper_plan.plan
    page = new_page()
    # Poll requests wait for the test thread while it runs the job below, so the server never reads the database
    # in the middle of the job's writes (the live server shares the test's connection).
    page.route(re.compile(r"/papers/jobs/"), lambda route: route.continue_())
    sign_in(page, editor, next_path=f"/plans/{plan.pk}/board-paper/")
    expect(page.get_by_role("heading", level=1).first).to_contain_text("position as at 30 September 2025")
    check_accessibility(page, "the board paper page with its issue button")

    page.get_by_role("link", name=re.compile("^Issue this paper")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the board paper")
    expect(page.get_by_label("Position as at")).to_have_value("2025-09-30")
    expect(page.get_by_text("for the reporting cycle September 2025")).to_be_visible()
    check_accessibility(page, "the issue page")
    page.get_by_role("button", name="Issue the paper").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Issuing the board paper as at 30 September 2025"
    )
    live = page.get_by_role("status")
    expect(live).to_contain_text("Waiting to start")
    expect(page.get_by_role("progressbar", name="Issuing the paper")).to_have_attribute("aria-valuenow", "0")
    check_accessibility(page, "the job's progress page while it waits")

    job = PaperJob.objects.get(plan=plan)
    assert job.state == JobState.QUEUED
    services.paper_job_run(job_id=job.pk)  # as the worker would

    expect(live).to_contain_text("The paper is issued")
    expect(page.locator("[hx-trigger]")).to_have_count(0)  # finished: the page stops asking
    check_accessibility(page, "the job's progress page when finished")

    page.get_by_role("link", name="Past papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past board papers")
    rows = page.locator("table.wl-papers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("30 September 2025")
    expect(rows.first).to_contain_text("On track: 4")
    expect(rows.nth(1)).to_contain_text("31 August 2025")
    check_accessibility(page, "the past papers")
    pdf = page.request.get(rows.first.get_by_role("link", name=re.compile("^PDF")).get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.get_by_role("link", name="Compare the latest with the one before").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed between two board papers")
    expect(page.get_by_label("Earlier paper")).to_have_value(
        str(plan.issued_papers.get(as_at=PREVIOUS_AS_AT).pk)
    )
    worsened = page.get_by_role("table", name=re.compile("^Status worsened"))
    expect(worsened).to_contain_text("W1b")
    expect(worsened).to_contain_text("A/G On track")
    expect(worsened).to_contain_text("R Off track")
    expect(page.get_by_role("table", name=re.compile("^Newly completed"))).to_contain_text("W1c")
    expect(page.get_by_role("table", name=re.compile("^Timescale slipped"))).to_contain_text("W1a")
    check_accessibility(page, "the comparison")
