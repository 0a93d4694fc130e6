"""What the oversight endpoints show, accept and filter by: the portfolio's rows (as the portfolio page and its
download give them), oversight statuses, and exit criteria with their judgements and evidence. Shapes only: who
may see or change what is the oversight selectors' and services' rule."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.assessments.choices import KEY_QUESTION_COLUMNS
from wellled.core.limits import limit_of
from wellled.measures.selectors import ASSURANCE_NAMES, VARIATION_NAMES
from wellled.oversight.choices import (
    EvidenceKind,
    ExitDecision,
    Judgement,
    Programme,
    RegulatoryActionKind,
    Segment,
)
from wellled.oversight.editions import frameworks
from wellled.oversight.models import (
    ExitCriterion,
    ExitCriterionEvidence,
    ExitCriterionJudgement,
    ExitRecommendation,
    OversightStatus,
    RegulatoryAction,
    sustained_read,
)

from .filters import ID_MAX, IdFilter
from .serializers import OrganisationBriefSerializer as TrustSerializer
from .serializers import shape

# Where each kind of evidence is read in the API (by the trust's own people: the body reads the label).
EVIDENCE_API_PATHS = {
    EvidenceKind.ACTION: "/api/actions/{}/",
    EvidenceKind.MEASURE: "/api/measures/{}/",
    EvidenceKind.ASSESSMENT: "/api/assessments/{}/",
    EvidenceKind.PAPER: "/api/papers/{}/",
}


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class PersonName(serializers.CharField):
    """A person named in a record, by full name (null when none is named)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str:
        return _person(value)


RatingCellSerializer = shape("RatingCell", rating=str, rated_on=datetime.date, direction=str)
DeliveryCountSerializer = shape("DeliveryCount", status=str | None, actions=int)
PortfolioDeliverySerializer = shape(
    "PortfolioDelivery", counts=DeliveryCountSerializer(many=True), total=int, overdue=int, awaited=int
)
ExitCountsSerializer = shape(
    "ExitCounts", total=int, met=int, partly_met=int, not_met=int, not_judged=int, sustained=int
)
RegulatoryBriefSerializer = shape(
    "RegulatoryBrief", id=int, kind=str, kind_label=str, issued_on=datetime.date
)
SustainedSerializer = shape(
    "Sustained", met=bool, run=int, months=int, since=datetime.date | None, rule=str, text=str
)
KeyMeasureCellSerializer = shape(
    "KeyMeasureCell",
    code=str,
    name=str,
    measure=int | None,
    **dict.fromkeys(("variation", "variation_text", "assurance", "assurance_text"), str | None),
    latest=float | None,
    latest_period=datetime.date | None,
)


