"""Forms for plans: they validate input shape only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from wellled.core.forms import TextForm, VersionedForm
from wellled.core.limits import limit_of
from wellled.core.models import DeliveryStatus

from .choices import ActionState, DatePrecision, FindingSource, FindingType, PlanKind, PlanOrganisedBy
from .models import (
    UPDATE_DEADLINE_AFTER_POSITION,
    UPDATE_DEADLINE_TOO_LATE,
    Action,
    Finding,
    Plan,
    PlanImport,
    ProgressUpdate,
    ReportingCycle,
    Section,
    TimescaleRevision,
)
from .position import BACKDATE_WINDOW, position_problem

__all__ = ["VersionedForm"]  # kept importable from here for the apps that used it before it moved to core


class PlanForm(VersionedForm):
    name = forms.CharField(
        label="Plan name",
        max_length=limit_of(Plan, "name"),
        error_messages={"required": "Enter the plan's name"},
    )
    kind = forms.ChoiceField(label="Kind of plan", choices=PlanKind.choices)
    description = forms.CharField(
        label="Description (optional)",
        max_length=limit_of(Plan, "description"),
        required=False,
        widget=forms.Textarea,
    )
    part_b_actions_in_part_a = forms.BooleanField(
        label="Repeat Part B's actions in Part A",
        required=False,
        help_text="Actions that answer a finding and sit in no section are printed in Part B. Tick this to print "
        "them in Part A too.",
    )


class PlanCreateForm(PlanForm):
    organised_by = forms.ChoiceField(
        label="Organise the plan by", choices=PlanOrganisedBy.choices, initial=PlanOrganisedBy.FRAMEWORK
    )
    framework = forms.ModelChoiceField(
        label="Framework",
        queryset=None,
        required=False,
        help_text="Sections are created for each of its top-level elements.",
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks

    def clean(self):
        data = super().clean()
        if data.get("organised_by") == PlanOrganisedBy.FRAMEWORK and not data.get("framework"):
            self.add_error("framework", "Choose the framework the plan is organised by")
        return data


class SectionForm(VersionedForm):
    code = forms.CharField(
        label="Code",
        max_length=limit_of(Section, "code"),
        help_text="For example W1, or WS3 for a workstream.",
        error_messages={"required": "Enter the section's code"},
    )
    title = forms.CharField(
        label="Title",
        max_length=limit_of(Section, "title"),
        error_messages={"required": "Enter the section's title"},
    )
    executive_lead = forms.ModelChoiceField(label="Executive lead (optional)", queryset=None, required=False)
    purpose = forms.CharField(
        label="Purpose (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the workstream is for. Board papers print it under the section's heading.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executive_lead"].queryset = people


class ActionForm(VersionedForm):
    reference = forms.CharField(
        label="Reference",
        max_length=limit_of(Action, "reference"),
        help_text="Unique in the plan, for example W1a.",
        error_messages={"required": "Enter the action's reference"},
    )
    title = forms.CharField(
        label="Planned action",
        max_length=limit_of(Action, "title"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the planned action"},
    )
    section = forms.ModelChoiceField(label="Section", queryset=None, required=False)
    lead = forms.ModelChoiceField(label="Lead", queryset=None, required=False)
    other_leads = forms.ModelMultipleChoiceField(
        label="Other leads (optional)", queryset=None, required=False
    )
    lead_note = forms.CharField(
        label="Lead note (optional)",
        max_length=limit_of(Action, "lead_note"),
        required=False,
        help_text="When no single person leads, for example Varied.",
    )
    success_measure = forms.CharField(
        label="Success measure",
        max_length=limit_of(Action, "success_measure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    findings = forms.ModelMultipleChoiceField(
        label="Findings this action answers (optional)", queryset=None, required=False
    )

    def __init__(self, *args, plan, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(plan=plan)
        self.fields["lead"].queryset = people
        self.fields["other_leads"].queryset = people
        self.fields["findings"].queryset = Finding.objects.filter(plan=plan)


class ActionCreateForm(ActionForm):
    due_date = forms.DateField(
        label="Timescale",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date the action is due.",
    )
    due_precision = forms.ChoiceField(
        label="Show the timescale as", choices=DatePrecision.choices, initial=DatePrecision.MONTH
    )


class TimescaleForm(VersionedForm):
    due_date = forms.DateField(
        label="New timescale",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the new timescale",
            "invalid": "Enter the new timescale as a real date",
        },
    )
    precision = forms.ChoiceField(
        label="Show the timescale as", choices=DatePrecision.choices, initial=DatePrecision.MONTH
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=limit_of(TimescaleRevision, "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason the timescale is changing"},
    )


class ActionStateForm(VersionedForm):
    state = forms.ChoiceField(label="State", choices=ActionState.choices, widget=forms.RadioSelect)
    assurance_evidence = forms.CharField(
        label="Evidence of assurance",
        max_length=limit_of(Action, "assurance_evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to close the action.",
    )


class ProgressUpdateForm(VersionedForm):
    narrative = forms.CharField(
        label="Progress update",
        max_length=limit_of(ProgressUpdate, "narrative"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the progress update"},
    )
    status = forms.ModelChoiceField(
        label="Proposed delivery status",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a proposed delivery status"},
    )
    update_date = forms.DateField(
        label="Position as at",
        help_text=(
            "The date your update describes. Leave it as the cycle's position date to report for this cycle's "
            f"board paper. An earlier date (up to {BACKDATE_WINDOW.days} days back) files the update under that date: papers as at "
            "that date or later show it, but it does not replace an update already given for a later date."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date this update describes",
            "invalid": "Enter the date as a real date",
        },
    )

    def clean_update_date(self):
        day = self.cleaned_data["update_date"]
        allowed = [self.cycle_position] if self.cycle_position else []
        problem = position_problem(day, today=timezone.localdate(), allowed=allowed)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def __init__(self, *args, organisation, cycle_position=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle_position = cycle_position
        self.fields["status"].queryset = DeliveryStatus.objects.filter(organisation=organisation, active=True)
        self.fields["status"].label_from_instance = lambda s: f"{s.code}: {s.label}"


MAX_FINDING_NUMBER = 9_999  # far beyond any inspection report's findings; keeps the number a small integer


class FindingForm(VersionedForm):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=MAX_FINDING_NUMBER,
        required=False,
        help_text="Leave blank to number it after the last finding.",
    )
    text = forms.CharField(
        label="Finding",
        max_length=limit_of(Finding, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the finding"},
    )
    finding_type = forms.ChoiceField(
        label="Type",
        choices=[*FindingType.choices, ("", "No category (the report gave none)")],
        required=False,
    )
    regulation = forms.CharField(
        label="Regulation (for a breach)", max_length=limit_of(Finding, "regulation"), required=False
    )
    source = forms.ChoiceField(label="Source", choices=FindingSource.choices)
    source_date = forms.DateField(
        label="Date of the source", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("finding_type") == FindingType.BREACH and not data.get("regulation"):
            self.add_error("regulation", "Enter the regulation that was breached")
        return data


class CycleForm(TextForm):
    name = forms.CharField(
        label="Name",
        max_length=limit_of(ReportingCycle, "name"),
        help_text="For example November 2026 board.",
        error_messages={"required": "Enter a name for the cycle"},
    )
    position_as_at = forms.DateField(
        label="Position as at",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the position-as-at date"},
    )
    update_deadline = forms.DateField(
        label="Deadline for updates",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the deadline for updates"},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("update_deadline")
            and data.get("position_as_at")
            and data["update_deadline"] > data["position_as_at"] + UPDATE_DEADLINE_AFTER_POSITION
        ):
            self.add_error("update_deadline", UPDATE_DEADLINE_TOO_LATE)
        return data


class PlanImportForm(TextForm):
    file = forms.FileField(
        label="Spreadsheet",
        allow_empty_file=True,
        error_messages={"required": "Choose the spreadsheet to import"},
    )
    position_as_at = forms.DateField(
        label="Position as at (optional)",
        required=False,
        help_text=(
            "The date the workbook reports, for example the date of the board paper it was. Every progress update "
            "and timescale revision in it is dated to this position. Leave it empty to use the workbook's own "
            "'Position as at' line, or today if it has none."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the position date as a real date"},
    )


class PlanImportNewForm(PlanImportForm):
    name = forms.CharField(
        label="Name of the new plan",
        max_length=limit_of(PlanImport, "plan_name"),
        error_messages={"required": "Enter the name of the new plan"},
    )
    kind = forms.ChoiceField(label="Kind of plan", choices=PlanKind.choices)
    field_order = ["name", "kind", "file", "position_as_at"]


MAX_ID = 2**63 - 1  # the largest id a row can have (BigAutoField); a larger one cannot name anything


class ActionFilterForm(forms.Form):
    """The plan page's filters from the query string: a value that cannot be right (a huge or non-numeric id) is
    ignored, never passed to a query."""

    status = forms.CharField(required=False, max_length=limit_of(DeliveryStatus, "code"))
    lead = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    section = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    overdue = forms.CharField(required=False)
    slipped = forms.CharField(required=False)
    awaiting = forms.CharField(required=False)
    q = forms.CharField(required=False, strip=True)

    SEARCH_CHARS = 100

    def values(self) -> dict:
        """The filters as plans.selectors.ActionFilters takes them."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def number(name: str) -> str:
            return str(data[name]) if data.get(name) else ""

        return {
            "status": data.get("status") or "",
            "lead": number("lead"),
            "section": number("section"),
            "overdue": data.get("overdue") == "1",
            "slipped": data.get("slipped") == "1",
            "awaiting": data.get("awaiting") == "1",
            "q": (data.get("q") or "")[: self.SEARCH_CHARS],
        }
