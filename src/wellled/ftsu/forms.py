"""The guardian's forms and the anonymous route's: the text each takes, checked again by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from wellled.core.forms import (
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    text_field,
)
from wellled.core.limits import SPEAK_UP_BOARD_TEXT_CHARS, SPEAK_UP_TEXT_CHARS
from wellled.plans.models import Action
from wellled.risks.models import Gap

from .choices import (
    CHARACTERISTICS,
    PREFER_NOT_TO_SAY,
    Consent,
    ContactKind,
    Detriment,
    Element,
    Feedback,
    Openness,
    Route,
    WorkerGroup,
)

TEXT = SPEAK_UP_TEXT_CHARS
CHARACTERISTIC_HINT = f"Optional; “{PREFER_NOT_TO_SAY}” is an answer too."


def _elements_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="What the concern involves (tick all that apply)",
        choices=Element.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CaseForm(VersionedTextForm):
    """A concern as the guardian (or a champion) records it."""

    received_on = date_field("Date received")
    route = choice_field("How it came", Route.choices, blank="Choose…")
    openness = choice_field("How open the person chose to be", Openness.choices, radio=True)
    worker_group = choice_field("Worker group", WorkerGroup.choices, initial=WorkerGroup.NOT_KNOWN)
    area = text_field("Site or directorate (coarse)", limit=100, required=False)
    elements = _elements_field()
    detriment = choice_field(
        "Does the person report being treated badly for having spoken up?",
        Detriment.choices,
        radio=True,
        initial=Detriment.NOT_KNOWN,
    )
    name = text_field("Name", limit=200, required=False, help_text="Leave blank for an anonymous concern.")
    contact_details = text_field("Contact details", limit=400, required=False)
    concern = text_field("The concern, in brief", limit=TEXT, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in enumerate(CHARACTERISTICS):
            self.fields[f"characteristic_{number}"] = text_field(
                name.capitalize(), limit=100, required=False, help_text=CHARACTERISTIC_HINT
            )

    def characteristics(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"characteristic_{n}", "") for n, name in enumerate(CHARACTERISTICS)
        }


class ContactForm(TextForm):
    on = date_field("Date")
    kind = choice_field("Kind", [c for c in ContactKind.choices if c[0] != ContactKind.FROM_WORKER])
    text = text_field("What was said or done", limit=TEXT, rows=4)


class ActionForm(TextForm):
    taken_on = date_field("Date")
    description = text_field("Action", limit=TEXT, rows=3)
    taken_by = text_field("Who took it", limit=200, required=False)


class ConsentForm(VersionedTextForm):
    consent = choice_field("Consent to share their identity", Consent.choices, radio=True)
    to = text_field("With whom (named people or a role)", limit=400, required=False)
    on = date_field("Date consent given or refused")


class CloseForm(VersionedTextForm):
    closed_on = date_field("Date closed")
    outcome = text_field("Outcome", limit=TEXT, rows=4)
    learning = text_field("Learning", limit=TEXT, rows=4, required=False)
    feedback = choice_field("Given your experience, would you speak up again?", Feedback.choices, radio=True)
    feedback_comment = text_field("Their comment", limit=TEXT, rows=3, required=False)


class BreakForm(TextForm):
    reason = text_field("Why confidentiality must be broken (the immediate risk of harm)", limit=TEXT, rows=4)
    told = text_field("Who is told", limit=400)


class EraseForm(TextForm):
    reason = text_field("Why this case is erased before the retention period ends", limit=TEXT, rows=3)


class CaseFilterForm(forms.Form):
    quarter = forms.CharField(label="Financial quarter (like 2024/25 Q1)", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Open and closed"), ("open", "Open"), ("closed", "Closed")],
        required=False,
    )


class RaiseForm(TextForm):
    """The anonymous route: nothing identifying is asked."""

    concern = text_field(
        "Your concern",
        limit=TEXT,
        rows=8,
        help_text="Do not include your name or anything that identifies you unless you want to be known.",
    )
    elements = _elements_field()


class KeyForm(TextForm):
    key = text_field("Your case key", limit=100)


class MessageForm(TextForm):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    text = text_field("Your message", limit=TEXT, rows=5)


class GuardianReportForm(VersionedTextForm):
    """The guardian's report to the board for a period: words meant for the board, never a case's text."""

    period_from = date_field("Period from")
    period_to = date_field("Period to")
    themes = text_field(
        "Themes, in your words for the board",
        limit=SPEAK_UP_BOARD_TEXT_CHARS,
        rows=5,
        required=False,
        help_text="Goes into the issued report, which every member can read: write no case's detail.",
    )
    learning = text_field(
        "Learning, a summary for the board",
        limit=SPEAK_UP_BOARD_TEXT_CHARS,
        rows=5,
        required=False,
        help_text="The cases' own learning stays sealed; write here only what the board should read.",
    )
    actions = text_field("Actions taken", limit=SPEAK_UP_BOARD_TEXT_CHARS, rows=4, required=False)
    guardian_hours = forms.DecimalField(
        label="Guardian hours a week", required=False, min_value=0, max_value=999, decimal_places=1
    )
    guardian_wte = forms.DecimalField(
        label="Guardian whole-time equivalent", required=False, min_value=0, max_value=99, decimal_places=2
    )
    champions = forms.IntegerField(
        label="Number of champions", required=False, min_value=0, max_value=100_000
    )
    executive_lead = text_field("Executive lead for speaking up", limit=200, required=False)
    non_executive_lead = text_field("Non-executive lead for speaking up", limit=200, required=False)
    plan = record_field("The FTSU plan whose progress the report shows")

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The period must end on or after the day it starts.")
        return data


class LearningActionForm(TextForm):
    """An improvement action raised from what speaking up taught: only what is typed here reaches the plan."""

    plan = record_field("Plan", required_message="Choose the plan the action belongs to.")
    reference = text_field("Action reference", limit=(Action, "reference"))
    title = text_field(
        "The action",
        limit=(Action, "title"),
        rows=3,
        help_text="Write no case reference or case detail: the action is read by everyone who reads the plan.",
    )
    due_date = date_field("Due by", required=False)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)


class ThemeRiskForm(TextForm):
    """A theme pointed at a risk, as a gap in assurance in the guardian's words."""

    risk = record_field("Risk", required_message="Choose the risk the theme bears on.")
    description = text_field(
        "The theme, in your words",
        limit=(Gap, "description"),
        rows=3,
        help_text="Write no case reference or case detail: the risk is read by everyone who reads the register.",
    )

    def __init__(self, *args, risks, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "risk", risks, label=lambda risk: f"{risk.reference}: {risk.title}")
