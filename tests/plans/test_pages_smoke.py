"""Every page renders for a signed-in editor (a quick guard that templates and selectors fit together)."""

import pytest
from django.urls import reverse

from wellled.plans.models import Action, Finding, Section
from wellled.plans.services import cycle_open


@pytest.mark.django_db
def test_every_page_renders_for_an_editor_when_a_plan_exists(login, editor, plan):
    import datetime

    client = login(editor)
    cycle = cycle_open(
        plan=plan,
        by=editor,
        name="November board",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 25),
    )
    action = Action.objects.filter(plan=plan).first()
    finding = Finding.objects.get(plan=plan)
    section = Section.objects.get(plan=plan)
    urls = [
        "/",
        "/my-actions/",
        "/plans/",
        "/plans/new/",
        "/organisation/",
        "/organisation/audit/",
        reverse("plan-detail", args=[plan.pk]),
        reverse("plan-edit", args=[plan.pk]),
        reverse("plan-history", args=[plan.pk]),
        reverse("section-create", args=[plan.pk]),
        reverse("action-create", args=[plan.pk]),
        reverse("finding-create", args=[plan.pk]),
        reverse("cycle-list", args=[plan.pk]),
        reverse("cycle-open", args=[plan.pk]),
        reverse("section-edit", args=[section.pk]),
        reverse("section-history", args=[section.pk]),
        reverse("action-detail", args=[action.pk]),
        reverse("action-edit", args=[action.pk]),
        reverse("action-update", args=[action.pk]),
        reverse("action-timescale", args=[action.pk]),
        reverse("action-state", args=[action.pk]),
        reverse("action-history", args=[action.pk]),
        reverse("finding-detail", args=[finding.pk]),
        reverse("finding-edit", args=[finding.pk]),
        reverse("finding-history", args=[finding.pk]),
        reverse("cycle-detail", args=[cycle.pk]),
        reverse("cycle-history", args=[cycle.pk]),
        reverse("plan-detail", args=[plan.pk]) + "?overdue=1&q=action",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:2000])
