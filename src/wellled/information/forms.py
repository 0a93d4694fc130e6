"""Forms for information requests: shape only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from wellled.core import limits
from wellled.core.forms import TextForm, model_choices

from .models import RequestKind

DATE_WIDGET = {"type": "date"}
DATE_ERRORS = {"invalid": "Enter a real date, for example 30/11/2026"}


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


class RequestForm(TextForm):
    """Who asked, what, by when, and what Wellled holds that answers it."""

    asked_by_organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Body that asked, if it uses Wellled",
        queryset=None,
        required=False,
        help_text="The answer is shared with its people in Wellled.",
        error_messages={"invalid_choice": "Choose a body from the list"},
    )
    asked_by_name = forms.CharField(
        label="Or the body that asked, outside Wellled",
        max_length=200,
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
    their_reference = forms.CharField(label="Their reference (optional)", max_length=100, required=False)
    question = forms.CharField(
        label="What they asked",
        max_length=limits.INFORMATION_REQUEST_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what they asked, in their words"},
    )
    received_on = forms.DateField(
        label="Received on",
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages={**DATE_ERRORS, "required": "Enter the day the request was received"},
    )
    due_on = forms.DateField(
        label="Due by",
        widget=forms.DateInput(attrs=DATE_WIDGET),
        error_messages={**DATE_ERRORS, "required": "Enter the day the answer is due"},
    )
    kind = forms.ChoiceField(
        label="What answers it",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the request is answered from"},
    )
    as_at = forms.DateField(
        label="As at",
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET),
        help_text="The date the position, measures, ratings or risks are asked for (not for an issued paper).",
        error_messages=DATE_ERRORS,
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
    paper: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Issued paper (for an issued paper)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a paper from the list"},
    )

    def __init__(self, *args, bodies, plans, measures, papers, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "asked_by_organisation", bodies)
        model_choices(self, "plan", plans)
        model_choices(self, "measures", measures)
        model_choices(self, "paper", papers)
        today = timezone.localdate()
        self.fields["received_on"].initial = today
        self.fields["as_at"].initial = today

    def parameters(self) -> dict[str, Any]:
        """The kind's parameters from the cleaned fields (the service puts them in canonical form)."""
        data = self.cleaned_data
        return {
            "as_at": data.get("as_at"),
            "plan": data.get("plan"),
            "measures": list(data.get("measures") or []),
            "indicator_codes": data.get("indicator_codes") or "",
            "paper": data.get("paper"),
        }
