"""Forms for risks: they check the shape of input only; the services hold the rules."""

from __future__ import annotations

from django import forms

from wellled.core.forms import (
    CHOOSE,
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    records_field,
    text_field,
)

from .appetite import ASSURANCE_STALE_DAYS
from .choices import (
    REVIEW_FREQUENCIES,
    Appetite,
    AssuranceLevel,
    AssuranceLine,
    AssuranceOutcome,
    ConsequenceDomain,
    ControlEffectiveness,
    GapKind,
    RiskStatus,
)
from .convention import convention
from .models import Risk, RiskCategory, StrategicObjective


def _scale(axis: str) -> list[tuple[int, str]]:
    levels = convention().likelihood if axis == "likelihood" else convention().consequence
    return [(lv.value, f"{lv.value}: {lv.label}") for lv in levels]


def scale_field(axis: str, label: str) -> forms.ChoiceField:
    """A likelihood or consequence chosen on the convention's scale, in its words."""
    return choice_field(label, _scale(axis), blank=CHOOSE, coerce=int, required_message=f"Choose the {axis}")


class RiskForm(VersionedTextForm):
    title = text_field("Title", limit=(Risk, "title"), required_message="Enter the risk's title")
    cause = text_field("Cause (because of…)", rows=3, required=False)
    event = text_field("Event (there is a risk that…)", rows=3, required=False)
    effect = text_field("Effect (which would lead to…)", rows=3, required=False)
    unit = record_field("Directorate or service")
    category = record_field("Category")
    owner = record_field("Owner")
    handler = record_field("Handler")
    opened_on = date_field("Date opened")
    inherent_likelihood = scale_field("likelihood", "Inherent likelihood")
    inherent_consequence = scale_field("consequence", "Inherent consequence")
    target_likelihood = scale_field("likelihood", "Target likelihood")
    target_consequence = scale_field("consequence", "Target consequence")
    target_on = date_field(
        "Target date (optional)", required=False, help_text="When the target score should be reached."
    )
    consequence_domain = choice_field(
        "Consequence domain", ConsequenceDomain.choices, blank="Not recorded", required=False
    )
    gaps_in_control = text_field("Gaps in control", rows=3, required=False)
    gaps_in_assurance = text_field("Gaps in assurance", rows=3, required=False)
    review_frequency_days = choice_field("Review frequency", REVIEW_FREQUENCIES, coerce=int)
    next_review_on = date_field("Next review date", required=False)

    def __init__(self, *args, units, categories, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "unit", units)
        model_choices(self, "category", categories)
        model_choices(self, "owner", people)
        model_choices(self, "handler", people)


class RiskCreateForm(RiskForm):
    reference = text_field(
        "Reference",
        limit=(Risk, "reference"),
        required=False,
        help_text="Leave empty for the next free number.",
    )
    current_likelihood = scale_field("likelihood", "Current likelihood")
    current_consequence = scale_field("consequence", "Current consequence")
    controls = text_field("Controls in place (one a line)", rows=3, required=False)


class ReviewForm(VersionedTextForm):
    reviewed_on = date_field("Date of the review", required_message="Enter the date of the review")
    likelihood = scale_field("likelihood", "Current likelihood")
    consequence = scale_field("consequence", "Current consequence")
    narrative = text_field(
        "What the review found",
        rows=5,
        help_text="The controls and actions, and why the score is what it is.",
        required_message="Say what the review found",
    )
    next_review_on = date_field(
        "Next review date (optional)", required=False, help_text="Leave empty to use the review frequency."
    )


class StatusForm(VersionedTextForm):
    status = choice_field("Status", RiskStatus.choices, radio=True)
    reason = text_field("Reason", rows=3, required=False, help_text="Needed to tolerate or close a risk.")


class LinksForm(VersionedTextForm):
    actions = records_field("Actions that mitigate it", ticks=True)
    measures = records_field("Key risk indicators (measures)", ticks=True)
    findings = records_field("Findings it arises from", ticks=True)
    parent = record_field(
        "Principal risk it feeds (optional)",
        help_text="The principal risk on the board assurance framework that this risk sits beneath.",
    )

    def __init__(self, *args, actions, measures, findings, principal, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "parent", principal)
        model_choices(self, "actions", actions, lambda a: f"{a.plan.name}, {a.reference}: {a.title[:90]}")
        model_choices(self, "measures", measures)
        model_choices(
            self, "findings", findings, lambda f: f"{f.plan.name}, finding {f.number}: {f.text[:90]}"
        )


