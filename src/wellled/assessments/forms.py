"""Forms for assessments: they validate input shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from wellled.core.forms import TextForm, VersionedForm
from wellled.core.limits import limit_of
from wellled.core.models import OrganisationUnit, User
from wellled.frameworks.models import Framework, FrameworkElement
from wellled.plans.choices import FindingType
from wellled.plans.models import Action, Plan

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


def offer(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> forms.ModelChoiceField[Any]:
    """Give a form's model choice field the records this person may choose from (known only per request)."""
    field = cast("forms.ModelChoiceField[Any]", form.fields[name])
    field.queryset = queryset
    return field


class UnitChoiceField(forms.ModelChoiceField[OrganisationUnit]):
    """A site or service, offered by its own name (not its place in the organisation's tree)."""

    def label_from_instance(self, obj: OrganisationUnit) -> str:
        return obj.name


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

    def rules(self) -> dict:
        data = self.cleaned_data
        return {
            "rounding": data["rounding"],
            "requirement_notice_caps": data["requirement_notice_caps"],
            "warning_notice_caps": data["warning_notice_caps"],
            "statement_scored_one_caps": data["statement_scored_one_caps"],
        }


class AssessmentFieldsForm(RulesForm):
    """What an assessment says about itself, whether started or edited: its title, date and scoring method."""

    title = forms.CharField(
        label="Title (optional)", max_length=limit_of(Assessment, "title"), required=False
    )
    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the assessment",
            "invalid": "Enter the date of the assessment as a real date",
        },
    )
    method = forms.ChoiceField(
        label="How statements are scored",
        choices=ScoringMethod.choices,
        widget=forms.RadioSelect,
        initial=ScoringMethod.DIRECT,
    )


class AssessmentCreateForm(AssessmentFieldsForm):
    assessor_kind = forms.ChoiceField(
        label="Who is assessing",
        choices=AssessorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is assessing"},
    )
    framework: forms.ModelChoiceField[Framework] = forms.ModelChoiceField(
        label="Framework",
        queryset=None,
        empty_label="Choose…",
        error_messages={"required": "Choose the framework to assess against"},
    )
    location = UnitChoiceField(
        label="Location (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="A site. Leave both blank to assess the whole trust.",
    )
    service = UnitChoiceField(
        label="Service (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="For example children and young people's services.",
    )
    field_order = ["assessor_kind", "framework", "location", "service", "assessed_on", "method", "title"]

    def __init__(self, *args, frameworks, locations, services, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self, "framework", frameworks)
        offer(self, "location", locations)
        offer(self, "service", services)


class AssessmentEditForm(VersionedForm, AssessmentFieldsForm):
    summary = forms.CharField(
        label="Summary (optional)",
        max_length=limit_of(Assessment, "summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["title", "assessed_on", "method", "summary"]


class StatementForm(VersionedForm):
    """A statement's score (direct) or evidence-category scores, and what was found."""

    narrative = forms.CharField(
        label="What we found",
        max_length=limit_of(StatementAssessment, "narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

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
    title = forms.CharField(
        label="Title",
        max_length=limit_of(EvidenceItem, "title"),
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
    element: forms.ModelChoiceField[FrameworkElement] = forms.ModelChoiceField(
        label="Quality statement",
        queryset=None,
        empty_label="Choose…",
        error_messages={"required": "Choose the statement the finding is about"},
    )
    finding_type = forms.ChoiceField(label="Type", choices=FindingType.choices)
    text = forms.CharField(
        label="Finding",
        max_length=limit_of(AssessmentFinding, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the finding"},
    )
    regulation = forms.CharField(
        label="Regulation (for a breach)",
        max_length=limit_of(AssessmentFinding, "regulation"),
        required=False,
        help_text="For example Regulation 12: safe care and treatment.",
    )
    enforcement = forms.ChoiceField(
        label="Notice (for a breach)",
        choices=Enforcement.choices,
        required=False,
        help_text="A notice limits the key question's rating, if the rules say so.",
    )

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self, "element", elements)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("finding_type") == FindingType.BREACH and not data.get("regulation"):
            self.add_error("regulation", "Enter the regulation that was breached")
        if data.get("enforcement") and data.get("finding_type") != FindingType.BREACH:
            self.add_error("enforcement", "Only a breach of regulation carries a notice")
        return data


class FindingActionForm(TextForm):
    plan: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(
        label="Plan",
        queryset=None,
        empty_label="Choose…",
        error_messages={"required": "Choose the plan the action belongs to"},
    )
    reference = forms.CharField(
        label="Action reference",
        max_length=limit_of(Action, "reference"),
        help_text="Unique in the plan, for example CYP1.",
        error_messages={"required": "Enter the action's reference"},
    )
    title = forms.CharField(
        label="Planned action",
        max_length=limit_of(Action, "title"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the planned action"},
    )
    lead: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Lead (optional)", queryset=None, required=False, empty_label="None"
    )
    due_date = forms.DateField(
        label="Timescale (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the timescale as a real date"},
    )
    success_measure = forms.CharField(
        label="Success measure (optional)",
        max_length=limit_of(Action, "success_measure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, plans, people, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self, "plan", plans)
        offer(self, "lead", people)


class ReturnForm(VersionedForm):
    comment = forms.CharField(
        label="What the team needs to look at again",
        max_length=limit_of(Assessment, "review_comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the team needs to look at again"},
    )