class PortfolioRowSerializer(serializers.Serializer):
    """One trust of the portfolio, as the portfolio page and its download show it."""

    trust = TrustSerializer(source="entry.trust")
    in_portfolio_since = serializers.DateField(source="entry.joined_on")
    segment = serializers.IntegerField(source="status.segment", allow_null=True, default=None)
    segment_label = serializers.CharField()
    edition = serializers.CharField(source="status.edition", allow_null=True, default=None)
    average_score = serializers.DecimalField(
        source="status.average_score", max_digits=3, decimal_places=2, allow_null=True, default=None
    )
    rank = serializers.IntegerField(source="status.rank", allow_null=True, default=None)
    ranked_among = serializers.IntegerField(source="status.ranked_among", allow_null=True, default=None)
    programme = serializers.CharField(source="status.programme", allow_null=True, default=None)
    programme_label = serializers.CharField(
        help_text="The programme by the name it had on the status's date."
    )
    months_in_programme = serializers.IntegerField(allow_null=True)
    regulatory_actions_in_force = serializers.SerializerMethodField()
    improvement_director = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField(
        help_text="The latest CQC rating by key question (and overall), with its direction."
    )
    delivery = serializers.SerializerMethodField()
    exit_criteria = serializers.SerializerMethodField()
    key_measures = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_improvement_director(self, row) -> str:
        return _person(row.status.improvement_director) if row.status else ""

    @extend_schema_field(RegulatoryBriefSerializer(many=True))
    def get_regulatory_actions_in_force(self, row) -> list:
        return [
            {"id": a.pk, "kind": a.kind, "kind_label": a.get_kind_display(), "issued_on": a.issued_on}
            for a in row.regulatory
        ]

    @extend_schema_field(serializers.DictField(child=RatingCellSerializer(allow_null=True)))
    def get_ratings(self, row) -> dict:
        cells = {}
        for key in KEY_QUESTION_COLUMNS:
            cell = row.ratings.get(key)
            cells[key] = (
                RatingCellSerializer(
                    {
                        "rating": cell.rating.rating,
                        "rated_on": cell.rating.rated_on,
                        "direction": cell.direction,
                    }
                ).data
                if cell
                else None
            )
        return cells

    @extend_schema_field(PortfolioDeliverySerializer)
    def get_delivery(self, row) -> dict:
        summary = row.delivery
        counts = [{"status": s.code if s else None, "actions": n} for s, n in summary.counts]
        return PortfolioDeliverySerializer(
            {"counts": counts, "total": summary.total, "overdue": summary.overdue, "awaited": summary.awaited}
        ).data

    @extend_schema_field(ExitCountsSerializer)
    def get_exit_criteria(self, row) -> dict:
        return ExitCountsSerializer(row.exit).data

    @extend_schema_field(KeyMeasureCellSerializer(many=True))
    def get_key_measures(self, row) -> list:
        cells = []
        for key in self.context["key_measures"]:
            summary = row.measures.get(key.code)
            variation = summary.variation if summary else None
            assurance = summary.assurance if summary else None
            cells.append(
                {
                    "code": key.code,
                    "name": key.name,
                    "measure": summary.measure.pk if summary else None,
                    "variation": variation.value if variation else None,
                    "variation_text": VARIATION_NAMES.get(variation) if variation else None,
                    "assurance": assurance.value if assurance else None,
                    "assurance_text": ASSURANCE_NAMES.get(assurance) if assurance else None,
                    "latest": summary.latest if summary else None,
                    "latest_period": summary.latest_period if summary else None,
                }
            )
        return KeyMeasureCellSerializer(cells, many=True).data


