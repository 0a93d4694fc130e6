"""What the accreditation endpoints show, accept and filter by: wards and teams with their latest level, the
schemes in use, and audits with their answers and the working of their result. Shapes only: the level, the
renewal date and every check are the accreditation services' and the scheme engine's."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.accreditation.choices import AuditState, PanelDecision
from wellled.accreditation.models import AccreditationScheme, WardAudit
from wellled.accreditation.services import EVIDENCE_LIMIT
from wellled.core.limits import limit_of

from .filters import IdFilter
from .serializers import shape

ID_MAX = 2**63 - 1
# A scheme has tens of standards; a few hundred answers in one request is certainly a mistake.
ANSWERS_MAX = 500
STANDARD_CODE_CHARS = 40


class AuditBriefSerializer(serializers.ModelSerializer):
    """An audit as a ward's row shows it: its date, level and score."""

    class Meta:
        model = WardAudit
        fields = [
            "id",
            "audited_on",
            "state",
            "level_code",
            "level_name",
            "percent",
            "renew_by",
            "decision",
            "awarded_level_code",
            "awarded_level_name",
        ]


class WardSerializer(serializers.Serializer):
    """A ward or team with its latest completed audit, the one before, any audit being recorded, and whether it
    is due (past its renewal date, or never audited)."""

    id = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    code = serializers.CharField(source="unit.code")
    latest = AuditBriefSerializer(allow_null=True)
    previous = AuditBriefSerializer(allow_null=True)
    draft = AuditBriefSerializer(allow_null=True, help_text="An audit being recorded, if any.")
    overdue = serializers.BooleanField()
    movement = serializers.CharField(help_text="'up', 'down', 'same' against the audit before, or ''.")


class SchemeSerializer(serializers.ModelSerializer):
    """A scheme as loaded: its answers, levels (from the highest down) and standards by domain."""

    scheme = serializers.SerializerMethodField(help_text="The scheme file's content as parsed.")
    shipped = serializers.SerializerMethodField()

    class Meta:
        model = AccreditationScheme
        fields = ["id", "key", "name", "version", "shipped", "scheme"]

    @extend_schema_field(serializers.BooleanField())
    def get_shipped(self, row) -> bool:
        return row.organisation_id is None

    @extend_schema_field(serializers.JSONField())
    def get_scheme(self, row) -> dict:
        parsed = row.scheme
        return {
            "answers": [
                {"code": a.code, "label": a.label, "points": a.points, "counts": a.counts}
                for a in parsed.answers
            ],
            "levels": [
                {
                    "code": level.code,
                    "name": level.name,
                    "overall_at_least": level.overall_at_least,
                    "every_domain_at_least": level.every_domain_at_least,
                    "essentials_met": level.essentials_met,
                    "renew_after_months": level.renew_after_months,
                }
                for level in parsed.levels
            ],
            "domains": [
                {
                    "code": domain.code,
                    "title": domain.title,
                    "standards": [
                        {"code": s.code, "text": s.text, "weight": s.weight, "essential": s.essential}
                        for s in domain.standards
                    ],
                }
                for domain in parsed.domains
            ],
        }


class AuditSerializer(serializers.ModelSerializer):
    """An audit with its answers and evidence by standard code (one column each in CSV)."""

    ward = serializers.IntegerField(source="unit_id")
    ward_name = serializers.CharField(source="unit.name")
    scheme = serializers.IntegerField(source="scheme_id")
    scheme_name = serializers.CharField(source="scheme.__str__")
    auditor = serializers.CharField(source="auditor.get_full_name")
    answers = serializers.DictField(child=serializers.CharField(), help_text="Standard code → answer code.")
    evidence = serializers.DictField(
        child=serializers.CharField(), help_text="Standard code → what was seen."
    )

    class Meta:
        model = WardAudit
        fields = [
            "id",
            "ward",
            "ward_name",
            "scheme",
            "scheme_name",
            "audited_on",
            "auditor",
            "state",
            "summary",
            "level_code",
            "level_name",
            "percent",
            "renew_by",
            "completed_at",
            "decision",
            "awarded_level_code",
            "awarded_level_name",
            "decision_reason",
            "decided_on",
            "decided_at",
            "answers",
            "evidence",
            "version",
        ]


DomainResultSerializer = shape(
    "DomainResult", code=str, title=str, points=int, available=int, percent=float | None
)
StandardResultSerializer = shape(
    "StandardResult",
    **dict.fromkeys(("code", "domain", "text", "evidence"), str),
    **dict.fromkeys(("answer", "answer_label"), str | None),
    essential=bool,
)


