"""Forms for assessments: they validate input shape only; the services hold the rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from wellled.core.forms import (
    CHOOSE,
    TextForm,
    VersionedForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    required_when,
    text_field,
)
from wellled.core.models import OrganisationUnit
from wellled.plans.choices import FindingType
from wellled.plans.forms import action_reference_field, action_title_field, success_measure_field

from .choices import AssessorKind, Enforcement, ScoringMethod
from .models import Assessment, AssessmentFinding, EvidenceItem, StatementAssessment
from .scoring import RoundingRule

ROUNDING_CHOICES = [
    (RoundingRule.HALF_UP.value, "Round half up to a whole percent (62.5% becomes 63%: good)"),
    (RoundingRule.FLOOR.value, "Round down (62.5% becomes 62%: requires improvement)"),
    (RoundingRule.CEIL.value, "Round up (62.1% becomes 63%: good)"),
    (RoundingRule.EXACT.value, "No rounding (62.5% is below 63%: requires improvement)"),
]
SCORE_CHOICES = [
    ("", "Not assessed this time"),
    ("4", "4: exceptional standard"),
    ("3", "3: good standard"),
    ("2", "2: some shortfalls"),
    ("1", "1: significant shortfalls"),
]


class UnitChoiceField(forms.ModelChoiceField[OrganisationUnit]):
    """A site or service, offered by its own name (not its place in the organisation's tree)."""

    def label_from_instance(self, obj: OrganisationUnit) -> str:
        return obj.name


def _unit_field(label: str, help_text: str) -> UnitChoiceField:
    """A site or service the assessment is of (optional); the view gives its choices."""
    return UnitChoiceField(
        label=label, queryset=None, required=False, empty_label="None", help_text=help_text
    )


class RulesForm(TextForm):
    rounding = forms.ChoiceField(
        label="Percentages at the edge of a band",
        choices=ROUNDING_CHOICES,
        initial=RoundingRule.HALF_UP.value,
        help_text="CQC has not published its rule; the default rounds half up.",
    )
    requirement_notice_caps = forms.BooleanField(
        label="A requirement notice limits the key question to requires improvement",
        required=False,
        initial=True,
    )
    warning_notice_caps = forms.BooleanField(
        label="A warning notice makes the key question inadequate", required=False, initial=True
    )
    statement_scored_one_caps = forms.BooleanField(
        label="A statement scored 1 limits the key question to requires improvement (unconfirmed rule)",
        required=False,
        initial=False,
    )


RULES_FIELDS = ("rounding", "requirement_notice_caps", "warning_notice_caps", "statement_scored_one_caps")


def scoring_rules_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The scoring rules a RulesForm's cleaned data chose, as an assessment stores them."""
    return {name: data[name] for name in RULES_FIELDS}


class AssessmentFieldsForm(RulesForm):
    """What an assessment says about itself, whether started or edited: its title, date and scoring method."""

    title = text_field("Title (optional)", limit=(Assessment, "title"), required=False)
    assessed_on = date_field(
        "Date of the assessment",
        required_message="Enter the date of the assessment",
        invalid_message="Enter the date of the assessment as a real date",
    )
    method = choice_field(
        "How statements are scored", ScoringMethod.choices, radio=True, initial=ScoringMethod.DIRECT
    )


class AssessmentCreateForm(AssessmentFieldsForm):
    assessor_kind = choice_field(
        "Who is assessing", AssessorKind.choices, radio=True, required_message="Choose who is assessing"
    )
    framework = record_field(
        "Framework", empty_label=CHOOSE, required_message="Choose the framework to assess against"
    )
    location = _unit_field("Location (optional)", "A site. Leave both blank to assess the whole trust.")
    service = _unit_field("Service (optional)", "For example children and young people's services.")
    field_order = ["assessor_kind", "framework", "location", "service", "assessed_on", "method", "title"]

    def __init__(self, *args, frameworks, locations, services, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "framework", frameworks)
        model_choices(self, "location", locations)
        model_choices(self, "service", services)


class AssessmentEditForm(VersionedForm, AssessmentFieldsForm):
    summary = text_field("Summary (optional)", limit=(Assessment, "summary"), rows=4, required=False)
    field_order = ["title", "assessed_on", "method", "summary"]


class StatementForm(VersionedForm):
    """A statement's score (direct) or evidence-category scores, and what was found."""

    narrative = text_field("What we found", limit=(StatementAssessment, "narrative"), rows=4, required=False)

    def __init__(self, *args, method: str, categories: list[dict], statement_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method
        self.categories = categories
        prefix = f"{statement_code}: " if statement_code else ""
        if method == ScoringMethod.DIRECT:
            self.fields["score"] = forms.TypedChoiceField(
                label=f"{prefix}score",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        else:
            for category in categories:
                self.fields[f"evidence_{category['key']}"] = forms.TypedChoiceField(
                    label=f"{prefix}{category.get('name', category['key'])}",
                    choices=[("", "Not scored")] + SCORE_CHOICES[1:],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        self.order_fields(["score", *[f"evidence_{c['key']}" for c in categories], "narrative"])

    def evidence_scores(self) -> dict[str, int]:
        return {
            c["key"]: self.cleaned_data[f"evidence_{c['key']}"]
            for c in self.categories
            if self.cleaned_data.get(f"evidence_{c['key']}") is not None
        }


class EvidenceForm(TextForm):
    title = text_field(
        "Title",
        limit=(EvidenceItem, "title"),
        required=False,
        help_text="For example Board minutes, March 2026. A file's name is used if blank.",
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, CSV, text or an image, up to 10 MB.",
    )
    url = forms.URLField(
        label="Or give a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter the link as a full web address, starting https://"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", "Upload a file or give a link, one or the other")
        elif data.get("url") and not data.get("title"):
            self.add_error("title", "Enter a title for the link")
        return data


class FindingForm(TextForm):
    element = record_field(
        "Quality statement", empty_label=CHOOSE, required_message="Choose the statement the finding is about"
    )
    finding_type = choice_field("Type", FindingType.choices)
    text = text_field(
        "Finding", limit=(AssessmentFinding, "text"), rows=4, required_message="Enter the finding"
    )
    regulation = text_field(
        "Regulation (for a breach)",
        limit=(AssessmentFinding, "regulation"),
        required=False,
        help_text="For example Regulation 12: safe care and treatment.",
    )
    enforcement = choice_field(
        "Notice (for a breach)",
        Enforcement.choices,
        required=False,
        help_text="A notice limits the key question's rating, if the rules say so.",
    )

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "element", elements)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        breach = data.get("finding_type") == FindingType.BREACH
        required_when(self, data, "regulation", breach, "Enter the regulation that was breached")
        if data.get("enforcement") and not breach:
            self.add_error("enforcement", "Only a breach of regulation carries a notice")
        return data


class FindingActionForm(TextForm):
    plan = record_field("Plan", empty_label=CHOOSE, required_message="Choose the plan the action belongs to")
    reference = action_reference_field("Action reference", "CYP1")
    title = action_title_field()
    lead = record_field("Lead (optional)", empty_label="None")
    due_date = date_field(
        "Timescale (optional)", required=False, invalid_message="Enter the timescale as a real date"
    )
    success_measure = success_measure_field("Success measure (optional)")

    def __init__(self, *args, plans, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)
        model_choices(self, "lead", people)


class ReturnForm(VersionedForm):
    comment = text_field(
        "What the team needs to look at again",
        limit=(Assessment, "review_comment"),
        rows=3,
        required_message="Enter what the team needs to look at again",
    )
