"""QI projects: PDSA cycles by the project's people only, marked on the charts of the measures it watches."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.improvement import services
from wellled.improvement.models import PDSACycle
from wellled.measures.models import Annotation
from wellled.measures.selectors import measure_page


def record(project, by, **changes):
    fields = {
        "title": "Whiteboard falls flag",
        "plan": "Show each patient's falls risk on the whiteboard on Rowan ward for two weeks.",
        "prediction": "Staff will check at-risk patients more often; fewer unwitnessed falls.",
        "started_on": datetime.date(2025, 1, 6),
    }
    return services.pdsa_record(project=project, by=by, **{**fields, **changes})


def test_the_projects_lead_records_a_pdsa_cycle_marked_on_its_measures_chart(
    project, lead, watched, org, editor
):
    cycle = record(project, lead)
    note = Annotation.objects.get(measure=watched)
    assert (note.date, note.text, note.created_by) == (
        datetime.date(2025, 1, 6),
        "PDSA: Whiteboard falls flag",
        lead,
    )
    assert list(cycle.annotations.all()) == [note]
    page = measure_page(user=editor, organisation=org, pk=watched.pk)
    assert [a.text for a in page.annotations] == ["PDSA: Whiteboard falls flag"]
    assert AuditLog.objects.filter(
        content_type__model="pdsacycle", object_id=str(cycle.pk), actor=lead
    ).exists()


def test_a_lead_who_is_not_in_the_project_cannot_record_a_cycle(project, org, editor):
    from tests.factories import make_person

    other_lead = make_person(org, role=Role.LEAD, username="another-lead")
    with pytest.raises(PermissionDenied):
        record(project, other_lead)
    services.project_update(
        project=project,
        by=editor,
        expected_version=project.version,
        team=[other_lead],
    )
    assert record(project, other_lead).created_by == other_lead


def test_a_viewer_cannot_record_a_cycle(project, viewer):
    with pytest.raises(PermissionDenied):
        record(project, viewer)
    assert not PDSACycle.objects.exists()


def test_a_cycle_cannot_start_in_the_future_nor_end_before_it_started(project, lead):
    from django.utils import timezone

    with pytest.raises(ValidationError, match="future"):
        record(project, lead, started_on=timezone.localdate() + datetime.timedelta(days=1))
    cycle = record(project, lead)
    with pytest.raises(ValidationError, match="cannot end before it started"):
        services.pdsa_progress_record(
            cycle=cycle, by=lead, expected_version=cycle.version, ended_on=datetime.date(2025, 1, 1)
        )


def test_study_and_act_are_saved_and_a_stale_save_is_refused(project, lead, editor):
    cycle = record(project, lead)
    opened_at = cycle.version
    services.pdsa_progress_record(
        cycle=cycle,
        by=lead,
        expected_version=opened_at,
        do="Ran for two weeks.",
        study="Fewer falls.",
        act="adopt",
    )
    with pytest.raises(ConcurrentEditError):
        services.pdsa_progress_record(cycle=cycle, by=editor, expected_version=opened_at, act="abandon")
    saved = PDSACycle.objects.get(pk=cycle.pk)
    assert (saved.do, saved.act) == ("Ran for two weeks.", "adopt")


def test_a_project_cannot_take_people_actions_or_measures_of_another_organisation(
    project, editor, other_org, outsider
):
    from wellled.measures import services as measure_services

    with pytest.raises(ValidationError):
        services.project_update(project=project, by=editor, expected_version=project.version, lead=outsider)
    foreign = measure_services.measure_create(organisation=other_org, by=outsider, name="Southvale measure")
    with pytest.raises(ValidationError):
        services.project_measure_link(project=project, by=editor, measure=foreign, role="process")


def test_a_secondary_driver_hangs_under_a_primary_driver_of_the_same_project(project, editor):
    primary = project.drivers.get(parent__isnull=True)
    secondary = services.driver_add(project=project, by=editor, text="Handover names them", parent=primary)
    with pytest.raises(ValidationError):
        services.driver_add(project=project, by=editor, text="Too deep", parent=secondary)