class ResultSerializer(serializers.Serializer):
    """The result worked from the stored answers, with every line of the working the audit's page prints."""

    complete = serializers.BooleanField()
    level_code = serializers.CharField(allow_null=True)
    level_name = serializers.CharField()
    percent = serializers.FloatField(allow_null=True)
    points = serializers.IntegerField()
    available = serializers.IntegerField()
    unanswered = serializers.ListField(child=serializers.CharField())
    essentials_not_met = serializers.ListField(child=serializers.CharField())
    essentials_failed = serializers.ListField(child=serializers.CharField())
    renew_after_months = serializers.IntegerField()
    domains = DomainResultSerializer(many=True)
    standards = StandardResultSerializer(many=True)
    working = serializers.ListField(child=serializers.CharField())


class AuditDetailSerializer(AuditSerializer):
    result = serializers.SerializerMethodField()

    class Meta(AuditSerializer.Meta):
        fields = [*AuditSerializer.Meta.fields, "result"]

    @extend_schema_field(ResultSerializer)
    def get_result(self, audit) -> dict:
        result = self.context["result"]
        scheme = result.scheme
        standards = []
        for domain in scheme.domains:
            for standard in domain.standards:
                code = audit.answers.get(standard.code)
                option = scheme.answer(code) if code else None
                standards.append(
                    {
                        "code": standard.code,
                        "domain": domain.code,
                        "text": standard.text,
                        "essential": standard.essential,
                        "answer": code or None,
                        "answer_label": option.label if option else None,
                        "evidence": audit.evidence.get(standard.code, ""),
                    }
                )
        return {
            "complete": result.complete,
            "level_code": result.level.code if result.level else None,
            "level_name": result.level_name,
            "percent": result.percent,
            "points": result.points,
            "available": result.available,
            "unanswered": list(result.unanswered),
            "essentials_not_met": list(result.essentials_not_met),
            "essentials_failed": list(result.essentials_failed),
            "renew_after_months": result.renew_after_months,
            "domains": [
                {
                    "code": d.code,
                    "title": d.title,
                    "points": d.points,
                    "available": d.available,
                    "percent": d.percent,
                }
                for d in result.domains
            ],
            "standards": standards,
            "working": result.working(),
        }


class AuditDecisionSerializer(serializers.Serializer):
    """The accreditation panel's decision: the rules (a completed audit, a level no higher than proposed, a reason,
    a day between the audit and today) are the accreditation services'."""

    decision = serializers.ChoiceField(
        choices=[(code, label) for code, label in PanelDecision.choices if code != PanelDecision.PENDING]
    )
    reason = serializers.CharField(max_length=limit_of(WardAudit, "decision_reason"))
    decided_on = serializers.DateField(help_text="The day the panel met.")
    level_code = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="For an award: the level awarded (the proposed level when left out).",
    )


class AuditStartSerializer(serializers.Serializer):
    ward = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="A ward or team (/api/wards/).")
    scheme = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        help_text="A scheme your organisation uses (/api/accreditation-schemes/).",
    )
    audited_on = serializers.DateField(help_text="The day of the visit: today or earlier.")


def _codes(max_value_length: int):
    return serializers.DictField(
        child=serializers.CharField(max_length=max_value_length, allow_blank=True),
        required=False,
        default=dict,
    )


class AuditAnswersSerializer(serializers.Serializer):
    """Answers and evidence by standard code: those sent replace what is recorded for their standards (an empty
    text clears one); the standards not sent keep theirs."""

    answers = _codes(STANDARD_CODE_CHARS)
    evidence = _codes(EVIDENCE_LIMIT)
    summary = serializers.CharField(
        max_length=limit_of(WardAudit, "summary"), required=False, allow_blank=True
    )

    def validate(self, attrs):
        for field in ("answers", "evidence"):
            given = attrs.get(field) or {}
            if len(given) > ANSWERS_MAX:
                raise serializers.ValidationError({field: [f"Send at most {ANSWERS_MAX} standards at once."]})
            long_codes = [code for code in given if len(code) > STANDARD_CODE_CHARS]
            if long_codes:
                raise serializers.ValidationError(
                    {field: [f"The scheme has no standard {long_codes[0][:50]}."]}
                )
        return attrs


class WardFilter(django_filters.FilterSet):
    """Filters of the wards list: the view applies them to the overview's rows (the filter only checks them)."""

    overdue = django_filters.BooleanFilter(
        method="as_given",
        help_text="true: only wards past their renewal date or never audited; false: the rest.",
    )

    def as_given(self, queryset, name, value):
        return queryset


class AuditFilter(django_filters.FilterSet):
    ward = IdFilter(field_name="unit_id")
    scheme = IdFilter(field_name="scheme_id")
    state = django_filters.ChoiceFilter(choices=AuditState.choices)
    level_code = django_filters.CharFilter()
    audited_after = django_filters.DateFilter(field_name="audited_on", lookup_expr="gte")
    audited_before = django_filters.DateFilter(field_name="audited_on", lookup_expr="lt")
