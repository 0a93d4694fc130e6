"""Forms for committees, their members and terms of reference: shape only; the services hold the rules."""

from __future__ import annotations

from django import forms

from wellled.core.forms import (
    VersionedTextForm,
    choice_field,
    date_field,
    model_choices,
    record_field,
    records_field,
    text_field,
)

from ..choices import CommitteeKind, Frequency, MemberRole, Seat
from ..models import Committee, CommitteeMember, TermsOfReference


class CommitteeForm(VersionedTextForm):
    name = text_field("Name", limit=(Committee, "name"), required_message="Enter the committee's name")
    short_name = text_field(
        "Short name (optional)",
        limit=(Committee, "short_name"),
        required=False,
        help_text="e.g. QC, used on agendas",
    )
    kind = choice_field("Kind", CommitteeKind.choices, radio=True, required_message="Choose what kind it is")
    reports_to = record_field("Reports to", help_text="Leave empty for the board.")
    frequency = choice_field("How often it meets", Frequency.choices)
    statutory = forms.BooleanField(label="Required by statute or the provider licence", required=False)
    audit_committee = forms.BooleanField(
        label="This is the audit committee (non-executive members only)", required=False
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "reports_to", committees)


class MemberAddForm(VersionedTextForm):
    person = record_field("Person", required_message="Choose the person to seat on the committee")
    role = choice_field("Role", MemberRole.choices, radio=True)
    seat = choice_field(
        "Seat", Seat.choices, radio=True, help_text="Quorum rules and the audit committee rule count by seat."
    )
    title = text_field(
        "Title (optional)", limit=(CommitteeMember, "title"), required=False, help_text="e.g. Chief Nurse"
    )
    joined_on = date_field("Joined on (optional)", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "person", people)


class MemberForm(VersionedTextForm):
    role = choice_field("Role", MemberRole.choices, radio=True)
    seat = choice_field("Seat", Seat.choices, radio=True)
    title = text_field("Title (optional)", limit=(CommitteeMember, "title"), required=False)
    joined_on = date_field("Joined on (optional)", required=False)
    left_on = date_field("Left on", required=False, help_text="Fill in when the person leaves the committee.")


class TermsForm(VersionedTextForm):
    purpose = text_field(
        "Purpose", limit=(TermsOfReference, "purpose"), rows=4, required_message="Enter the purpose"
    )
    duties = text_field(
        "Duties delegated by the board",
        limit=(TermsOfReference, "duties"),
        rows=6,
        required_message="Enter the duties the board delegates",
    )
    membership = text_field("Membership", limit=(TermsOfReference, "membership"), rows=4, required=False)
    reporting = text_field("Reporting line", limit=(TermsOfReference, "reporting"), rows=3, required=False)
    quorum_members = forms.IntegerField(label="Quorum: members present", min_value=1, max_value=50, initial=3)
    quorum_non_executives = forms.IntegerField(
        label="Of whom at least this many non-executives", min_value=0, max_value=50, initial=0
    )
    quorum_executives = forms.IntegerField(
        label="Of whom at least this many executives", min_value=0, max_value=50, initial=0
    )
    next_review_on = date_field("Next review (optional)", required=False)
    risks = records_field("Principal risks this committee owns", ticks=True)

    def __init__(self, *args, risks, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "risks", risks)


class TermsApproveForm(VersionedTextForm):
    approved_on = date_field(
        "Approved by the board on", required_message="Enter the day the board approved it"
    )
    approved_by = record_field("Approved by", help_text="Usually the board.")
    next_review_on = date_field(
        "Next review", required_message="Enter when these terms are next to be reviewed"
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        model_choices(self, "approved_by", committees)
