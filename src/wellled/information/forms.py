"""Forms for information requests: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wellled.core.forms import (
    TextForm,
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    text_field,
)

from .models import InformationRequest, RequestKind


class SubjectForm(TextForm):
    """Step one for an oversight body: which trust of the portfolio the request is about."""

    subject: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Which trust is the request about?",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the trust the request is about",
            "invalid_choice": "Choose a trust from the list",
        },
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        from wellled.core.models import Organisation

        model_choices(
            self, "subject", Organisation.objects.filter(pk__in=[s.pk for s in subjects]).order_by("name")
        )


class RequestDetailsForm(TextForm):
    """Who asked, what and by when: what a request's owner may change until it is answered."""

    asked_by_organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Body that asked, if it uses Wellled",
        queryset=None,
        required=False,
        help_text="The answer is shared with its people in Wellled.",
        error_messages={"invalid_choice": "Choose a body from the list"},
    )
    asked_by_name = text_field(
        "Or the body that asked, outside Wellled",
        limit=(InformationRequest, "asked_by_name"),
        required=False,
        help_text="For example the Care Quality Commission, or a commissioner.",
    )
    asked_by_email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        required=False,
        help_text="For a body outside Wellled: the answer is sent there, with its files attached.",
        error_messages={"invalid": "Enter an e-mail address like information@cqc.example"},
    )
    their_reference = text_field(
        "Their reference (optional)", limit=(InformationRequest, "their_reference"), required=False
    )
    question = text_field(
        "What they asked",
        limit=(InformationRequest, "question"),
        rows=4,
        required_message="Enter what they asked, in their words",
    )
    received_on = date_field(
        "Received on", required_message="Enter the day the request was received", initial=timezone.localdate
    )
    due_on = date_field("Due by", required_message="Enter the day the answer is due")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "asked_by_organisation", bodies)


class RequestEditForm(VersionedTextForm, RequestDetailsForm):
    """The request's details, opened at its version (a change made meanwhile is refused, not overwritten)."""


class RequestForm(RequestDetailsForm):
    """Who asked, what, by when, and what Wellled holds that answers it."""

    kind = choice_field(
        "What answers it",
        RequestKind.choices,
        radio=True,
        required_message="Choose what the request is answered from",
    )
    as_at = date_field(
        "As at",
        required=False,
        help_text="The date the position, measures, ratings or risks are asked for (not for an issued paper).",
        initial=timezone.localdate,
    )
    plan: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Plan (for a plan's position)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a plan from the list"},
    )
    measures: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Measures (for measures)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose measures from the list",
            "invalid_pk_value": "Choose measures from the list",
        },
    )
    indicator_codes = forms.CharField(
        label="Or indicator codes (for measures)",
        max_length=400,
        required=False,
        help_text="Separated by commas or spaces: every measure with one of these codes is included.",
    )
    topic = forms.CharField(
        label="Topic (for a written answer or a document)",
        max_length=200,
        required=False,
        help_text="In a line, for example: the safeguarding training policy. Requests on the same topic share "
        "the answer.",
    )
    paper: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Issued paper (for an issued paper)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a paper from the list"},
    )

    committee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Committee (for its terms of reference)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a committee from the list"},
    )
    meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Meeting (for its approved minutes, public part)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a meeting from the list"},
    )
    report: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Chair's report (confirmed or issued)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a chair's report from the list"},
    )

    def __init__(
        self, *args, plans, measures, papers, committees=None, meetings=None, reports=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        model_choices(self, "plan", plans)
        model_choices(self, "measures", measures)
        model_choices(self, "paper", papers)
        for name, choices in (("committee", committees), ("meeting", meetings), ("report", reports)):
            if choices is None:
                self.fields.pop(name)
            else:
                model_choices(self, name, choices)

    def parameters(self) -> dict[str, Any]:
        """The kind's parameters from the cleaned fields (the service puts them in canonical form)."""
        data = self.cleaned_data
        return {
            "as_at": data.get("as_at"),
            "plan": data.get("plan"),
            "measures": list(data.get("measures") or []),
            "indicator_codes": data.get("indicator_codes") or "",
            "paper": data.get("paper"),
            "topic": data.get("topic") or "",
            "committee": data.get("committee"),
            "meeting": data.get("meeting"),
            "report": data.get("report"),
        }
