"""Forms for board papers: which paper to issue."""

from __future__ import annotations

from django import forms

from wellled.core.forms import TextForm

from .board_paper import as_at_problem


class WithdrawForm(TextForm):
    reason = forms.CharField(
        label="Why is the paper withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: issued for the wrong date, or a figure in it was wrong. The paper is kept as it was "
        "issued, marked withdrawn with this reason, and no longer counts as the latest paper or in comparisons.",
        error_messages={"required": "Enter the reason the paper is withdrawn"},
    )


def as_at_field(*, help_text: str, what: str) -> forms.DateField:
    """The position-as-at date a paper of the given kind (`what`: "paper", "report") is issued for."""
    return forms.DateField(
        label="Position as at",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
        error_messages={
            "required": f"Enter the position-as-at date of the {what}",
            "invalid": "Enter the date as year, month and day, for example 2026-11-30",
        },
    )


class AsAtForm(TextForm):
    """A form whose `as_at` date is refused when no paper can be issued for it."""

    def clean_as_at(self):
        day = self.cleaned_data["as_at"]
        if problem := as_at_problem(day):
            raise forms.ValidationError(problem)
        return day


class IssueForm(AsAtForm):
    as_at = as_at_field(
        help_text="The paper reports the plan as it stood at the end of this day. For a reporting cycle, use its "
        "position-as-at date.",
        what="paper",
    )
