"""The list endpoints' filters (django-filter): by the object each belongs to, its state and its dates."""

from __future__ import annotations

import django_filters
from django import forms

from wellled.assessments.models import Assessment, PublishedRating
from wellled.measures.models import Measure
from wellled.plans.models import Action, Finding, Plan, ProgressUpdate, ReportingCycle, Section
from wellled.reports.models import IssuedPaper

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
        fields = ["plan"]
