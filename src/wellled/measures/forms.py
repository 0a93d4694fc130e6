"""Forms for measures: the definition, one period's figures, an upload, a rebase, a note, a success-measure link."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from wellled.core.forms import TextForm, VersionedForm, choice_field, date_field, text_field

from .choices import SURVEY_ELEMENTS, Direction, Frequency, MeasureKind, MetWhen, YearStart
from .models import NEGATIVE_ONLY_FOR_VALUES, Annotation, Measure, Rebase
from .services import OLDEST_SURVEY_YEAR, SurveyScoreRow

REAL_DATE = "Enter a real date"
MAX_RATE_PER = 1_000_000  # "per 1,000,000 population" is the largest base in common NHS use


def offer_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    """Give a form's choice field the records this person may choose from (known only per request)."""
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def _no_or_yes(label: str, *, no: str, yes: str) -> forms.ChoiceField:
    """A choice of two, each said in full, "no" first and chosen unless the person picks "yes"."""
    return choice_field(label, [("no", no), ("yes", yes)], radio=True, required=False, initial="no")


class MeasureForm(VersionedForm):
    name = text_field("Name", limit=(Measure, "name"), required_message="Enter the measure's name")
    definition = text_field(
        "Definition",
        limit=(Measure, "definition"),
        rows=3,
        required=False,
        help_text="What is counted, and what is left out.",
    )
    kind = choice_field(
        "What kind of number is it?", MeasureKind.choices, radio=True, help_text="This chooses the chart."
    )
    unit_of_measurement = text_field(
        "Unit (for values and counts)",
        limit=(Measure, "unit_of_measurement"),
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
    direction = choice_field("Which way is better?", Direction.choices, radio=True)
    target = forms.FloatField(required=False, help_text="For a proportion, a percentage: 35 means 35%.")
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.MONTHLY)
    year_start = forms.ChoiceField(
        label="Annual figures count in",
        choices=YearStart.choices,
        initial=YearStart.FINANCIAL,
        required=False,
        help_text="For annual measures only. The NHS Staff Survey is named by its calendar year (the 2024 survey).",
    )
    unit = forms.TypedChoiceField(label="Belongs to", coerce=int, empty_value=None, required=False)
    owner = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    framework_element = forms.TypedChoiceField(
        label="Framework element", coerce=int, empty_value=None, required=False
    )
    committee = forms.TypedChoiceField(
        label="Owning committee",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The board committee whose part of the performance report shows it, and whose chair is alerted "
        "when it shows concern.",
    )
    indicator_code = text_field(
        "Shared indicator code (optional)",
        limit=(Measure, "indicator_code"),
        required=False,
        help_text="The code of the national or shared indicator this measures, so the bodies overseeing the trust "
        "can set it beside other trusts' (their trajectories).",
    )
    data_source = text_field(
        "Data source",
        limit=(Measure, "data_source"),
        required=False,
        help_text="Where the figures come from.",
    )
    run_chart = _no_or_yes(
        "Chart for a value",
        no="XmR chart (mean and process limits)",
        yes="Run chart (median, no limits), e.g. while there are few points",
    )

    def __init__(self, *args, units=(), people=(), elements=(), committees=(), **kwargs):
        super().__init__(*args, **kwargs)
        # What each chosen key stands for: the service takes the records themselves.
        self.records = {
            "unit": {u.pk: u for u in units},
            "owner": {p.pk: p for p in people},
            "framework_element": {e.pk: e for e in elements},
            "committee": {c.pk: c for c in committees},
        }
        offer_choices(self, "unit", [("", "The whole organisation")] + [(u.pk, str(u)) for u in units])
        offer_choices(
            self, "owner", [("", "No owner yet")] + [(p.pk, f"{p} ({p.display_initials})") for p in people]
        )
        offer_choices(self, "framework_element", [("", "None")] + [(e.pk, str(e)) for e in elements])
        offer_choices(self, "committee", [("", "None")] + [(c.pk, c.name) for c in committees])

    def clean_year_start(self):
        return self.cleaned_data.get("year_start") or YearStart.FINANCIAL

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
        for name, by_pk in self.records.items():
            data[name] = by_pk.get(data.get(name))
        return data

    @staticmethod
    def yes_no_initial(measure: Measure) -> dict[str, str]:
        """The two yes-or-no choices as the measure holds them."""
        return {
            "run_chart": "yes" if measure.run_chart else "no",
            "negative_allowed": "yes" if measure.negative_allowed else "no",
        }


