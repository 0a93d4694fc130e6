"""Measures' services: role checks, audit records, values with their corrections, rebases, links."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.measures import services
from wellled.measures.models import Measure, MeasureValue, MeasureValueRevision, Rebase, SuccessMeasureLink

from .conftest import months

pytestmark = pytest.mark.django_db


def test_editor_creates_a_measure_and_the_creation_is_audited(org, editor):
    m = services.measure_create(
        organisation=org, by=editor, name=" Engagement score ", kind="value", target=7
    )
    assert m.name == "Engagement score"
    record = AuditLog.objects.filter(object_id=str(m.pk), content_type__model="measure").get()
    assert record.action == "create" and record.actor == editor and record.organisation == org


@pytest.mark.parametrize("role", ["lead", "viewer"])
def test_leads_and_viewers_cannot_create_measures_or_load_values(org, people, measure, role):
    with pytest.raises(PermissionDenied):
        services.measure_create(organisation=org, by=people[role], name="X")
    with pytest.raises(PermissionDenied):
        services.values_load(
            organisation=org,
            by=people[role],
            source="x",
            rows=[services.ValueRow(measure.pk, datetime.date(2019, 1, 1), value=1.0)],
        )
    with pytest.raises(PermissionDenied):
        services.rebase_add(measure=measure, by=people[role], date=datetime.date(2023, 6, 1), reason="r")


def test_outsider_cannot_write_to_another_organisations_measure(org, measure, outsider):
    with pytest.raises(PermissionDenied):
        services.values_load(
            organisation=org,
            by=outsider,
            source="x",
            rows=[services.ValueRow(measure.pk, datetime.date(2019, 1, 1), value=1.0)],
        )


def test_values_from_another_organisation_are_refused_and_nothing_is_saved(
    org, editor, measure, foreign_measure
):
    before = MeasureValue.objects.count()
    with pytest.raises(ValidationError):
        services.values_load(
            organisation=org,
            by=editor,
            source="x",
            rows=[
                services.ValueRow(measure.pk, datetime.date(2019, 1, 1), value=1.0),
                services.ValueRow(foreign_measure.pk, datetime.date(2019, 1, 1), value=1.0),
            ],
        )
    assert MeasureValue.objects.count() == before


def test_a_changed_value_keeps_the_old_one_as_a_revision_and_audits_the_correction(org, editor, measure):
    first = months(1)[0]
    outcome = services.values_load(
        organisation=org,
        by=editor,
        source="fix.csv",
        rows=[
            services.ValueRow(measure.pk, first, value=299.0),
            services.ValueRow(measure.pk, months(2)[1], value=310.0),
        ],
    )
    assert (outcome[measure.pk].corrected, outcome[measure.pk].unchanged) == (1, 1)
    value = MeasureValue.objects.get(measure=measure, period=first)
    assert value.value == 299.0 and value.source == "fix.csv"
    revision = MeasureValueRevision.objects.get(measure_value=value)
    assert revision.value == 300.0 and revision.source == "seed.csv" and revision.replaced_source == "fix.csv"
    audit = AuditLog.objects.get(content_type__model="measurevalue", object_id=str(value.pk))
    assert audit.before["value"] == 300.0 and audit.after["value"] == 299.0


def test_one_bad_row_saves_nothing(org, editor, proportion):
    before = list(MeasureValue.objects.values_list("pk", "numerator"))
    with pytest.raises(ValidationError, match="more than the denominator"):
        services.values_load(
            organisation=org,
            by=editor,
            source="x",
            rows=[
                services.ValueRow(proportion.pk, months(1)[0], numerator=1.0, denominator=10.0),
                services.ValueRow(proportion.pk, datetime.date(2019, 1, 1), numerator=11.0, denominator=10.0),
            ],
        )
    assert list(MeasureValue.objects.values_list("pk", "numerator")) == before
    assert not MeasureValueRevision.objects.exists()


def test_months_are_stored_as_their_first_day(org, editor, measure):
    services.values_load(
        organisation=org,
        by=editor,
        source="x",
        rows=[services.ValueRow(measure.pk, datetime.date(2025, 3, 17), value=1.0)],
    )
    assert MeasureValue.objects.filter(measure=measure, period=datetime.date(2025, 3, 1)).exists()


def test_rebase_needs_a_reason_and_is_audited(measure, editor):
    with pytest.raises(ValidationError):
        services.rebase_add(measure=measure, by=editor, date=datetime.date(2024, 1, 1), reason="  ")
    rebase = services.rebase_add(measure=measure, by=editor, date=datetime.date(2024, 1, 9), reason="Clinics")
    assert rebase.date == datetime.date(2024, 1, 1)
    assert AuditLog.objects.filter(
        content_type__model="rebase", object_id=str(rebase.pk), action="create"
    ).exists()
    services.rebase_remove(rebase=rebase, by=editor)
    assert not Rebase.objects.exists()
    assert AuditLog.objects.filter(content_type__model="rebase", action="delete").exists()


def test_measure_update_refuses_stale_versions_and_kind_changes(measure, editor):
    services.measure_update(measure=measure, by=editor, expected_version=1, target=190)
    with pytest.raises(ConcurrentEditError):
        services.measure_update(measure=measure, by=editor, expected_version=1, target=180)
    with pytest.raises(ValidationError):
        services.measure_update(
            measure=Measure.objects.get(pk=measure.pk), by=editor, expected_version=2, kind="count"
        )


def test_linking_an_action_to_a_measure_is_audited_and_replaces_the_earlier_link(
    objects, measure, proportion, editor
):
    action = objects["action"]
    link = services.success_measure_link(action=action, by=editor, measure=measure, target=200)
    assert AuditLog.objects.filter(content_type__model="successmeasurelink", action="create").exists()
    services.success_measure_link(
        action=action, by=editor, measure=proportion, target=40, expected_version=link.version
    )
    assert SuccessMeasureLink.objects.get(action=action).measure == proportion
    services.success_measure_unlink(action=action, by=editor)
    assert not SuccessMeasureLink.objects.exists()


def test_linking_to_another_organisations_measure_is_refused(objects, foreign_measure, editor):
    with pytest.raises(ValidationError):
        services.success_measure_link(action=objects["action"], by=editor, measure=foreign_measure, target=1)


def test_the_upload_preview_reads_only_the_organisations_own_values(org, editor, measure, foreign_measure):
    from wellled.measures import selectors

    ids = {measure.pk, foreign_measure.pk}
    assert MeasureValue.objects.filter(measure=foreign_measure).exists()  # there is something to leak
    mine = selectors.values_by_period(user=editor, organisation=org, measure_ids=ids)
    assert mine and {measure_id for measure_id, _ in mine} == {measure.pk}
