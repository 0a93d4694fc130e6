"""Forms of the integrated performance report: commentary on a measure, issuing the report, withdrawing one."""

from __future__ import annotations

from django import forms

from wellled.core.forms import TextForm

from .forms import AsAtForm, as_at_field


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


class IssueReportForm(AsAtForm):
    as_at = as_at_field(
        help_text="The report shows every measure's figures, notes and commentary up to the end of this day.",
        what="report",
    )


class WithdrawReportForm(TextForm):
    reason = forms.CharField(
        label="Why is the report withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: issued for the wrong date, or a figure in it was wrong. The report is kept as it "
        "was issued, marked withdrawn with this reason.",
        error_messages={"required": "Enter the reason the report is withdrawn"},
    )