class BafEntryForm(VersionedTextForm):
    principal = forms.BooleanField(
        label="A principal risk on the board assurance framework",
        required=False,
        widget=forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
    )
    objective = record_field("Strategic objective")
    committee = record_field(
        "Lead committee", help_text="The board committee that seeks assurance on this risk."
    )
    lead_committee = text_field(
        "Lead committee as first typed",
        limit=(Risk, "lead_committee"),
        required=False,
        help_text="Kept from before committees were set up; the link above is what the BAF shows.",
    )
    lead_executive = record_field("Lead executive")
    assurance_rating = choice_field(
        "Assurance rating",
        AssuranceLevel.choices,
        blank="Not rated",
        required=False,
        help_text="The weakest current assurance suggests a rating; a different one needs a reason.",
    )
    assurance_rating_reason = text_field(
        "Why the rating differs from the suggested one",
        rows=2,
        required=False,
        limit=(Risk, "assurance_rating_reason"),
    )

    def __init__(self, *args, objectives, people, committees, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "objective", objectives)
        model_choices(self, "committee", committees)
        model_choices(self, "lead_executive", people)

    def clean_principal(self):
        return self.data.get("principal") in ("True", "true", "on", True)


class ControlForm(TextForm):
    description = text_field("Control", rows=3, required_message="Describe the control")
    effectiveness = choice_field("Effectiveness", ControlEffectiveness.choices, radio=True)


class ControlEditForm(VersionedTextForm):
    description = text_field("Control", rows=3, required_message="Describe the control")
    effectiveness = choice_field("Effectiveness", ControlEffectiveness.choices, radio=True)


class AssuranceForm(TextForm):
    source = text_field("Source of assurance", rows=2, required_message="Name the source of assurance")
    line = choice_field("Line of assurance", AssuranceLine.choices, radio=True)
    level = choice_field("Level of assurance", AssuranceLevel.choices, radio=True)
    outcome = choice_field("Positive or negative", AssuranceOutcome.choices, radio=True)
    reported_on = date_field(
        "Date reported", help_text="An assurance older than the set age is stale.", required=False
    )


class GapForm(TextForm):
    kind = choice_field("Kind of gap", GapKind.choices, radio=True)
    description = text_field("Gap", rows=3, required_message="Describe the gap")
    control = record_field("The control it undermines (optional)")
    action = record_field("The plan action that closes it (optional)")

    def __init__(self, *args, controls, actions, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "control", controls, lambda c: c.description[:90])
        model_choices(self, "action", actions, lambda a: f"{a.plan.name}, {a.reference}: {a.title[:90]}")


class BafIssueForm(TextForm):
    as_at = date_field(
        "As at",
        help_text="The BAF shows each risk's scores as they stood at the end of this day.",
        required_message="Enter the as-at date",
    )
    committee = record_field(
        "For one committee",
        help_text="Only the principal risks this committee leads on; leave empty for all.",
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "committee", committees)


def _score_field(label: str, help_text: str) -> forms.ChoiceField:
    """A score on the convention's scale (likelihood times consequence)."""
    scores = [(s, str(s)) for s in convention().possible_scores]
    return choice_field(label, scores, coerce=int, help_text=help_text)


class ThresholdForm(TextForm):
    escalation_threshold = _score_field(
        "Escalation threshold",
        "A risk whose current score is this or more goes on the corporate risk register.",
    )
    assurance_stale_days = forms.IntegerField(
        label="Assurance is stale after (days, optional)",
        min_value=1,
        max_value=3660,
        required=False,
        help_text=f"Leave empty for {ASSURANCE_STALE_DAYS} days. An older assurance no longer suggests a rating.",
    )


class CategoryForm(VersionedTextForm):
    name = text_field("Name", limit=(RiskCategory, "name"), required_message="Enter the category's name")
    appetite = choice_field("Risk appetite", Appetite.choices)
    tolerance = _score_field("Tolerance", "The highest current score the board accepts in this category.")


class ObjectiveForm(VersionedTextForm):
    code = text_field(
        "Code", limit=(StrategicObjective, "code"), required_message="Enter a code, for example SO1"
    )
    title = text_field("Title", limit=(StrategicObjective, "title"), required_message="Enter the objective")
    order = forms.IntegerField(min_value=0, initial=0, help_text="Objectives are listed in this order.")
    appetite = choice_field(
        "Risk appetite for this objective",
        Appetite.choices,
        blank="By each risk's category",
        required=False,
    )
    tolerance = forms.TypedChoiceField(
        label="Tolerance for this objective",
        choices=[("", "By each risk's category"), *((s, str(s)) for s in convention().possible_scores)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The highest current score the board accepts for risks to this objective.",
    )


class ImportForm(TextForm):
    file = forms.FileField(
        label="Risk register (.xlsx or .csv)",
        error_messages={"required": "Choose the spreadsheet to import"},
        help_text="A Datix-style export works: Wellled finds the header row and reads scores written 4x5=20.",
    )
