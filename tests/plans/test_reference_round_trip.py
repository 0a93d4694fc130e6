"""References the action form accepts survive an export and an import (issue 13): the form and the importer keep
to one rule (plans.models.REFERENCE_RE), so `QS` comes back as QS and `W1 a` is refused at the form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from wellled.plans import services
from wellled.plans.models import REFERENCE_VALIDATOR, Action
from wellled.plans.spreadsheet.export import plan_export
from wellled.plans.spreadsheet.heading_rules import reference_of, word_reference_of
from wellled.plans.spreadsheet.importer import plan_import_apply, plan_import_preview
from wellled.plans.spreadsheet.read import SpreadsheetFile


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_references_without_a_digit_survive_export_and_import(org, editor, plan, fmt):
    section = plan.sections.first()
    for reference in ("QS", "QS-2", "Gov.A"):
        services.action_create(
            plan=plan, by=editor, reference=reference, title=f"Action {reference}", section=section
        )
    bare = services.action_create(plan=plan, by=editor, reference="Risk", title="No lead, no section")
    file = plan_export(user=editor, organisation=org, plan=plan, fmt=fmt)
    upload = SpreadsheetFile(file.name, file.data)
    again = plan_import_preview(organisation=org, plan_or_none=plan, file=upload, by=editor)
    assert [str(p) for p in again.problems if p.level == "error"] == []
    copy = plan_import_apply(
        organisation=org, plan_or_none=None, file=upload, by=editor, plan_name="Copy"
    ).plan
    assert sorted(Action.objects.filter(plan=copy).values_list("reference", flat=True)) == sorted(
        Action.objects.filter(plan=plan).values_list("reference", flat=True)
    )
    assert bare.reference in set(Action.objects.filter(plan=copy).values_list("reference", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["W1 a", "1.", "W2:", "--", " "])
def test_the_action_form_refuses_a_reference_a_spreadsheet_could_not_bring_back(
    login, editor, plan, reference
):
    response = login(editor).post(
        reverse("action-create", args=[plan.pk]),
        {"reference": reference, "title": "x", "due_precision": "month"},
    )
    assert response.status_code == 200
    assert not Action.objects.filter(plan=plan, title="x").exists()


@pytest.mark.django_db
def test_the_service_refuses_such_a_reference_whoever_calls_it(editor, plan):
    with pytest.raises(ValidationError) as refused:
        services.action_create(plan=plan, by=editor, reference="W1 a", title="Split reference")
    assert "no spaces" in refused.value.message_dict["reference"][0]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1, max_size=20))
def test_every_reference_the_model_accepts_is_read_back_unchanged_by_the_importer(text):
    try:
        REFERENCE_VALIDATOR(text)
    except ValidationError:
        return
    assert (reference_of(text) or word_reference_of(text)) == text
