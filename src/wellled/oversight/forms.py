"""Forms for oversight records and improvement board meetings: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from wellled.core.forms import TextForm, VersionedTextForm, model_choices
from wellled.core.limits import limit_of
from wellled.plans.choices import DatePrecision
from wellled.plans.models import Action

from .choices import EvidenceKind, Judgement, MeetingStatus, Programme, Segment
from .models import (
    ExitCriterion,
    ExitCriterionJudgement,
    ImprovementBoardMeeting,
    MeetingAgendaItem,
    OversightNote,
    OversightStatus,
)
from .selectors import EvidenceChoice

DATE_WIDGET = {"type": "date"}
DATE_ERRORS = {"invalid": "Enter a real date"}


def _date(label: str, *, required: bool = True, required_message: str = "", **kwargs: Any) -> forms.DateField:
    errors = dict(DATE_ERRORS)
    if required_message:
        errors["required"] = required_message
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages=errors,
        **kwargs,
    )


class StatusForm(TextForm):
    effective_from = _date("From", required_message="Enter the day this position takes effect")
    segment = forms.TypedChoiceField(
        label="Segment",
        coerce=int,
        choices=Segment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the segment"},
    )
    programme = forms.ChoiceField(
        label="Support programme", choices=Programme.choices, initial=Programme.NONE
    )
    programme_entered_on = _date("Entered the programme on (if in one)", required=False)
    programme_exited_on = _date("Left the programme on (if it has)", required=False)
    improvement_director: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Improvement director (optional)", queryset=None, required=False
    )
    buddy_organisation = forms.CharField(
        label="Buddy organisation (optional)",
        max_length=limit_of(OversightStatus, "buddy_organisation"),
        required=False,
    )
    improvement_funding = forms.DecimalField(
        label="Improvement funding in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
        error_messages={"invalid": "Enter the funding as a whole number of pounds, like 1500000"},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=limit_of(OversightStatus, "note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "improvement_director", people)
        self.fields["effective_from"].initial = timezone.localdate()


class CriterionForm(VersionedTextForm):
    reference = forms.CharField(
        label="Reference",
        max_length=limit_of(ExitCriterion, "reference"),
        help_text="For example EC3.",
        error_messages={"required": "Enter the criterion's reference"},
    )
    title = forms.CharField(
        label="Criterion",
        max_length=limit_of(ExitCriterion, "title"),
        error_messages={"required": "Enter the criterion"},
    )
    description = forms.CharField(
        label="What it asks of the trust (optional)",
        max_length=limit_of(ExitCriterion, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_on = _date("Agreed on", required_message="Enter the day the criterion was agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class JudgementForm(TextForm):
    judgement = forms.ChoiceField(
        label="Judgement",
        choices=Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the criterion is met"},
    )
    judged_on = _date("Judged on", required_message="Enter the day of the judgement")
    rationale = forms.CharField(
        label="Reasons",
        max_length=limit_of(ExitCriterionJudgement, "rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the judgement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judged_on"].initial = timezone.localdate()


class EvidenceForm(TextForm):
    evidence = forms.ChoiceField(
        label="Record", error_messages={"required": "Choose one of the trust's records"}
    )

    def __init__(self, *args, choices: list[EvidenceChoice], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["evidence"])
        field.choices = [("", "Choose a record")] + [
            (choice.value, f"{EvidenceKind(choice.kind).label}: {choice.label}") for choice in choices
        ]

    def clean_evidence(self) -> tuple[str, int]:
        kind, _, raw = self.cleaned_data["evidence"].partition(":")
        return kind, int(raw)


class NoteForm(TextForm):
    noted_on = _date("Date", required_message="Enter the date of the note")
    text = forms.CharField(
        label="Note",
        max_length=limit_of(OversightNote, "text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Seen only by your organisation's people, never by the trust.",
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate()


class MeetingForm(VersionedTextForm):
    held_on = _date("Date", required_message="Enter the date of the meeting")
    status = forms.ChoiceField(label="Status", choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED)
    chair = forms.CharField(
        label="Chair (optional)", max_length=limit_of(ImprovementBoardMeeting, "chair"), required=False
    )
    attendees = forms.CharField(
        label="Attendees (optional)",
        max_length=limit_of(ImprovementBoardMeeting, "attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.CharField(
        label="Notes or minutes (optional)",
        max_length=limit_of(ImprovementBoardMeeting, "minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class AgendaItemForm(TextForm):
    title = forms.CharField(
        label="Agenda item",
        max_length=limit_of(MeetingAgendaItem, "title"),
        error_messages={"required": "Enter the agenda item"},
    )
    notes = forms.CharField(
        label="What was said (optional)",
        max_length=limit_of(MeetingAgendaItem, "notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MeetingActionForm(TextForm):
    plan: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Plan", queryset=None, error_messages={"required": "Choose the plan the action belongs to"}
    )
    reference = forms.CharField(
        label="Reference",
        max_length=limit_of(Action, "reference"),
        help_text="Unique in the plan, for example IB3.",
        error_messages={"required": "Enter the action's reference"},
    )
    title = forms.CharField(
        label="Planned action",
        max_length=limit_of(Action, "title"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the planned action"},
    )
    lead: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Lead (optional)", queryset=None, required=False
    )
    due_date = _date("Timescale (optional)", required=False)
    due_precision = forms.ChoiceField(
        label="Show the timescale as", choices=DatePrecision.choices, initial=DatePrecision.MONTH
    )

    def __init__(self, *args, plans, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)
        model_choices(self, "lead", people)
