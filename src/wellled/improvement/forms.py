"""Forms for quality improvement: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wellled.core.forms import TextForm, model_choices

from .choices import MeasureRole, PDSADecision, ProjectStatus
from .models import TEXT_LIMIT

DATE_WIDGET = {"type": "date"}
DATE_ERRORS = {"invalid": "Enter a real date"}


class ProjectForm(TextForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the project's title"}
    )
    aim = forms.CharField(
        label="Aim",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will improve, by how much, for whom, and by when.",
        error_messages={"required": "Enter the project's aim"},
    )
    status = forms.ChoiceField(label="Status", choices=ProjectStatus.choices, initial=ProjectStatus.ACTIVE)
    started_on = forms.DateField(
        label="Started on", widget=forms.DateInput(attrs=DATE_WIDGET), error_messages=DATE_ERRORS
    )
    lead: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Project lead", queryset=None, required=False
    )
    sponsor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Executive sponsor", queryset=None, required=False
    )
    team: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Team (optional)", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "sponsor", "team"):
            model_choices(self, name, people)
        self.fields["started_on"].initial = timezone.localdate()


class ProjectEditForm(ProjectForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DriverForm(TextForm):
    text = forms.CharField(label="Driver", max_length=300, error_messages={"required": "Enter the driver"})
    parent: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Under primary driver (leave empty for a new primary driver)", queryset=None, required=False
    )

    def __init__(self, *args, primaries, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "parent", primaries)


class ChangeIdeaForm(TextForm):
    text = forms.CharField(
        label="Change idea", max_length=300, error_messages={"required": "Enter the change idea"}
    )


class MeasureLinkForm(TextForm):
    measure: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="Measure", queryset=None)
    role = forms.ChoiceField(label="Kind of measure", choices=MeasureRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "measure", measures)


class PDSAForm(TextForm):
    title = forms.CharField(
        label="Short name of the test",
        max_length=120,
        help_text="Printed on the charts of the project's measures.",
        error_messages={"required": "Enter a short name for the test"},
    )
    change_idea: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Change idea tested (optional)", queryset=None, required=False
    )
    started_on = forms.DateField(
        label="Test started on", widget=forms.DateInput(attrs=DATE_WIDGET), error_messages=DATE_ERRORS
    )
    plan = forms.CharField(
        label="Plan",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be tried, where, by whom, and when.",
        error_messages={"required": "Enter the plan"},
    )
    prediction = forms.CharField(
        label="Prediction",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you expect to happen, and why.",
        error_messages={"required": "Enter your prediction"},
    )

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "change_idea", ideas)
        self.fields["started_on"].initial = timezone.localdate()


class PDSAProgressForm(TextForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    do = forms.CharField(
        label="Do: what happened",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    study = forms.CharField(
        label="Study: what the data show against the prediction",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    act = forms.ChoiceField(
        label="Act: the decision", choices=PDSADecision.choices, required=False, widget=forms.RadioSelect
    )
    act_notes = forms.CharField(
        label="What happens next (optional)",
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ended_on = forms.DateField(
        label="Test ended on (optional)",
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages=DATE_ERRORS,
    )
