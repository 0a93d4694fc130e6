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
    workbook_field,
)
from wellled.plans.choices import DatePrecision
from wellled.plans.models import Action

from .choices import (
    EvidenceKind,
    ExitDecision,
    Judgement,
    MeetingStatus,
    Programme,
    RegulatoryActionKind,
    Segment,
)
from .editions import frameworks
from .models import (
    DEFAULT_SUSTAINED_JUDGEMENTS,
    ExitCriterion,
    ExitCriterionJudgement,
    ExitRecommendation,
    ImprovementBoardMeeting,
    MeetingAgendaItem,
    OversightNote,
    OversightStatus,
    RegulatoryAction,
)
from .selectors import EvidenceChoice

# What is recorded is usually recorded the day it happens: those date fields open on today (`initial` is a
# callable, read as each form is shown).


def _edition_help() -> str:
    """What each edition's segments mean, for the form's hint: the meaning depends on the edition chosen."""
    return " ".join(
        f"{e.short}: " + "; ".join(s.text for s in e.segments) + "." for e in frameworks().editions
    )


def _programme_choices() -> list[tuple[str, str]]:
    """The programmes, a renamed one by its name today with its earlier names."""
    choices = []
    for value, label in Programme.choices:
        history = frameworks().programme_history(value)
        if history:
            earlier = ", ".join(n.name for n in history[:-1])
            label = history[-1].name + (f" (formerly {earlier})" if earlier else "")
        choices.append((value, label))
    return choices


class StatusForm(TextForm):
    effective_from = date_field(
        "From", required_message="Enter the day this position takes effect", initial=timezone.localdate
    )
    edition = choice_field(
        "Framework edition", [], required_message="Choose the framework edition the segment was given under"
    )
    segment = choice_field(
        "Segment", Segment.choices, coerce=int, radio=True, required_message="Choose the segment"
    )
    average_score = forms.DecimalField(
        label="Average metric score (optional; scored editions only)",
        required=False,
        max_digits=3,
        decimal_places=2,
        help_text="From 1.00 (best) to 4.00 (worst).",
        error_messages={"invalid": "Enter the average metric score as a number like 2.45"},
    )
    rank = forms.IntegerField(
        label="Rank (optional; scored editions only)",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter the rank as a whole number"},
    )
    ranked_among = forms.IntegerField(
        label="Ranked out of (optional)",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter how many trusts were ranked as a whole number"},
    )
    financial_override = forms.BooleanField(
        label="Placed by the financial override (in deficit or on deficit support)", required=False
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
        edition = cast(forms.ChoiceField, self.fields["edition"])
        edition.choices = frameworks().choices
        edition.initial = frameworks().default_key
        edition.help_text = _edition_help()
        cast(forms.ChoiceField, self.fields["programme"]).choices = _programme_choices()


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
    sustained_judgements = forms.IntegerField(
        label="Met once judged met this many times in a row",
        required=False,
        min_value=1,
        max_value=24,
        initial=DEFAULT_SUSTAINED_JUDGEMENTS,
        help_text=f"Blank to count months alone. Wellled's default is {DEFAULT_SUSTAINED_JUDGEMENTS}.",
        error_messages={"invalid": "Enter the number of judgements as a whole number"},
    )
    sustained_months = forms.IntegerField(
        label="Or once judged met throughout this many months (optional)",
        required=False,
        min_value=1,
        max_value=60,
        error_messages={"invalid": "Enter the number of months as a whole number"},
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


class RegulatoryActionForm(VersionedTextForm):
    kind = choice_field("Action", RegulatoryActionKind.choices, required_message="Choose the kind of action")
    reference = text_field(
        "Regulator's reference (optional)", limit=(RegulatoryAction, "reference"), required=False
    )
    summary = text_field(
        "What it requires of the trust",
        limit=(RegulatoryAction, "summary"),
        rows=4,
        required_message="Say what the action requires of the trust",
    )
    issued_on = date_field(
        "Issued on", required_message="Enter the day it was issued", initial=timezone.localdate
    )
    lifted_on = date_field("Lifted on (if it has been)", required=False)


class RecommendationForm(TextForm):
    recommended_on = date_field(
        "Recommended on", required_message="Enter the day of the recommendation", initial=timezone.localdate
    )
    reason = text_field(
        "Why the trust should leave intensive support",
        limit=(ExitRecommendation, "reason"),
        rows=5,
        required_message="Give the reasons for recommending exit",
    )


class DecisionForm(VersionedTextForm):
    decision = choice_field(
        "Decision",
        [(ExitDecision.ACCEPTED, "Accepted"), (ExitDecision.DECLINED, "Declined")],
        radio=True,
        required_message="Choose accepted or declined",
    )
    decided_on = date_field(
        "Decided on", required_message="Enter the day of the decision", initial=timezone.localdate
    )
    decision_reason = text_field(
        "Reasons",
        limit=(ExitRecommendation, "decision_reason"),
        rows=5,
        required_message="Give the reasons for the decision",
    )


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
    file = workbook_field(
        "Exit criteria workbook (.xlsx, or .csv for the criteria alone)",
        help_text="Download the exit criteria and their evidence, change them in Excel and bring the workbook back.",
    )
