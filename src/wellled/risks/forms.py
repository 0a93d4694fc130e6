"""Forms for risks: they check the shape of input only; the services hold the rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet

from wellled.core.forms import TextForm, VersionedTextForm
from wellled.core.models import OrganisationUnit, User
from wellled.measures.models import Measure
from wellled.plans.models import Action, Finding

from .choices import REVIEW_FREQUENCIES, Appetite, AssuranceLevel, AssuranceLine, RiskStatus
from .convention import convention
from .models import Risk, RiskCategory, StrategicObjective

DATE = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": "Enter the date as year, month and day, for example 2026-11-30"}


def _scale(axis: str) -> list[tuple[int, str]]:
    levels = convention().likelihood if axis == "likelihood" else convention().consequence
    return [(lv.value, f"{lv.value}: {lv.label}") for lv in levels]


def _queryset_set(form: forms.BaseForm, name: str, queryset: QuerySet) -> None:
    """Give a choice field its choices: the organisation's own, read through a scoped selector by the view."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


def _label_set(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.label_from_instance = label  # type: ignore[method-assign,assignment]


class ScaleField(forms.TypedChoiceField):
    """A likelihood or consequence chosen on the convention's scale, in its words."""

    def __init__(self, axis: str, label: str, **kwargs):
        super().__init__(
            label=label,
            choices=[("", "Choose…"), *_scale(axis)],
            coerce=int,
            error_messages={"required": f"Choose the {axis}"},
            **kwargs,
        )


class RiskForm(VersionedTextForm):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the risk's title"})
    cause = forms.CharField(
        label="Cause (because of…)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    event = forms.CharField(
        label="Event (there is a risk that…)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    effect = forms.CharField(
        label="Effect (which would lead to…)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ModelChoiceField(
        label="Directorate or service", queryset=OrganisationUnit.objects.none(), required=False
    )
    category = forms.ModelChoiceField(label="Category", queryset=RiskCategory.objects.none(), required=False)
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    handler = forms.ModelChoiceField(label="Handler", queryset=User.objects.none(), required=False)
    opened_on = forms.DateField(label="Date opened", widget=DATE, error_messages=DATE_ERRORS)
    inherent_likelihood = ScaleField("likelihood", "Inherent likelihood")
    inherent_consequence = ScaleField("consequence", "Inherent consequence")
    target_likelihood = ScaleField("likelihood", "Target likelihood")
    target_consequence = ScaleField("consequence", "Target consequence")
    gaps_in_control = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    gaps_in_assurance = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    review_frequency_days = forms.TypedChoiceField(
        label="Review frequency", choices=REVIEW_FREQUENCIES, coerce=int
    )
    next_review_on = forms.DateField(
        label="Next review date", widget=DATE, required=False, error_messages=DATE_ERRORS
    )

    def __init__(self, *args, units, categories, people, **kwargs):
        super().__init__(*args, **kwargs)
        _queryset_set(self, "unit", units)
        _queryset_set(self, "category", categories)
        _queryset_set(self, "owner", people)
        _queryset_set(self, "handler", people)


class RiskCreateForm(RiskForm):
    reference = forms.CharField(
        max_length=20, required=False, help_text="Leave empty for the next free number."
    )
    current_likelihood = ScaleField("likelihood", "Current likelihood")
    current_consequence = ScaleField("consequence", "Current consequence")
    controls = forms.CharField(
        label="Controls in place (one a line)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(VersionedTextForm):
    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DATE,
        error_messages={**DATE_ERRORS, "required": "Enter the date of the review"},
    )
    likelihood = ScaleField("likelihood", "Current likelihood")
    consequence = ScaleField("consequence", "Current consequence")
    narrative = forms.CharField(
        label="What the review found",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The controls and actions, and why the score is what it is.",
        error_messages={"required": "Say what the review found"},
    )
    next_review_on = forms.DateField(
        label="Next review date (optional)",
        widget=DATE,
        required=False,
        help_text="Leave empty to use the review frequency.",
        error_messages=DATE_ERRORS,
    )


class StatusForm(VersionedTextForm):
    status = forms.ChoiceField(label="Status", choices=RiskStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to tolerate or close a risk.",
    )


class LinksForm(VersionedTextForm):
    actions = forms.ModelMultipleChoiceField(
        label="Actions that mitigate it",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.ModelMultipleChoiceField(
        label="Key risk indicators (measures)",
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.ModelMultipleChoiceField(
        label="Findings it arises from",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    parent = forms.ModelChoiceField(
        label="Principal risk it feeds (optional)",
        queryset=Risk.objects.none(),
        required=False,
        help_text="The principal risk on the board assurance framework that this risk sits beneath.",
    )

    def __init__(self, *args, actions, measures, findings, principal, **kwargs):
        super().__init__(*args, **kwargs)
        _queryset_set(self, "parent", principal)
        _queryset_set(self, "actions", actions)
        _queryset_set(self, "measures", measures)
        _queryset_set(self, "findings", findings)
        _label_set(self, "actions", lambda a: f"{a.plan.name}, {a.reference}: {a.title[:90]}")
        _label_set(self, "findings", lambda f: f"{f.plan.name}, finding {f.number}: {f.text[:90]}")


class BafEntryForm(VersionedTextForm):
    principal = forms.BooleanField(
        label="A principal risk on the board assurance framework",
        required=False,
        widget=forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
    )
    objective = forms.ModelChoiceField(
        label="Strategic objective", queryset=StrategicObjective.objects.none(), required=False
    )
    lead_committee = forms.CharField(max_length=120, required=False)
    lead_executive = forms.ModelChoiceField(
        label="Lead executive", queryset=User.objects.none(), required=False
    )
    assurance_rating = forms.ChoiceField(
        label="Assurance rating", choices=[("", "Not rated"), *AssuranceLevel.choices], required=False
    )

    def __init__(self, *args, objectives, people, **kwargs):
        super().__init__(*args, **kwargs)
        _queryset_set(self, "objective", objectives)
        _queryset_set(self, "lead_executive", people)

    def clean_principal(self):
        return self.data.get("principal") in ("True", "true", "on", True)


class ControlForm(TextForm):
    description = forms.CharField(
        label="Control",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the control"},
    )


class AssuranceForm(TextForm):
    source = forms.CharField(
        label="Source of assurance",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Name the source of assurance"},
    )
    line = forms.ChoiceField(
        label="Line of assurance", choices=AssuranceLine.choices, widget=forms.RadioSelect
    )
    level = forms.ChoiceField(
        label="Level of assurance", choices=AssuranceLevel.choices, widget=forms.RadioSelect
    )
    reported_on = forms.DateField(
        label="Date reported (optional)", widget=DATE, required=False, error_messages=DATE_ERRORS
    )


class BafIssueForm(TextForm):
    as_at = forms.DateField(
        label="As at",
        widget=DATE,
        help_text="The BAF shows each risk's scores as they stood at the end of this day.",
        error_messages={**DATE_ERRORS, "required": "Enter the as-at date"},
    )


class ThresholdForm(TextForm):
    escalation_threshold = forms.TypedChoiceField(
        label="Escalation threshold",
        coerce=int,
        choices=[(s, str(s)) for s in convention().possible_scores],
        help_text="A risk whose current score is this or more goes on the corporate risk register.",
    )


class CategoryForm(VersionedTextForm):
    name = forms.CharField(max_length=100, error_messages={"required": "Enter the category's name"})
    appetite = forms.ChoiceField(label="Risk appetite", choices=Appetite.choices)
    tolerance = forms.TypedChoiceField(
        label="Tolerance",
        coerce=int,
        choices=[(s, str(s)) for s in convention().possible_scores],
        help_text="The highest current score the board accepts in this category.",
    )


class ObjectiveForm(VersionedTextForm):
    code = forms.CharField(max_length=20, error_messages={"required": "Enter a code, for example SO1"})
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the objective"})
    order = forms.IntegerField(min_value=0, initial=0, help_text="Objectives are listed in this order.")


class ImportForm(TextForm):
    file = forms.FileField(
        label="Risk register (.xlsx or .csv)",
        error_messages={"required": "Choose the spreadsheet to import"},
        help_text="A Datix-style export works: Wellled finds the header row and reads scores written 4x5=20.",
    )
