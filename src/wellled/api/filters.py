"""The list endpoints' filters (django-filter): by the object each belongs to, its state and its dates."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from wellled.assessments.models import Assessment, PublishedRating
from wellled.improvement.models import PDSACycle, QIProject
from wellled.measures.models import Measure
from wellled.plans.models import Action, Finding, Plan, ProgressUpdate, ReportingCycle, Section
from wellled.reports.models import IssuedPaper
from wellled.risks.choices import RiskStatus
from wellled.risks.models import Control, Risk, RiskReview, above_tolerance_q

# Ids are positive 63-bit integers in every database Wellled runs on; a larger one names nothing.
ID_MAX = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number (not a decimal), or the request is refused with a message."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class PlanFilter(django_filters.FilterSet):
    archived = django_filters.BooleanFilter()

    class Meta:
        model = Plan
        fields = ["kind", "archived"]


class SectionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = Section
        fields = ["plan"]


class FindingFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = Finding
        fields = ["plan", "finding_type", "source"]


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    section = IdFilter(field_name="section_id")
    lead = IdFilter(field_name="lead_id", help_text="The lead's person id.")
    status = django_filters.CharFilter(
        field_name="status__code", help_text="A delivery-status code, e.g. A/R."
    )
    reference = django_filters.CharFilter(lookup_expr="iexact")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Action
        fields = ["plan", "section", "lead", "status", "state", "reference"]


class ProgressUpdateFilter(django_filters.FilterSet):
    action = IdFilter(field_name="action_id")
    plan = IdFilter(field_name="action__plan_id")
    cycle = IdFilter(field_name="cycle_id")
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = ProgressUpdate
        fields = ["action", "plan", "cycle"]


class CycleFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = ReportingCycle
        fields = ["plan", "state"]


class MeasureFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Measure
        fields = ["unit", "kind", "frequency", "name"]


class AssessmentFilter(django_filters.FilterSet):
    assessed_after = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")

    class Meta:
        model = Assessment
        fields = ["state", "assessor_kind"]


class RatingFilter(django_filters.FilterSet):
    location = IdFilter(field_name="location_id")
    service = IdFilter(field_name="service_id")
    assessment = IdFilter(field_name="assessment_id")

    class Meta:
        model = PublishedRating
        fields = ["key_question", "rating", "source", "location", "service", "assessment"]


class PaperFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = IssuedPaper
        fields = ["plan", "kind"]


# Risks and quality improvement ------------------------------------------------------------------------------------

LIVE = "live"


class RiskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(LIVE, "Open or tolerated"), *RiskStatus.choices],
        method="status_filter",
        help_text="open, tolerated, closed, or live (open or tolerated); every risk when left out.",
    )
    category = IdFilter(field_name="category_id")
    unit = IdFilter(field_name="unit_id", help_text="The directorate or service whose register holds it.")
    owner = IdFilter(
        method="owner_filter",
        help_text="A person's id: risks they own or handle (as the register page filters).",
    )
    objective = IdFilter(field_name="objective_id")
    lead_committee = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the committee's name."
    )
    above_appetite = django_filters.BooleanFilter(
        method="above_appetite_filter",
        help_text="Only risks whose current score is above (true) or within (false) their tolerance (their "
        "objective's, else their category's).",
    )
    principal = django_filters.BooleanFilter(
        help_text="Only the BAF's principal risks (true), or none of them."
    )
    escalated = django_filters.BooleanFilter(help_text="On the corporate risk register.")
    reference = django_filters.CharFilter(lookup_expr="iexact")
    review_before = django_filters.DateFilter(field_name="next_review_on", lookup_expr="lt")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Risk
        fields = ["status", "category", "unit", "owner", "objective", "principal", "escalated", "reference"]

    def status_filter(self, queryset, name, value):
        if value == LIVE:
            return queryset.exclude(status=RiskStatus.CLOSED)
        return queryset.filter(status=value)

    def owner_filter(self, queryset, name, value):
        return queryset.filter(Q(owner_id=value) | Q(handler_id=value))

    def above_appetite_filter(self, queryset, name, value):
        above = above_tolerance_q()  # Risk.above_appetite, in SQL
        return queryset.filter(above) if value else queryset.exclude(above)


class _OfRisk(django_filters.FilterSet):
    """Rows of one risk (its reviews, its controls)."""

    risk = IdFilter(field_name="risk_id")


class RiskReviewFilter(_OfRisk):
    reviewed_after = django_filters.DateFilter(field_name="reviewed_on", lookup_expr="gte")

    class Meta:
        model = RiskReview
        fields = ["risk"]


class ControlFilter(_OfRisk):
    class Meta:
        model = Control
        fields = ["risk"]


class QIProjectFilter(django_filters.FilterSet):
    lead = IdFilter(field_name="lead_id", help_text="The lead's person id.")
    sponsor = IdFilter(field_name="sponsor_id")
    title = django_filters.CharFilter(lookup_expr="icontains")
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte")

    class Meta:
        model = QIProject
        fields = ["status", "lead", "sponsor", "title"]


class PDSACycleFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte")
    ended = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = PDSACycle
        fields = ["project", "act"]
