"""Bring data from before 1 December 2026 in line with two rules that began then.

1. A timescale shown as a month is due by the month's last day (the form used to keep whichever day was picked).
2. Papers read an action's state at their date from ActionStateChange (ADR 0013); earlier changes of state are
   recovered from the audit log, which recorded each one with its time and author.
"""

import calendar

from django.db import migrations

MONTH = "month"


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def timescales_to_month_end(apps, schema_editor):
    """Move month-precision due dates to the month's last day, on actions and their timescale records."""
    for model, precision in (("Action", "due_precision"), ("TimescaleRevision", "precision")):
        manager = apps.get_model("plans", model)._base_manager
        for pk, day in (
            manager.filter(**{precision: MONTH}).exclude(due_date=None).values_list("pk", "due_date")
        ):
            if month_end(day) != day:
                manager.filter(pk=pk).update(due_date=month_end(day))


def state_changes_from_audit_log(apps, schema_editor):
    """One ActionStateChange per audited change of state, for actions that have none yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLog = apps.get_model("core", "AuditLog")
    Action = apps.get_model("plans", "Action")
    ActionStateChange = apps.get_model("plans", "ActionStateChange")
    action_type = ContentType.objects.filter(app_label="plans", model="action").first()
    if action_type is None:
        return
    known = set(ActionStateChange._base_manager.values_list("action_id", flat=True).distinct())
    actions = set(Action._base_manager.values_list("pk", flat=True))
    changes = []
    for record in AuditLog._base_manager.filter(content_type=action_type, action="update").order_by(
        "created_at", "id"
    ):
        before, after = record.before or {}, record.after or {}
        if (
            "state" not in after
            or before.get("state") == after.get("state")
            or not record.object_id.isdigit()
        ):
            continue
        action_id = int(record.object_id)
        if action_id in known or action_id not in actions:
            continue
        changes.append(
            ActionStateChange(
                action_id=action_id,
                from_state=before.get("state") or "open",
                state=after["state"],
                assurance_evidence=after.get("assurance_evidence") or "",
                created_by_id=record.actor_id,
                created_at=record.created_at,
            )
        )
    ActionStateChange._base_manager.bulk_create(changes)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_word_template"),
        ("plans", "0003_action_state_changes"),
    ]

    operations = [
        migrations.RunPython(timescales_to_month_end, migrations.RunPython.noop),
        migrations.RunPython(state_changes_from_audit_log, migrations.RunPython.noop),
    ]
