"""One table of text limits: every text field has one, the forms and the documented table agree with the models,
and stored text over a limit is reported by `wellled check --database default` (docs/limits.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import models

from wellled.core.limits import LimitedTextField, limit_of, text_fields
from wellled.plans.forms import ActionForm, PlanForm, ProgressUpdateForm
from wellled.plans.models import Action, Plan, ProgressUpdate

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"
# Longer text that Wellled writes itself (an error message, the scoring's working, a sealed secret), not a person.
WRITTEN_BY_WELLLED = {
    "reports.PaperJob.error",
    "assessments.RatingSnapshot.working",
    "core.SingleSignOn.client_secret_encrypted",
    "accreditation.AccreditationScheme.source",  # a scheme file, checked line by line as it is loaded
}
ROW_RE = re.compile(r"^\| `([\w.]+)` \([^)]*\) \| ([\d,]+) \|", re.MULTILINE)


def test_every_text_field_of_our_apps_has_a_limit_that_is_validated():
    for model, field in text_fields():
        assert field.max_length, f"{model._meta.label}.{field.name} has no limit"
        if isinstance(field, models.TextField):
            assert isinstance(field, LimitedTextField), (
                f"{model._meta.label}.{field.name}: use LimitedTextField"
            )


def test_the_documented_table_gives_the_figure_the_model_enforces_and_lists_every_longer_text():
    documented = {name: int(figure.replace(",", "")) for name, figure in ROW_RE.findall(DOC.read_text())}
    assert documented
    for label, figure in documented.items():
        app_model, name = label.rsplit(".", 1)
        from django.apps import apps

        assert limit_of(apps.get_model(app_model), name) == figure, label
    for model, field in text_fields():
        label = f"{model._meta.label}.{field.name}"
        if isinstance(field, LimitedTextField) and label not in WRITTEN_BY_WELLLED:
            assert label in documented, label


@pytest.mark.parametrize(
    ("form", "field", "model", "name"),
    [
        (PlanForm, "name", Plan, "name"),
        (PlanForm, "description", Plan, "description"),
        (ActionForm, "title", Action, "title"),
        (ActionForm, "success_measure", Action, "success_measure"),
        (ProgressUpdateForm, "narrative", ProgressUpdate, "narrative"),
    ],
)
def test_forms_take_their_limit_from_the_model(form, field, model, name):
    assert form.base_fields[field].max_length == limit_of(model, name)


@pytest.mark.django_db
def test_a_service_refuses_text_over_its_limit_whoever_calls_it(plan, lead, org):
    from django.core.exceptions import ValidationError
    from tests.factories import status

    from wellled.core import limits
    from wellled.plans import services

    action = plan.actions.first()
    with pytest.raises(ValidationError) as refused:
        services.progress_update_record(
            action=action,
            by=lead,
            narrative="x" * (limits.PROGRESS_NARRATIVE_CHARS + 1),
            status=status(org, "G"),
            expected_version=None,
        )
    assert refused.value.message_dict["narrative"] == [
        "This can be at most 6,000 characters long; it has 6,001. Shorten it."
    ]
    assert not action.updates.exists()


@pytest.mark.django_db
def test_check_reports_stored_text_over_its_limit_and_references_a_spreadsheet_cannot_carry(plan, capsys):
    action = plan.actions.first()
    Action.objects.filter(pk=action.pk).update(title="t" * 2_500, reference="W1 a")
    call_command("check", "--database", "default")  # warnings only: the command succeeds
    out = capsys.readouterr()
    text = out.out + out.err
    assert "wellled.W001" in text and f"planned action longer than 2,000 characters (ids {action.pk})" in text
    assert "wellled.W002" in text and "a reference a spreadsheet export could not bring back" in text
