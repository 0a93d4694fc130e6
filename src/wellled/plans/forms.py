"""Forms for plans: they validate input shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone

from wellled.core.forms import (
    TextForm,
    VersionedForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    records_field,
    required_when,
    text_field,
)
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
    name = text_field("Plan name", limit=(Plan, "name"), required_message="Enter the plan's name")
    kind = choice_field("Kind of plan", PlanKind.choices)
    description = text_field("Description (optional)", limit=(Plan, "description"), rows=10, required=False)
    part_b_actions_in_part_a = forms.BooleanField(
        label="Repeat Part B's actions in Part A",
        required=False,
        help_text="Actions that answer a finding and sit in no section are printed in Part B. Tick this to print "
        "them in Part A too.",
    )


class PlanCreateForm(PlanForm):
    organised_by = choice_field(
        "Organise the plan by", PlanOrganisedBy.choices, initial=PlanOrganisedBy.FRAMEWORK
    )
    framework = record_field(
        "Framework", help_text="Sections are created for each of its top-level elements."
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "framework", frameworks)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_framework = data.get("organised_by") == PlanOrganisedBy.FRAMEWORK
        required_when(self, data, "framework", by_framework, "Choose the framework the plan is organised by")
        return data


class SectionForm(VersionedForm):
    code = text_field(
        "Code",
        limit=(Section, "code"),
        help_text="For example W1, or WS3 for a workstream.",
        required_message="Enter the section's code",
    )
    title = text_field("Title", limit=(Section, "title"), required_message="Enter the section's title")
    executive_lead = record_field("Executive lead (optional)")
    purpose = text_field(
        "Purpose (optional)",
        rows=3,
        required=False,
        help_text="What the workstream is for. Board papers print it under the section's heading.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "executive_lead", people)


def action_reference_field(label: str, example: str) -> forms.CharField:
    """An action's reference, unique in its plan (`example` shows one in the plan's own style)."""
    return text_field(
        label,
        limit=(Action, "reference"),
        help_text=f"Unique in the plan, for example {example}.",
        required_message="Enter the action's reference",
    )


def action_title_field() -> forms.CharField:
    """What the action is: the planned action, as the plan words it."""
    return text_field(
        "Planned action", limit=(Action, "title"), rows=3, required_message="Enter the planned action"
    )


def success_measure_field(label: str) -> forms.CharField:
    """How the plan will know the action worked (optional)."""
    return text_field(label, limit=(Action, "success_measure"), rows=2, required=False)


class ActionForm(VersionedForm):
    reference = action_reference_field("Reference", "W1a")
    title = action_title_field()
    section = record_field("Section")
    lead = record_field("Lead")
    other_leads = records_field("Other leads (optional)")
    lead_note = text_field(
        "Lead note (optional)",
        limit=(Action, "lead_note"),
        required=False,
        help_text="When no single person leads, for example Varied.",
    )
    success_measure = success_measure_field("Success measure")
    findings = records_field("Findings this action answers (optional)")

    def __init__(self, *args, plan, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "section", Section.objects.filter(plan=plan))
        model_choices(self, "lead", people)
        model_choices(self, "other_leads", people)
        model_choices(self, "findings", Finding.objects.filter(plan=plan))


def _precision() -> forms.ChoiceField:
    return choice_field("Show the timescale as", DatePrecision.choices, initial=DatePrecision.MONTH)


class ActionCreateForm(ActionForm):
    due_date = date_field("Timescale", required=False, help_text="The date the action is due.")
    due_precision = _precision()


class TimescaleForm(VersionedForm):
    due_date = date_field(
        "New timescale",
        required_message="Enter the new timescale",
        invalid_message="Enter the new timescale as a real date",
    )
    precision = _precision()
    reason = text_field(
        "Reason for the change",
        limit=(TimescaleRevision, "reason"),
        rows=2,
        required_message="Enter the reason the timescale is changing",
    )


class ActionStateForm(VersionedForm):
    state = choice_field("State", ActionState.choices, radio=True)
    assurance_evidence = text_field(
        "Evidence of assurance",
        limit=(Action, "assurance_evidence"),
        rows=3,
        required=False,
        help_text="Required to close the action.",
    )


class ProgressUpdateForm(VersionedForm):
    narrative = text_field(
        "Progress update",
        limit=(ProgressUpdate, "narrative"),
        rows=6,
        required_message="Enter the progress update",
    )
    status: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Proposed delivery status",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a proposed delivery status"},
    )
    update_date = date_field(
        "Position as at",
        help_text=(
            "The date your update describes. Leave it as the cycle's position date to report for this cycle's "
            f"board paper. An earlier date (up to {BACKDATE_WINDOW.days} days back) files the update under that date: papers as at "
            "that date or later show it, but it does not replace an update already given for a later date."
        ),
        required_message="Enter the date this update describes",
        invalid_message="Enter the date as a real date",
    )

    def clean_update_date(self):
        day = self.cleaned_data["update_date"]
        allowed = [self.cycle_position] if self.cycle_position else []
        problem = position_problem(day, today=timezone.localdate(), allowed=allowed)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def __init__(self, *args, organisation, cycle_position=None, statuses=None, **kwargs):
        """`statuses`: the organisation's active scale as the page already read it (delivery_statuses), so the
        choices are not read again each time the form draws them; the choice made is still checked in the
        database."""
        super().__init__(*args, **kwargs)
        self.cycle_position = cycle_position
        active = DeliveryStatus.objects.filter(organisation=organisation, active=True)
        model_choices(self, "status", active, lambda s: f"{s.code}: {s.label}")
        if statuses is not None:
            field = cast(forms.ModelChoiceField, self.fields["status"])
            field.choices = [
                (ModelChoiceIteratorValue(s.pk, s), field.label_from_instance(s)) for s in statuses
            ]


MAX_FINDING_NUMBER = 9_999  # far beyond any inspection report's findings; keeps the number a small integer


class FindingForm(VersionedForm):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=MAX_FINDING_NUMBER,
        required=False,
        help_text="Leave blank to number it after the last finding.",
    )
    text = text_field("Finding", limit=(Finding, "text"), rows=4, required_message="Enter the finding")
    finding_type = choice_field(
        "Type", [*FindingType.choices, ("", "No category (the report gave none)")], required=False
    )
    regulation = text_field("Regulation (for a breach)", limit=(Finding, "regulation"), required=False)
    source = choice_field("Source", FindingSource.choices)
    source_date = date_field("Date of the source", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        breach = data.get("finding_type") == FindingType.BREACH
        required_when(self, data, "regulation", breach, "Enter the regulation that was breached")
        return data


class CycleForm(TextForm):
    name = text_field(
        "Name",
        limit=(ReportingCycle, "name"),
        help_text="For example November 2026 board.",
        required_message="Enter a name for the cycle",
    )
    position_as_at = date_field("Position as at", required_message="Enter the position-as-at date")
    update_deadline = date_field("Deadline for updates", required_message="Enter the deadline for updates")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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
    position_as_at = date_field(
        "Position as at (optional)",
        required=False,
        help_text=(
            "The date the workbook reports, for example the date of the board paper it was. Every progress update "
            "and timescale revision in it is dated to this position. Leave it empty to use the workbook's own "
            "'Position as at' line, or today if it has none."
        ),
        invalid_message="Enter the position date as a real date",
    )


class PlanImportNewForm(PlanImportForm):
    name = text_field(
        "Name of the new plan",
        limit=(PlanImport, "plan_name"),
        required_message="Enter the name of the new plan",
    )
    kind = choice_field("Kind of plan", PlanKind.choices)
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
