"""Which update states an action's status (ADR 0032): the latest by position, then by recording time; positions
back-dated within the window only, never in the future; the migration that brings earlier data in line."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.factories import status

from wellled.core.models import AuditLog
from wellled.plans import services
from wellled.plans.models import Action, ProgressUpdate
from wellled.plans.position import BACKDATE_WINDOW

migration = importlib.import_module("wellled.plans.migrations.0006_position_rule")
pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def record(action, by, code, text, *, day=None, when):
    action.refresh_from_db()
    return services.progress_update_record(
        action=action,
        by=by,
        narrative=text,
        status=status(action.plan.organisation, code),
        expected_version=None,
        update_date=day,
        at=when,
    )


def test_a_back_dated_update_is_kept_but_does_not_overwrite_a_newer_position(plan, editor, lead):
    action = Action.objects.get(plan=plan, reference="W1a")
    record(
        action, lead, "A/G", "On course.", day=datetime.date(2026, 11, 4), when=at(datetime.date(2026, 11, 4))
    )
    late = record(
        action,
        lead,
        "R",
        "What we should have said at the end of September.",
        day=datetime.date(2026, 9, 30),
        when=at(datetime.date(2026, 11, 10)),
    )
    action.refresh_from_db()
    assert action.status.code == "A/G"  # the 4 November position still stands
    assert late.update_date == datetime.date(2026, 9, 30)
    note = (
        AuditLog.objects.filter(object_id=str(action.pk), note__startswith="Progress update")
        .latest("id")
        .note
    )
    assert "not the latest position" in note
    # A newer position later on becomes current again.
    record(action, lead, "G", "Done.", day=datetime.date(2026, 11, 20), when=at(datetime.date(2026, 11, 20)))
    action.refresh_from_db()
    assert action.status.code == "G"


def test_two_updates_for_the_same_position_the_later_recorded_wins(plan, lead):
    action = Action.objects.get(plan=plan, reference="W1a")
    day = datetime.date(2026, 10, 31)
    record(action, lead, "A/R", "First word.", day=day, when=at(datetime.date(2026, 11, 2)))
    record(action, lead, "A/G", "Second thoughts.", day=day, when=at(datetime.date(2026, 11, 3)))
    action.refresh_from_db()
    assert action.status.code == "A/G"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(1901, 1, 1), "at most 92 days back"),
        (datetime.date(2026, 11, 10) - BACKDATE_WINDOW - datetime.timedelta(days=1), "at most 92 days back"),
        (datetime.date(2026, 11, 11), "cannot be in the future"),
    ],
)
def test_positions_outside_the_window_are_refused_with_a_clear_message(plan, lead, day, message):
    action = Action.objects.get(plan=plan, reference="W1a")
    with pytest.raises(ValidationError) as caught:
        record(action, lead, "A/G", "Text.", day=day, when=at(datetime.date(2026, 11, 10)))
    assert message in " ".join(caught.value.message_dict["update_date"])
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_the_window_edge_is_allowed(plan, lead):
    action = Action.objects.get(plan=plan, reference="W1a")
    today = datetime.date(2026, 11, 10)
    update = record(action, lead, "A/G", "Text.", day=today - BACKDATE_WINDOW, when=at(today))
    assert update.update_date == today - BACKDATE_WINDOW


def test_an_update_collected_after_the_position_date_reports_the_cycles_position(plan, editor, lead):
    services.cycle_open(
        plan=plan,
        by=editor,
        name="November 2026",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 12, 7),
        at=at(datetime.date(2026, 11, 25)),
    )
    action = Action.objects.get(plan=plan, reference="W1a")
    update = record(action, lead, "A/G", "Collected in the first week.", when=at(datetime.date(2026, 12, 2)))
    assert update.update_date == datetime.date(2026, 11, 30)
    assert update.cycle.name == "November 2026"
    # Before the position date has come, the update reports the day it was recorded.
    early = record(action, lead, "A/G", "Ahead of the month end.", when=at(datetime.date(2026, 11, 26)))
    assert early.update_date == datetime.date(2026, 11, 26)


def test_only_the_latest_position_can_be_corrected(plan, lead):
    action = Action.objects.get(plan=plan, reference="W1a")
    newer = record(
        action, lead, "A/G", "Newer.", day=datetime.date(2026, 11, 4), when=at(datetime.date(2026, 11, 4))
    )
    older = record(
        action, lead, "R", "Older.", day=datetime.date(2026, 10, 1), when=at(datetime.date(2026, 11, 5))
    )
    with pytest.raises(ValidationError):
        services.progress_update_record(
            action=Action.objects.get(pk=action.pk),
            by=lead,
            narrative="Fix",
            status=status(plan.organisation, "A/G"),
            expected_version=None,
            supersedes=older,
            update_date=datetime.date(2026, 10, 1),
            at=at(datetime.date(2026, 11, 6)),
        )
    fixed = services.progress_update_record(
        action=Action.objects.get(pk=action.pk),
        by=lead,
        narrative="Newer, corrected.",
        status=status(plan.organisation, "G"),
        expected_version=None,
        supersedes=newer,
        update_date=datetime.date(2026, 11, 4),
        at=at(datetime.date(2026, 11, 6)),
    )
    assert fixed.supersedes == newer


def test_migration_moves_collected_updates_to_their_cycle_and_restores_the_latest_status(plan, editor, lead):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="October 2026",
        position_as_at=datetime.date(2026, 10, 31),
        update_deadline=datetime.date(2026, 11, 7),
        at=at(datetime.date(2026, 10, 25)),
    )
    action = Action.objects.get(plan=plan, reference="W1a")
    collected = record(
        action,
        lead,
        "A/G",
        "In the window.",
        day=datetime.date(2026, 11, 3),
        when=at(datetime.date(2026, 11, 3)),
    )
    late = record(
        action,
        lead,
        "A/R",
        "After the deadline.",
        day=datetime.date(2026, 11, 9),
        when=at(datetime.date(2026, 11, 9)),
    )
    # The data as the old rule left it: status from the last recorded, a back-dated update on top.
    other = Action.objects.get(plan=plan, reference="W1b")
    record(other, lead, "G", "Newer.", day=datetime.date(2026, 11, 4), when=at(datetime.date(2026, 11, 4)))
    record(
        other, lead, "R", "Back-dated.", day=datetime.date(2026, 10, 1), when=at(datetime.date(2026, 11, 5))
    )
    Action.objects.filter(pk=other.pk).update(status=status(plan.organisation, "R"))

    migration.updates_answer_their_cycle(apps, None)
    migration.status_from_latest_position(apps, None)

    assert ProgressUpdate.objects.get(pk=collected.pk).update_date == cycle.position_as_at
    assert ProgressUpdate.objects.get(pk=late.pk).update_date == datetime.date(
        2026, 11, 9
    )  # late: its own date
    assert Action.objects.get(pk=other.pk).status.code == "G"
