"""The commentary form of the integrated performance report."""

from __future__ import annotations

from django import forms

from wellled.core.forms import TextForm


class CommentaryForm(TextForm):
    period = forms.DateField(
        label="Report month (any day of it)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the month the commentary reports on",
            "invalid": "Enter a real date",
        },
    )
    shows = forms.CharField(
        label="What the chart shows",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the chart shows"},
    )
    why = forms.CharField(
        label="Why (optional)", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="What happens next (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
