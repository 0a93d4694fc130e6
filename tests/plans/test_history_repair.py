"""The data migration that brings earlier data in line: month timescales end on the month's last day, and changes
of state recorded only in the audit log become state-change records that papers read."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.plans.models import Action, ActionStateChange, TimescaleRevision, state_at

repair = importlib.import_module("wellled.plans.migrations.0004_repair_timescales_and_state_history")
pytestmark = pytest.mark.django_db


def test_month_timescales_saved_on_another_day_move_to_the_month_end(plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    Action.objects.filter(pk=action.pk).update(due_date=datetime.date(2026, 11, 2))
    TimescaleRevision.objects.filter(action=action).update(due_date=datetime.date(2026, 11, 2))
    day_precise = Action.objects.get(plan=plan, reference="W1b")
    Action.objects.filter(pk=day_precise.pk).update(due_date=datetime.date(2026, 11, 2), due_precision="day")
    repair.timescales_to_month_end(apps, None)
    assert Action.objects.get(pk=action.pk).due_date == datetime.date(2026, 11, 30)
    assert set(TimescaleRevision.objects.filter(action=action).values_list("due_date", flat=True)) == {
        datetime.date(2026, 11, 30)
    }
    assert Action.objects.get(pk=day_precise.pk).due_date == datetime.date(2026, 11, 2)


def test_a_closure_known_only_to_the_audit_log_becomes_a_state_change_papers_read(org, editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    before = snapshot(action)
    Action.objects.filter(pk=action.pk).update(state="closed", assurance_evidence="Audit report")
    action.refresh_from_db()
    audit_record(by=editor, organisation=org, action=AuditAction.UPDATE, instance=action, before=before)
    assert not ActionStateChange.objects.filter(action=action).exists()
    repair.state_changes_from_audit_log(apps, None)
    change = ActionStateChange.objects.get(action=action)
    assert (change.from_state, change.state, change.assurance_evidence, change.created_by) == (
        "open",
        "closed",
        "Audit report",
        editor,
    )
    action = Action.objects.prefetch_related("state_changes").get(pk=action.pk)
    assert state_at(action, change.created_at - datetime.timedelta(seconds=1)) == "open"
    assert state_at(action, timezone.now()) == "closed"
    repair.state_changes_from_audit_log(apps, None)  # running it again adds nothing
    assert ActionStateChange.objects.filter(action=action).count() == 1
