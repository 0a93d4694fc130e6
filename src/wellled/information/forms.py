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
    record_field,
    text_field,
)

from .models import InformationRequest, RequestKind


class SubjectForm(TextForm):
    """Step one for an oversight body: which trust of the portfolio the request is about."""

    subject = record_field(
        "Which trust is the request about?",
        widget=forms.RadioSelect,
        required_message="Choose the trust the request is about",
        invalid_message="Choose a trust from the list",
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        from wellled.core.models import Organisation

        model_choices(
            self, "subject", Organisation.objects.filter(pk__in=[s.pk for s in subjects]).order_by("name")
        )


class RequestDetailsForm(TextForm):
    """Who asked, what and by when: what a request's owner may change until it is answered."""

    asked_by_organisation = record_field(
        "Body that asked, if it uses Wellled",
        help_text="The answer is shared with its people in Wellled.",
        invalid_message="Choose a body from the list",
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
    plan = record_field("Plan (for a plan's position)", invalid_message="Choose a plan from the list")
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
    paper = record_field("Issued paper (for an issued paper)", invalid_message="Choose a paper from the list")

    committee = record_field(
        "Committee (for its terms of reference)", invalid_message="Choose a committee from the list"
    )
    meeting = record_field(
        "Meeting (for its approved minutes, public part)", invalid_message="Choose a meeting from the list"
    )
    report = record_field(
        "Chair's report (confirmed or issued)", invalid_message="Choose a chair's report from the list"
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
