"""Forms for meetings, agenda items, attendance, minutes, decisions and actions: shape only; the services hold
the rules."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
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
    records_field,
    text_field,
)
from wellled.plans.models import Action

from ..choices import AssuranceLevel, Attendance, ItemPart, ItemPurpose, MeetingStatus
from ..models import AgendaItem, Decision, Declaration, Meeting

TIME_INPUT = {"type": "time"}


def _time_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        widget=forms.TimeInput(attrs=TIME_INPUT),
        error_messages={"invalid": "Enter the time as hours and minutes, for example 09:30"},
        **kwargs,
    )


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class MeetingForm(VersionedTextForm):
    """When and where: the day, start and end times, the place or link, and the day papers are due."""

    day = date_field("Date", required_message="Enter the day of the meeting")
    starts = _time_field("Starts at")
    ends = _time_field("Ends at (optional)", required=False)
    place = text_field("Place or link to join (optional)", limit=(Meeting, "place"), required=False)
    papers_due = date_field(
        "Papers due by (optional)",
        required=False,
        help_text="Papers submitted after the end of this day are late.",
    )


def meeting_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """A MeetingForm's answers (its cleaned data) as the services take them: moments, not days and times."""
    starts_at = _moment(data["day"], data["starts"])
    ends_at = _moment(data["day"], data["ends"]) if data.get("ends") else None
    due = data.get("papers_due")
    papers_due_at = _moment(due, datetime.time(23, 59)) if due else None
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": data["place"],
        "papers_due_at": papers_due_at,
    }


def meeting_initial(meeting: Meeting) -> dict[str, Any]:
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
    due = timezone.localtime(meeting.papers_due_at).date() if meeting.papers_due_at else None
    return {
        "day": starts.date(),
        "starts": starts.time(),
        "ends": ends.time() if ends else None,
        "place": meeting.place,
        "papers_due": due,
        "version": meeting.version,
    }


class MeetingCancelForm(VersionedTextForm):
    status = forms.ChoiceField(choices=[(MeetingStatus.CANCELLED, "Cancelled")], widget=forms.HiddenInput)


class ItemForm(VersionedTextForm):
    title = text_field("Title", limit=(AgendaItem, "title"), required_message="Enter the item's title")
    purpose = choice_field("Purpose", ItemPurpose.choices, radio=True)
    part = choice_field(
        "Part of the meeting",
        ItemPart.choices,
        radio=True,
        help_text="A private item is seen only by the committee's members and the governance team.",
    )
    presenter = record_field("Presenter (optional)")
    minutes_allowed = forms.IntegerField(label="Minutes allowed", min_value=1, max_value=480, initial=10)
    risks = records_field("Principal risks it bears on", ticks=True)

    def __init__(self, *args, people, risks, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "presenter", people)
        model_choices(self, "risks", risks)


class AttendanceForm(TextForm):
    """One choice per current member (field `attended_<person id>`) and the deputy's name where one was sent."""

    def __init__(self, *args, members, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for member in members:
            key = f"attended_{member.person_id}"
            deputy = f"deputy_{member.person_id}"
            row = recorded.get(member.person_id)
            self.fields[key] = choice_field(
                f"{member.person} ({member.get_role_display()})", Attendance.choices
            )
            self.fields[deputy] = text_field(f"Deputy for {member.person}", limit=200, required=False)
            self.initial.setdefault(key, row.attendance if row else Attendance.PRESENT)
            self.initial.setdefault(deputy, row.deputy if row else "")
            self.rows.append((member, key, deputy))

    def clean(self):
        data = super().clean() or {}
        for member, key, deputy in self.rows:
            if data.get(key) == Attendance.DEPUTY and not data.get(deputy):
                self.add_error(deputy, f"Name the deputy {member.person} sent")
        return data


class DeclarationForm(TextForm):
    person = record_field("Who declared", required_message="Choose who declared the interest")
    item = record_field("On item (optional)")
    interest = text_field(
        "Interest declared", limit=(Declaration, "interest"), rows=2, required_message="Enter the interest"
    )
    action_taken = text_field("Action taken (optional)", limit=(Declaration, "action_taken"), required=False)

    def __init__(self, *args, people, items, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "person", people)
        model_choices(self, "item", items)


class MinuteForm(VersionedTextForm):
    minute = text_field("Minute", limit=(AgendaItem, "minute"), rows=6, required=False)
    assurance = choice_field(
        "Assurance received", AssuranceLevel.choices, blank="Not an assurance item", required=False
    )


class DecisionForm(TextForm):
    text = text_field("Decision", limit=(Decision, "text"), rows=3, required_message="Enter the decision")
    item = record_field("On item (optional)")
    under_delegation = forms.BooleanField(label="Taken under powers delegated by the board", required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "item", items)


class ActionForm(TextForm):
    title = text_field("Action", limit=(Action, "title"), required_message="Enter the action")
    lead = record_field("Owner", required_message="Choose who owns the action")
    due_date = date_field("Due by", required_message="Enter the day it is due")
    item = record_field("From item (optional)")

    def __init__(self, *args, people, items, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "lead", people)
        model_choices(self, "item", items)


class MinutesApproveForm(TextForm):
    at = record_field("Approved at the meeting of", required_message="Choose the meeting that approved them")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "at", meetings)


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="Search decisions", required=False, max_length=200)
