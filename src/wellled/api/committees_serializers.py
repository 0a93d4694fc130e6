"""What the committees endpoints show: committees with their members and terms in force, meetings with their
agenda (a private item only for those who may see it), decisions and the action log. Read only: every write is
the committees services' through the pages. Choice values are plain text here: their words are the pages'."""

from __future__ import annotations

import django_filters
from rest_framework import serializers

from wellled.committees.models import AgendaItem, Committee, CommitteeMember, Decision, Meeting, MeetingAction

from .filters import IdFilter


class MemberSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.get_full_name")
    role = serializers.CharField(help_text="chair, vice_chair, member, required or attending.")
    seat = serializers.CharField(help_text="non_exec, exec or other.")

    class Meta:
        model = CommitteeMember
        fields = ["id", "person", "role", "seat", "title", "joined_on"]


class CommitteeSerializer(serializers.ModelSerializer):
    """A committee: where it sits in the tree, how often it meets and its current members."""

    kind = serializers.CharField(help_text="board, committee, sub or executive.")
    frequency = serializers.CharField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "reports_to",
            "statutory",
            "audit_committee",
            "frequency",
            "active",
            "members",
        ]

    def get_members(self, committee) -> list[dict]:
        current = [m for m in committee.members.all() if m.left_on is None]
        return MemberSerializer(current, many=True).data


class ItemSerializer(serializers.ModelSerializer):
    purpose = serializers.CharField(help_text="decision, assurance, discussion or information.")
    part = serializers.CharField(help_text="public or private.")
    assurance = serializers.CharField(help_text="substantial, reasonable, limited, none, or empty.")
    presenter = serializers.CharField(source="presenter.get_full_name", allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "title",
            "purpose",
            "part",
            "presenter",
            "minutes_allowed",
            "minute",
            "assurance",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting with its agenda: private items only when the caller is a member or of the governance team."""

    status = serializers.CharField(help_text="planned, held, cancelled or inquorate.")
    minutes_status = serializers.CharField(help_text="draft or approved (approved minutes are frozen).")
    items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "starts_at",
            "ends_at",
            "place",
            "papers_due_at",
            "status",
            "minutes_status",
            "minutes_approved_at",
            "items",
        ]

    def get_items(self, meeting) -> list[dict]:
        private = self.context.get("private_committees", set())
        items = [i for i in meeting.items.all() if not i.private or meeting.committee_id in private]
        return ItemSerializer(items, many=True).data


class MeetingFilter(django_filters.FilterSet):
    committee = IdFilter(field_name="committee")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")

    class Meta:
        model = Meeting
        fields = ["committee", "starts_after"]


class DecisionSerializer(serializers.ModelSerializer):
    committee = serializers.IntegerField(source="meeting.committee_id")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "committee", "item", "text", "under_delegation", "created_at"]


class MeetingActionSerializer(serializers.ModelSerializer):
    """An action on a committee's action log; the action itself (its status and updates) is /api/actions/<id>/."""

    committee = serializers.IntegerField(source="meeting.committee_id")
    reference = serializers.CharField(source="action.reference")
    title = serializers.CharField(source="action.title")
    owner = serializers.CharField(source="action.lead.get_full_name", allow_null=True, default=None)
    due_date = serializers.DateField(source="action.due_date", allow_null=True)
    state = serializers.CharField(source="action.state", help_text="open, completed or closed.")

    class Meta:
        model = MeetingAction
        fields = [
            "id",
            "action",
            "meeting",
            "committee",
            "item",
            "reference",
            "title",
            "owner",
            "due_date",
            "state",
        ]
