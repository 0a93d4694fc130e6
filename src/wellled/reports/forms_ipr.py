"""Forms of the integrated performance report: commentary on a measure, issuing the report, withdrawing one."""

from __future__ import annotations

from django import forms

from wellled.core.forms import TextForm, date_field, model_choices, record_field, text_field
from wellled.measures.models import Measure

from .forms import AsAtForm, reason_field

COMMENTARY_LIMIT = 2000  # characters of each part of a measure's commentary


class CommentaryForm(TextForm):
    period = date_field(
        "Report month (any day of it)",
        required_message="Enter the month the commentary reports on",
        invalid_message="Enter a real date",
    )
    shows = text_field(
        "What the chart shows", limit=COMMENTARY_LIMIT, rows=3, required_message="Say what the chart shows"
    )
    why = text_field("Why (optional)", limit=COMMENTARY_LIMIT, rows=3, required=False)
    next_steps = text_field("What happens next (optional)", limit=COMMENTARY_LIMIT, rows=3, required=False)


class IssueReportForm(AsAtForm):
    as_at = date_field(
        "Position as at",
        help_text="The report shows every measure's figures, notes and commentary up to the end of this day.",
        required_message="Enter the position-as-at date of the report",
    )
    without_commentary = forms.BooleanField(
        label="Issue it without commentary on these exceptions",
        required=False,
        help_text="The report will say that no commentary has been written for each of them.",
    )
    committee = record_field(
        "For one committee", help_text="Only the measures this committee owns; leave empty for every measure."
    )

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "committee", committees if committees is not None else Measure.objects.none())


class WithdrawReportForm(TextForm):
    reason = reason_field(
        "report",
        "For example: issued for the wrong date, or a figure in it was wrong. The report is kept as it was issued, "
        "marked withdrawn with this reason.",
    )
