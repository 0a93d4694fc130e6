"""Forms for measures: the definition, one period's figures, an upload, a rebase, a note, a success-measure link."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from wellled.core.forms import TextForm, VersionedForm
from wellled.core.limits import limit_of

from .choices import Direction, Frequency, MeasureKind, MetWhen
from .models import NEGATIVE_ONLY_FOR_VALUES, Annotation, Measure, Rebase

DATE = forms.DateInput(attrs={"type": "date"})
MAX_RATE_PER = 1_000_000  # "per 1,000,000 population" is the largest base in common NHS use


def offer_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    """Give a form's choice field the records this person may choose from (known only per request)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def _no_or_yes(label: str, *, no: str, yes: str) -> forms.ChoiceField:
    """A choice of two, each said in full, "no" first and chosen unless the person picks "yes"."""
    return forms.ChoiceField(
        label=label,
        choices=[("no", no), ("yes", yes)],
        initial="no",
        widget=forms.RadioSelect,
        required=False,
    )


class MeasureForm(VersionedForm):
    name = forms.CharField(
        max_length=limit_of(Measure, "name"), error_messages={"required": "Enter the measure's name"}
    )
    definition = forms.CharField(
        max_length=limit_of(Measure, "definition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is counted, and what is left out.",
    )
    kind = forms.ChoiceField(
        label="What kind of number is it?",
        choices=MeasureKind.choices,
        widget=forms.RadioSelect,
        help_text="This chooses the chart.",
    )
    unit_of_measurement = forms.CharField(
        label="Unit (for values and counts)",
        max_length=limit_of(Measure, "unit_of_measurement"),
        required=False,
        help_text="For example people, days or score out of 10.",
    )
    rate_per = forms.IntegerField(
        label="Rates are per",
        min_value=1,
        max_value=MAX_RATE_PER,
        initial=1000,
        required=False,
        help_text="For rates only, e.g. 1000 for 'per 1,000 bed days'.",
    )
    negative_allowed = _no_or_yes(
        "Can a value be below zero?",
        no="No: it is a number of things, a count, a rate or a proportion",
        yes="Yes: it is a net change or a balance, for values only",
    )
    direction = forms.ChoiceField(
        label="Which way is better?", choices=Direction.choices, widget=forms.RadioSelect
    )
    target = forms.FloatField(required=False, help_text="For a proportion, a percentage: 35 means 35%.")
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.MONTHLY)
    unit = forms.TypedChoiceField(label="Belongs to", coerce=int, empty_value=None, required=False)
    owner = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    framework_element = forms.TypedChoiceField(
        label="Framework element", coerce=int, empty_value=None, required=False
    )
    indicator_code = forms.CharField(
        label="Shared indicator code (optional)",
        max_length=limit_of(Measure, "indicator_code"),
        required=False,
        help_text="The code of the national or shared indicator this measures, so the bodies overseeing the trust "
        "can set it beside other trusts' (their trajectories).",
    )
    data_source = forms.CharField(
        max_length=limit_of(Measure, "data_source"), required=False, help_text="Where the figures come from."
    )
    run_chart = _no_or_yes(
        "Chart for a value",
        no="XmR chart (mean and process limits)",
        yes="Run chart (median, no limits), e.g. while there are few points",
    )

    def __init__(self, *args, units=(), people=(), elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self, "unit", [("", "The whole organisation")] + [(u.pk, str(u)) for u in units])
        offer_choices(
            self, "owner", [("", "No owner yet")] + [(p.pk, f"{p} ({p.display_initials})") for p in people]
        )
        offer_choices(self, "framework_element", [("", "None")] + [(e.pk, str(e)) for e in elements])

    def clean_rate_per(self):
        return self.cleaned_data.get("rate_per") or 1000

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("kind") == MeasureKind.PROPORTION
            and data.get("target") is not None
            and not 0 <= data["target"] <= 100
        ):
            self.add_error("target", "Enter the target as a percentage from 0 to 100")
        if data.get("negative_allowed") == "yes" and data.get("kind") != MeasureKind.VALUE:
            self.add_error("negative_allowed", NEGATIVE_ONLY_FOR_VALUES)
        return data


class ValueForm(TextForm):
    period = forms.DateField(
        widget=DATE,
        error_messages={"required": "Enter the period", "invalid": "Enter the period as a date"},
        help_text="Months and quarters are recorded as their first day.",
    )
    value = forms.FloatField(required=False, help_text="Leave blank to record that the period is missing.")
    numerator = forms.FloatField(required=False)
    denominator = forms.FloatField(required=False)

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if measure.has_denominator:
            del self.fields["value"]
            self.fields["numerator"].help_text = "For example, people who answered."
            self.fields[
                "denominator"
            ].help_text = "For example, people asked. Leave both blank for a missing period."
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]

    def clean_value(self):
        value = self.cleaned_data.get("value")
        if value is not None and value < 0 and not self.measure.allows_negative:
            raise forms.ValidationError(self.measure.negative_refusal())
        return value


class UploadForm(TextForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="A .csv or .xlsx file of up to 5 MB.",
        error_messages={"required": "Choose a CSV or Excel file to upload"},
    )


class RebaseForm(TextForm):
    date = forms.DateField(
        label="Recalculate the limits from",
        widget=DATE,
        error_messages={
            "required": "Enter the date the limits start again from",
            "invalid": "Enter a real date",
        },
    )
    reason = forms.CharField(
        max_length=limit_of(Rebase, "reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed in the process, e.g. the new rota started.",
        error_messages={"required": "Enter the reason for recalculating the limits"},
    )


class AnnotationForm(TextForm):
    date = forms.DateField(
        label="Date of the note",
        widget=DATE,
        error_messages={"required": "Enter the date of the note", "invalid": "Enter a real date"},
    )
    text = forms.CharField(
        label="Note", max_length=limit_of(Annotation, "text"), error_messages={"required": "Enter the note"}
    )


class LinkForm(VersionedForm):
    measure = forms.TypedChoiceField(
        label="Measure", coerce=int, error_messages={"required": "Choose the measure this action should move"}
    )
    target = forms.FloatField(
        label="Target",
        help_text="In the measure's own units; for a percentage, 40 means 40%.",
        error_messages={"required": "Enter the target", "invalid": "Enter the target as a number"},
    )
    met_when = forms.ChoiceField(
        label="The target is met when",
        choices=MetWhen.choices,
        initial=MetWhen.DIRECTION,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(
            self,
            "measure",
            [("", "")]
            + [(m.pk, f"{m.name}{' (' + m.unit_label + ')' if m.unit_label else ''}") for m in measures],
        )
