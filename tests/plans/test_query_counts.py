"""The everyday pages cost a fixed number of database queries however long the plan or an action's history:
a page that queried once per row would be slow on a real trust's plan (figures in bench/pages.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import make_person, make_plan, status

from wellled.core.choices import Role
from wellled.plans import services
from wellled.plans.models import Action

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    client.get(url)  # warm anything cached per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def grow(plan, editor, lead, other, count: int) -> None:
    """More actions, each with two leads, answering a new finding, with a progress update."""
    section = plan.sections.first()
    finding = services.finding_create(plan=plan, by=editor, text=f"Finding with {count} actions")
    for i in range(count):
        action = services.action_create(
            plan=plan,
            by=editor,
            reference=f"G{i}",
            title="More work",
            section=section,
            lead=lead,
            other_leads=[other],
            findings=[finding],
            due_date=datetime.date(2026, 12, 31),
        )
        services.progress_update_record(
            action=action,
            by=lead,
            narrative="Under way.",
            status=status(plan.organisation, "A/G"),
            expected_version=None,
        )


def test_the_plan_page_and_board_paper_cost_the_same_queries_for_3_or_23_actions(login, org, editor, lead):
    other = make_person(org, role=Role.LEAD, initials="OL")
    plan = make_plan(org, editor, actions=3, lead=lead)
    client = login(editor)
    urls = [f"/plans/{plan.pk}/", f"/plans/{plan.pk}/board-paper/", "/", "/my-actions/"]
    few = [queries(client, url) for url in urls]
    grow(plan, editor, lead, other, 20)
    assert [queries(client, url) for url in urls] == few


def test_the_action_page_costs_the_same_queries_for_1_or_8_updates_with_corrections(login, org, editor, lead):
    plan = make_plan(org, editor, actions=1, lead=lead)
    action = Action.objects.get(plan=plan)
    client = login(editor)

    def update(text, supersedes=None):
        action.refresh_from_db()
        return services.progress_update_record(
            action=action,
            by=lead,
            narrative=text,
            supersedes=supersedes,
            status=status(org, "A/G"),
            expected_version=None,
        )

    first = update("First")
    few = queries(client, f"/actions/{action.pk}/")
    for i in range(6):
        first = update(f"Update {i}")
    update("Correction", supersedes=first)
    assert queries(client, f"/actions/{action.pk}/") == few
