"""What the API shows of committees' chair's reports and of items referred between committees (issue 22, ADR 0063):
read-only shapes; what a reader may see of private items is decided in committees.selectors through
committees.access."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.committees.models import ChairsReport, Decision, Escalation
from wellled.committees.selectors import reports as report_selectors

from .authentication import api_scope


class DelegatedDecisionSerializer(serializers.ModelSerializer):
    item = serializers.CharField(
        source="item.title", default="", help_text="The agenda item it was taken on."
    )

    class Meta:
        model = Decision
        fields = ["id", "item", "text"]


class ReferredSerializer(serializers.ModelSerializer):
    to_committee_name = serializers.CharField(source="to_committee.name")

    class Meta:
        model = Escalation
        fields = ["id", "title", "to_committee", "to_committee_name", "reason"]


class ChairsReportSerializer(serializers.ModelSerializer):
    """A chair's report to the body the committee reports to, in its three sections."""

    committee = serializers.IntegerField(source="meeting.committee_id")
    committee_name = serializers.CharField(source="meeting.committee.name")
    reports_to = serializers.IntegerField(source="meeting.committee.reports_to_id", allow_null=True)
    meeting_on = serializers.DateTimeField(source="meeting.starts_at")
    section_titles = serializers.SerializerMethodField(
        help_text="The titles of alert, advise and assure, as the committee names them."
    )
    confirmed_by_name = serializers.CharField(source="confirmed_by.get_full_name", default="")
    delegated_decisions = serializers.SerializerMethodField(
        help_text="Decisions the meeting took under delegated powers, on items you may see."
    )
    referred = serializers.SerializerMethodField(help_text="Items the meeting referred, that you may see.")

    class Meta:
        model = ChairsReport
        fields = [
            "id",
            "meeting",
            "committee",
            "committee_name",
            "reports_to",
            "meeting_on",
            "status",
            "section_titles",
            "alert",
            "advise",
            "assure",
            "confirmed_by",
            "confirmed_by_name",
            "issued_paper",
            "delegated_decisions",
            "referred",
            "version",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_section_titles(self, report: ChairsReport) -> dict[str, str]:
        return report_selectors.section_titles(report.meeting.committee)

    @extend_schema_field(DelegatedDecisionSerializer(many=True))
    def get_delegated_decisions(self, report: ChairsReport) -> list:
        user = api_scope(self.context["request"])["user"]
        found = report_selectors.delegated_decisions(user=user, meeting=report.meeting)
        return DelegatedDecisionSerializer(found, many=True).data

    @extend_schema_field(ReferredSerializer(many=True))
    def get_referred(self, report: ChairsReport) -> list:
        user = api_scope(self.context["request"])["user"]
        found = report_selectors.referred_items(user=user, meeting=report.meeting)
        return ReferredSerializer(found, many=True).data


class EscalationSerializer(serializers.ModelSerializer):
    """An item referred up or across between the trust's committees, with where it now stands."""

    from_committee_name = serializers.CharField(source="from_committee.name")
    to_committee_name = serializers.CharField(source="to_committee.name")
    from_item_title = serializers.CharField(source="from_item.title", default="")
    received_meeting = serializers.IntegerField(
        source="received_item.meeting_id",
        default=None,
        allow_null=True,
        help_text="The meeting whose agenda took it, once it is on one.",
    )

    class Meta:
        model = Escalation
        fields = [
            "id",
            "from_committee",
            "from_committee_name",
            "to_committee",
            "to_committee_name",
            "from_item",
            "from_item_title",
            "title",
            "reason",
            "raised_on",
            "status",
            "received_item",
            "received_meeting",
            "version",
        ]