class ValueForm(TextForm):
    period = date_field(
        "Period",
        required_message="Enter the period",
        invalid_message="Enter the period as a date",
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
    date = date_field(
        "Recalculate the limits from",
        required_message="Enter the date the limits start again from",
        invalid_message=REAL_DATE,
    )
    reason = text_field(
        "Reason",
        limit=(Rebase, "reason"),
        rows=3,
        help_text="What changed in the process, e.g. the new rota started.",
        required_message="Enter the reason for recalculating the limits",
    )


class AnnotationForm(TextForm):
    date = date_field(
        "Date of the note", required_message="Enter the date of the note", invalid_message=REAL_DATE
    )
    text = text_field("Note", limit=(Annotation, "text"), required_message="Enter the note")


class LinkForm(VersionedForm):
    measure = forms.TypedChoiceField(
        label="Measure", coerce=int, error_messages={"required": "Choose the measure this action should move"}
    )
    target = forms.FloatField(
        label="Target",
        help_text="In the measure's own units; for a percentage, 40 means 40%.",
        error_messages={"required": "Enter the target", "invalid": "Enter the target as a number"},
    )
    met_when = choice_field("The target is met when", MetWhen.choices, radio=True, initial=MetWhen.DIRECTION)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(
            self,
            "measure",
            [("", "")]
            + [(m.pk, f"{m.name}{' (' + m.unit_label + ')' if m.unit_label else ''}") for m in measures],
        )


# The figures entered for each staff survey element, in the order of the survey's benchmark report.
SURVEY_FIGURES: dict[str, str] = {
    "score": "your score",
    "median": "the benchmark median",
    "best": "the benchmark best",
    "worst": "the benchmark worst",
}


class SurveyForm(TextForm):
    """A staff survey year: each element's score and the benchmark group's median, best and worst, out of 10; an
    element left wholly blank is not recorded."""

    year = forms.IntegerField(
        label="Survey year",
        min_value=OLDEST_SURVEY_YEAR,
        help_text="The calendar year the survey is named by: the 2024 survey's fieldwork ran in the autumn of 2024.",
        error_messages={
            "required": "Enter the survey year, for example 2024",
            "invalid": "Enter the survey year as a year, for example 2024",
            "min_value": f"Enter a survey year from {OLDEST_SURVEY_YEAR} (the first national staff survey)",
        },
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SURVEY_ELEMENTS.items():
            for figure, words in SURVEY_FIGURES.items():
                self.fields[f"{key}_{figure}"] = forms.FloatField(
                    label=f"{label}: {words}",
                    required=False,
                    min_value=0,
                    max_value=10,
                    error_messages={
                        "invalid": f"Enter {label}: {words} as a number out of 10",
                        "min_value": f"Enter {label}: {words} as a number from 0 to 10",
                        "max_value": f"Enter {label}: {words} as a number from 0 to 10",
                    },
                )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(f"The {year} survey has not run yet: enter the year it was named by")
        return year

    def element_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each element's words and its four fields, for the entry table."""
        return [
            (label, [self[f"{key}_{f}"] for f in SURVEY_FIGURES]) for key, label in SURVEY_ELEMENTS.items()
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        rows = []
        for key, label in SURVEY_ELEMENTS.items():
            names = {figure: f"{key}_{figure}" for figure in SURVEY_FIGURES}
            if any(self.has_error(name) for name in names.values()):
                continue
            figures = {figure: data.get(name) for figure, name in names.items()}
            if all(v is None for v in figures.values()):
                continue
            missing = [figure for figure, v in figures.items() if v is None]
            if missing:
                self.add_error(
                    names[missing[0]],
                    f"Enter {label}: {SURVEY_FIGURES[missing[0]]}, or leave the element's row blank",
                )
                continue
            given = {figure: float(v) for figure, v in figures.items() if v is not None}
            if not given["worst"] <= given["median"] <= given["best"]:
                self.add_error(
                    names["median"], f"{label}: the benchmark median must lie between the worst and best"
                )
                continue
            rows.append(SurveyScoreRow(key, **given))
        if not rows and not self.errors:
            raise forms.ValidationError("Enter the scores of at least one element")
        data["rows"] = rows
        return data
