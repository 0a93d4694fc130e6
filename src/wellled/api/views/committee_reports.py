"""Committees' chair's reports and the items referred between committees (issue 22, ADR 0063): read only, through
the committees selectors, which keep drafts on their pages and private items to those committees.access admits."""

from __future__ import annotations

import django_filters

from wellled.committees.choices import EscalationStatus, ReportStatus
from wellled.committees.models import ChairsReport, Escalation
from wellled.committees.selectors import reports as report_selectors

from .. import committee_report_serializers as shapes
from ..filters import IdFilter
from .base import ListRetrieve, described


class ChairsReportFilter(django_filters.FilterSet):
    committee = IdFilter(field_name="meeting__committee_id", help_text="The committee that reports.")
    reports_to = IdFilter(
        field_name="meeting__committee__reports_to_id", help_text="The body the committee reports to."
    )
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in ReportStatus if s != ReportStatus.DRAFT]
    )

    class Meta:
        model = ChairsReport
        fields: list[str] = []


class EscalationFilter(django_filters.FilterSet):
    from_committee = IdFilter(field_name="from_committee_id")
    to_committee = IdFilter(field_name="to_committee_id")
    status = django_filters.ChoiceFilter(choices=EscalationStatus.choices)

    class Meta:
        model = Escalation
        fields: list[str] = []


@described(
    "Chair's reports confirmed or issued by the trust's committees, latest meeting first",
    "One chair's report with its delegated decisions and the items its meeting referred",
)
class ChairsReportViewSet(ListRetrieve):
    serializer_class = shapes.ChairsReportSerializer
    selector = staticmethod(report_selectors.reports_for_user)
    filterset_class = ChairsReportFilter


@described(
    "Items referred up or across between the trust's committees, latest first",
    "One referred item and where it now stands",
)
class EscalationViewSet(ListRetrieve):
    serializer_class = shapes.EscalationSerializer
    selector = staticmethod(report_selectors.escalations_seen)
    filterset_class = EscalationFilter
