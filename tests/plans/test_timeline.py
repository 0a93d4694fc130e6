"""An action's timeline reads newest first and always ends with its creation, even when the plan was loaded with
history older than the record of its creation (an import, the demo)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.factories import status

from wellled.plans import selectors, services
from wellled.plans.models import Action

pytestmark = pytest.mark.django_db


def test_the_timeline_is_newest_first_and_ends_with_the_creation(org, editor, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    last_year = timezone.now() - datetime.timedelta(days=365)
    for months, code in ((0, "A/R"), (1, "A/G")):
        action.refresh_from_db()
        services.progress_update_record(
            action=action,
            by=lead,
            narrative=f"Update {code}",
            status=status(org, code),
            expected_version=None,
            at=last_year + datetime.timedelta(days=30 * months),
        )
    timeline = selectors.action_timeline(user=editor, organisation=org, action=action)
    assert timeline[-1].kind == "change" and timeline[-1].item.action == "create"
    rest = timeline[:-1]
    assert [e.at for e in rest] == sorted((e.at for e in rest), reverse=True)
    updates = [e.item.narrative for e in rest if e.kind == "update"]
    assert updates == ["Update A/G", "Update A/R"]
