"""Forms for board papers: which paper to issue, and why one is withdrawn."""

from __future__ import annotations

from django import forms

from wellled.core.forms import TextForm, date_field, text_field

from .board_paper import as_at_problem


def reason_field(paper: str, help_text: str) -> forms.CharField:
    """Why an issued paper (or report) is withdrawn: kept with it, so the reason is required."""
    return text_field(
        f"Why is the {paper} withdrawn?",
        rows=4,
        help_text=help_text,
        required_message=f"Enter the reason the {paper} is withdrawn",
    )


class AsAtForm(TextForm):
    """A form whose `as_at` date is refused when no paper can be issued for it."""

    def clean_as_at(self):
        day = self.cleaned_data["as_at"]
        if problem := as_at_problem(day):
            raise forms.ValidationError(problem)
        return day


class WithdrawForm(TextForm):
    reason = reason_field(
        "paper",
        "For example: issued for the wrong date, or a figure in it was wrong. The paper is kept as it was issued, "
        "marked withdrawn with this reason, and no longer counts as the latest paper or in comparisons.",
    )


class IssueForm(AsAtForm):
    as_at = date_field(
        "Position as at",
        help_text="The paper reports the plan as it stood at the end of this day. For a reporting cycle, use its "
        "position-as-at date.",
        required_message="Enter the position-as-at date of the paper",
    )
