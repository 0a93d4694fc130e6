"""Progress updates and timescales carry the position they report (ADR 0032); imports keep their position date,
findings may have no category, sections a purpose, and a plan may repeat Part B's actions in Part A (ADR 0033).

Data from before this rule: an update recorded in a cycle's collection window (after its position date, by its
deadline) was dated the day it was recorded, so the cycle's paper left it out; it now reports the cycle's
position date. Each action's status is then its latest update by position, then by recording time, so a
back-dated update no longer stands over a newer one.
"""

from django.db import migrations, models
from django.utils import timezone


def updates_answer_their_cycle(apps, schema_editor):
    """Updates recorded after their cycle's position date and by its deadline report that position."""
    ProgressUpdate = apps.get_model("plans", "ProgressUpdate")
    manager = ProgressUpdate._base_manager
    rows = manager.exclude(cycle=None).values_list(
        "pk", "update_date", "created_at", "cycle__position_as_at", "cycle__update_deadline"
    )
    for pk, update_date, created_at, position, deadline in rows:
        recorded = timezone.localdate(created_at)
        if position < recorded <= deadline and update_date > position:
            manager.filter(pk=pk).update(update_date=position)


def status_from_latest_position(apps, schema_editor):
    """Each action's status is its latest update by position, then by recording time."""
    ProgressUpdate = apps.get_model("plans", "ProgressUpdate")
    Action = apps.get_model("plans", "Action")
    latest = {}
    for action_id, status_id in ProgressUpdate._base_manager.order_by(
        "action_id", "update_date", "created_at", "id"
    ).values_list("action_id", "status_id"):
        latest[action_id] = status_id
    for pk, status_id in Action._base_manager.filter(pk__in=latest).values_list("pk", "status_id"):
        if latest[pk] != status_id:
            Action._base_manager.filter(pk=pk).update(status_id=latest[pk])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_text_limits_and_reference_rule"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="progressupdate",
            options={"ordering": ["action", "-update_date", "-created_at", "-id"]},
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="awaited",
            field=models.BooleanField(
                default=False,
                help_text="For this position the lead's update was awaited (an imported 'UPDATE AWAITED'): the "
                "text and status are carried from before.",
            ),
        ),
        migrations.AddField(
            model_name="timescalerevision",
            name="position_date",
            field=models.DateField(
                blank=True,
                help_text="The position from which this timescale stands (imported history: the workbook's "
                "position date); empty means the day it was recorded.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="update_date",
            field=models.DateField(
                help_text="The position the update reports: its cycle's position date, or a date of its own "
                "(ADR 0032).",
                verbose_name="position as at",
            ),
        ),
        migrations.AddField(
            model_name="planimport",
            name="position_as_at",
            field=models.DateField(
                blank=True,
                help_text="The position date given on upload; it dates every imported update.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="finding",
            name="finding_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("must_do", "Must do"),
                    ("should_do", "Should do"),
                    ("breach", "Breach of regulation"),
                    ("area_for_improvement", "Area for improvement"),
                    ("outstanding_practice", "Outstanding practice"),
                ],
                default="must_do",
                help_text="Empty when the report gave the finding no category (none is invented).",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="part_b_actions_in_part_a",
            field=models.BooleanField(
                default=False,
                help_text="Print the actions that answer a finding, and sit in no section, in Part A as well as "
                "Part B.",
                verbose_name="repeat Part B's actions in Part A",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="purpose",
            field=models.TextField(
                blank=True, help_text="What the workstream is for, printed under its heading."
            ),
        ),
        migrations.RunPython(updates_answer_their_cycle, migrations.RunPython.noop),
        migrations.RunPython(status_from_latest_position, migrations.RunPython.noop),
    ]