class StatusSerializer(serializers.ModelSerializer):
    """A status with its framework edition: the segment is read in that edition's meaning."""

    oversight_body = TrustSerializer()
    trust = TrustSerializer()
    edition_name = serializers.SerializerMethodField()
    segment_label = serializers.CharField(source="segment_text")
    segment_meaning = serializers.SerializerMethodField()
    programme_label = serializers.CharField(
        source="programme_name", help_text="The programme by the name it had on the status's date."
    )
    improvement_director = PersonName()
    recorded_by = PersonName()

    class Meta:
        model = OversightStatus
        fields = [
            "id",
            "oversight_body",
            "trust",
            "effective_from",
            "edition",
            "edition_name",
            "segment",
            "segment_label",
            "segment_meaning",
            "average_score",
            "rank",
            "ranked_among",
            "financial_override",
            "programme",
            "programme_label",
            "programme_entered_on",
            "programme_exited_on",
            "improvement_director",
            "buddy_organisation",
            "improvement_funding",
            "note",
            "recorded_by",
            "recorded_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_edition_name(self, status) -> str:
        return status.edition_info.name

    @extend_schema_field(serializers.CharField())
    def get_segment_meaning(self, status) -> str:
        return status.segment_meaning.meaning


class JudgementSerializer(serializers.ModelSerializer):
    judged_by = PersonName()

    class Meta:
        model = ExitCriterionJudgement
        fields = ["id", "judgement", "judged_on", "rationale", "judged_by", "recorded_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    api_path = serializers.SerializerMethodField(help_text="Where the trust's own people read the record.")

    class Meta:
        model = ExitCriterionEvidence
        fields = ["id", "kind", "object_id", "label", "api_path", "added_at"]

    @extend_schema_field(serializers.CharField())
    def get_api_path(self, evidence) -> str:
        return EVIDENCE_API_PATHS[evidence.kind].format(evidence.object_id)


class CriterionSerializer(serializers.ModelSerializer):
    """An exit criterion with its latest judgement, every judgement (newest first) and its evidence."""

    oversight_body = TrustSerializer()
    trust = TrustSerializer()
    latest_judgement = serializers.SerializerMethodField()
    sustained = serializers.SerializerMethodField(
        help_text="Whether the criterion is met under its rule today: judged met for the run its rule asks."
    )
    judgements = JudgementSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ExitCriterion
        fields = [
            "id",
            "oversight_body",
            "trust",
            "reference",
            "title",
            "description",
            "agreed_on",
            "order",
            "sustained_judgements",
            "sustained_months",
            "latest_judgement",
            "sustained",
            "judgements",
            "evidence",
            "version",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_latest_judgement(self, criterion) -> str | None:
        judgements = list(criterion.judgements.all())
        return judgements[0].judgement if judgements else None

    @extend_schema_field(SustainedSerializer)
    def get_sustained(self, criterion) -> dict:
        state = sustained_read(criterion, list(criterion.judgements.all()))
        return SustainedSerializer(
            {
                "met": state.met,
                "run": state.run,
                "months": state.months,
                "since": state.since,
                "rule": state.rule,
                "text": state.text,
            }
        ).data


class RegulatoryActionSerializer(serializers.ModelSerializer):
    """A regulator's formal action against a trust, from issued to lifted."""

    oversight_body = TrustSerializer()
    trust = TrustSerializer()
    kind_label = serializers.CharField(source="get_kind_display")
    in_force = serializers.SerializerMethodField()
    recorded_by = PersonName()

    class Meta:
        model = RegulatoryAction
        fields = [
            "id",
            "oversight_body",
            "trust",
            "kind",
            "kind_label",
            "reference",
            "summary",
            "issued_on",
            "lifted_on",
            "in_force",
            "recorded_by",
            "recorded_at",
            "version",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, action) -> bool:
        return action.in_force()


class ExitRecommendationSerializer(serializers.ModelSerializer):
    """A recommendation that a trust leave intensive support, and the decision on it."""

    oversight_body = TrustSerializer()
    trust = TrustSerializer()
    recommended_by = PersonName()
    decided_by = PersonName()

    class Meta:
        model = ExitRecommendation
        fields = [
            "id",
            "oversight_body",
            "trust",
            "recommended_on",
            "recommended_by",
            "reason",
            "decision",
            "decided_on",
            "decided_by",
            "decision_reason",
            "recorded_at",
            "version",
        ]


class JudgementCreateSerializer(serializers.Serializer):
    judgement = serializers.ChoiceField(choices=Judgement.choices)
    judged_on = serializers.DateField(help_text="Today or earlier, and not before the criterion was agreed.")
    rationale = serializers.CharField(max_length=limit_of(ExitCriterionJudgement, "rationale"))


class EvidenceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    object_id = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="The id of the trust's action, measure, assessment or paper."
    )


class StatusFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id")
    edition = django_filters.ChoiceFilter(choices=lambda: frameworks().choices)
    segment = django_filters.TypedChoiceFilter(choices=Segment.choices, coerce=int)
    programme = django_filters.ChoiceFilter(choices=Programme.choices)
    effective_after = django_filters.DateFilter(field_name="effective_from", lookup_expr="gte")


class CriterionFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id")
    reference = django_filters.CharFilter(lookup_expr="iexact")


class RegulatoryActionFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id")
    kind = django_filters.ChoiceFilter(choices=RegulatoryActionKind.choices)
    in_force = django_filters.BooleanFilter(method="filter_in_force", label="In force today")

    def filter_in_force(self, queryset, name, value):
        today = timezone.localdate()
        force = Q(issued_on__lte=today) & (Q(lifted_on__isnull=True) | Q(lifted_on__gt=today))
        return queryset.filter(force) if value else queryset.exclude(force)


class ExitRecommendationFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id")
    decision = django_filters.ChoiceFilter(choices=ExitDecision.choices)
