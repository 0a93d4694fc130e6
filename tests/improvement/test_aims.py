"""A QI project's aim as baseline, goal and date, read from a measure: "aim met", "not yet" or "date passed".
The Model for Improvement asks of an aim "how much, by when"; the reading compares the measure's latest value
with the goal, on the side away from the baseline (issue 26)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wellled.core.models import AuditLog
from wellled.improvement import services
from wellled.improvement.choices import AimReading
from wellled.improvement.selectors import aim_reading, project_page

TODAY = datetime.date(2026, 6, 1)
LATER = datetime.date(2026, 12, 31)
EARLIER = datetime.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("baseline", "goal", "by", "latest", "reading"),
    [
        (7.0, 5.0, LATER, 4.9, AimReading.MET),  # falls down to the goal: met
        (7.0, 5.0, LATER, 5.0, AimReading.MET),  # exactly at the goal counts
        (7.0, 5.0, LATER, 5.1, AimReading.NOT_YET),
        (7.0, 5.0, EARLIER, 5.1, AimReading.DATE_PASSED),
        (60.0, 90.0, LATER, 91.0, AimReading.MET),  # a rise to the goal: met
        (60.0, 90.0, EARLIER, 89.9, AimReading.DATE_PASSED),
        (60.0, 90.0, LATER, None, AimReading.NO_DATA),
        (60.0, 90.0, EARLIER, None, AimReading.DATE_PASSED),
    ],
)
def test_the_aim_is_read_from_the_latest_value_against_goal_and_date(baseline, goal, by, latest, reading):
    assert aim_reading(baseline=baseline, goal=goal, by=by, latest=latest, today=TODAY) == reading


@pytest.mark.django_db
def test_the_project_page_says_aim_met_from_the_measure(project, editor, org, watched, login):
    updated = services.project_update(
        project=project,
        by=editor,
        expected_version=project.version,
        aim_measure=watched,
        aim_baseline=7.0,
        aim_goal=5.5,
        aim_by=datetime.date(2099, 12, 31),
    )
    page = project_page(user=editor, organisation=org, pk=updated.pk)
    assert page.aim.reading == AimReading.MET and page.aim.latest == 5.2  # the latest figure, June 2025
    logged = AuditLog.objects.filter(content_type__model="qiproject", object_id=str(project.pk)).latest("pk")
    assert logged.after["aim_goal"] == 5.5
    body = login(editor).get(reverse("qi-project-detail", args=[project.pk])).content.decode()
    assert "Aim met" in body and "Falls per 1,000 bed days" in body


@pytest.mark.django_db
def test_an_aim_in_numbers_needs_baseline_goal_and_date_and_the_trusts_own_measure(project, editor, outsider):
    from wellled.measures import services as measure_services

    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, by=editor, expected_version=project.version, aim_goal=5.0)
    assert set(caught.value.message_dict) == {"aim_baseline", "aim_by"}
    with pytest.raises(ValidationError) as caught:
        services.project_update(
            project=project,
            by=editor,
            expected_version=project.version,
            aim_baseline=5.0,
            aim_goal=5.0,
            aim_by=datetime.date(2024, 1, 1),
        )
    assert set(caught.value.message_dict) == {"aim_goal", "aim_by"}
    theirs = measure_services.measure_create(
        organisation=outsider.memberships.get().organisation, by=outsider, name="Their falls", kind="value"
    )
    with pytest.raises(ValidationError) as caught:
        services.project_update(
            project=project,
            by=editor,
            expected_version=project.version,
            aim_measure=theirs,
            aim_baseline=7.0,
            aim_goal=5.0,
            aim_by=datetime.date(2099, 1, 1),
        )
    assert caught.value.message_dict == {"aim_measure": ["Choose one of your organisation's measures."]}


@pytest.mark.django_db
def test_the_edit_page_offers_only_the_trusts_measures_and_a_viewer_cannot_set_the_aim(
    project, editor, viewer, outsider, login, client
):
    from wellled.measures import services as measure_services

    theirs = measure_services.measure_create(
        organisation=outsider.memberships.get().organisation, by=outsider, name="Their falls", kind="value"
    )
    url = reverse("qi-project-edit", args=[project.pk])
    fields = {
        "version": project.version,
        "title": project.title,
        "aim": project.aim,
        "status": project.status,
        "started_on": project.started_on.isoformat(),
        "aim_baseline": "7",
        "aim_goal": "5",
        "aim_by": "2099-01-01",
    }
    assert login(viewer).post(url, fields).status_code == 403
    client.logout()
    refused = login(editor).post(url, {**fields, "aim_measure": theirs.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    saved = client.post(url, fields)
    assert saved.status_code == 302
    project.refresh_from_db()
    assert (project.aim_baseline, project.aim_goal, project.aim_by) == (7.0, 5.0, datetime.date(2099, 1, 1))
