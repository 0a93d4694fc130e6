"""Forms for oversight records and improvement board meetings: shape only; the services hold the rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from wellled.core.forms import (
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    text_field,
)
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

# What is recorded is usually recorded the day it happens: those date fields open on today (`initial` is a
# callable, read as each form is shown).


class StatusForm(TextForm):
    effective_from = date_field(
        "From", required_message="Enter the day this position takes effect", initial=timezone.localdate
    )
    segment = choice_field(
        "Segment", Segment.choices, coerce=int, radio=True, required_message="Choose the segment"
    )
    programme = choice_field("Support programme", Programme.choices, initial=Programme.NONE)
    programme_entered_on = date_field("Entered the programme on (if in one)", required=False)
    programme_exited_on = date_field("Left the programme on (if it has)", required=False)
    improvement_director = record_field("Improvement director (optional)")
    buddy_organisation = text_field(
        "Buddy organisation (optional)", limit=(OversightStatus, "buddy_organisation"), required=False
    )
    improvement_funding = forms.DecimalField(
        label="Improvement funding in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
        error_messages={"invalid": "Enter the funding as a whole number of pounds, like 1500000"},
    )
    note = text_field("Note (optional)", limit=(OversightStatus, "note"), rows=3, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "improvement_director", people)


class CriterionForm(VersionedTextForm):
    reference = text_field(
        "Reference",
        limit=(ExitCriterion, "reference"),
        help_text="For example EC3.",
        required_message="Enter the criterion's reference",
    )
    title = text_field("Criterion", limit=(ExitCriterion, "title"), required_message="Enter the criterion")
    description = text_field(
        "What it asks of the trust (optional)",
        limit=(ExitCriterion, "description"),
        rows=4,
        required=False,
    )
    agreed_on = date_field(
        "Agreed on", required_message="Enter the day the criterion was agreed", initial=timezone.localdate
    )


class JudgementForm(TextForm):
    judgement = choice_field(
        "Judgement", Judgement.choices, radio=True, required_message="Choose whether the criterion is met"
    )
    judged_on = date_field(
        "Judged on", required_message="Enter the day of the judgement", initial=timezone.localdate
    )
    rationale = text_field(
        "Reasons",
        limit=(ExitCriterionJudgement, "rationale"),
        rows=5,
        required_message="Give the reasons for the judgement",
    )


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
    noted_on = date_field("Date", required_message="Enter the date of the note", initial=timezone.localdate)
    text = text_field(
        "Note",
        limit=(OversightNote, "text"),
        rows=5,
        help_text="Seen only by your organisation's people, never by the trust.",
        required_message="Enter the note",
    )


class MeetingForm(VersionedTextForm):
    held_on = date_field("Date", required_message="Enter the date of the meeting")
    status = choice_field("Status", MeetingStatus.choices, initial=MeetingStatus.PLANNED)
    chair = text_field("Chair (optional)", limit=(ImprovementBoardMeeting, "chair"), required=False)
    attendees = text_field(
        "Attendees (optional)", limit=(ImprovementBoardMeeting, "attendees"), rows=3, required=False
    )
    minutes = text_field(
        "Notes or minutes (optional)", limit=(ImprovementBoardMeeting, "minutes"), rows=8, required=False
    )


class AgendaItemForm(TextForm):
    title = text_field(
        "Agenda item", limit=(MeetingAgendaItem, "title"), required_message="Enter the agenda item"
    )
    notes = text_field("What was said (optional)", limit=(MeetingAgendaItem, "notes"), rows=4, required=False)


class MeetingActionForm(TextForm):
    plan = record_field(
        "Plan", required=True, error_messages={"required": "Choose the plan the action belongs to"}
    )
    reference = text_field(
        "Reference",
        limit=(Action, "reference"),
        help_text="Unique in the plan, for example IB3.",
        required_message="Enter the action's reference",
    )
    title = text_field(
        "Planned action", limit=(Action, "title"), rows=3, required_message="Enter the planned action"
    )
    lead = record_field("Lead (optional)")
    due_date = date_field("Timescale (optional)", required=False)
    due_precision = choice_field("Show the timescale as", DatePrecision.choices, initial=DatePrecision.MONTH)

    def __init__(self, *args, plans, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)
        model_choices(self, "lead", people)


class CriteriaImportForm(TextForm):
    file = forms.FileField(
        label="Exit criteria workbook (.xlsx, or .csv for the criteria alone)",
        error_messages={"required": "Choose the workbook to import"},
        help_text="Download the exit criteria and their evidence, change them in Excel and bring the workbook back.",
    )
