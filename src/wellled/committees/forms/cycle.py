"""The cycle of business forms: an item of the cycle and a deferral's reason (the services check them again)."""

from __future__ import annotations

import calendar

from django import forms

from wellled.core.forms import VersionedTextForm, choice_field, text_field
from wellled.core.limits import COMMITTEE_DECISION_CHARS

from ..choices import CycleSource, ItemPart, ItemPurpose, Recurrence
from ..models import CycleItem

# April first: the order of the NHS financial year.
MONTH_CHOICES = [(str(m), calendar.month_name[m]) for m in [*range(4, 13), *range(1, 4)]]
PAPER_KIND_CHOICES = [
    ("", "None"),
    ("baf", "Board assurance framework"),
    ("ipr", "Integrated performance report"),
]


class CycleItemForm(VersionedTextForm):
    """An item of a committee's cycle of business."""

    title = text_field("What the committee takes", limit=(CycleItem, "title"))
    source = choice_field("Where it comes from", CycleSource.choices)
    recurrence = choice_field("How often", Recurrence.choices, radio=True, initial=Recurrence.EVERY_MEETING)
    months = forms.MultipleChoiceField(
        label="The months it is due in",
        choices=MONTH_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Quarterly: four months; twice a year: two; annual: one. None for every meeting or as needed.",
    )
    purpose = choice_field("Purpose on the agenda", ItemPurpose.choices, initial=ItemPurpose.ASSURANCE)
    part = choice_field("Part of the meeting", ItemPart.choices, radio=True, initial=ItemPart.PUBLIC)
    paper_kind = choice_field("The Wellled paper that answers it", PAPER_KIND_CHOICES, required=False)
    active = forms.BooleanField(label="In the cycle (untick to withdraw it)", required=False, initial=True)


class DeferForm(VersionedTextForm):
    """Why an item of the cycle is deferred."""

    reason = text_field("Why it is deferred", limit=COMMITTEE_DECISION_CHARS, rows=3)
