"""What the API shows of risks, their reviews, controls and assurances, and of the BAF, and what it accepts: shapes
only; every rule stays in risks.services. Ids in a body name objects of the caller's organisation (`InScope`)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.core.selectors import organisation_people
from wellled.risks import selectors as risk_selectors
from wellled.risks.choices import (
    REVIEW_FREQUENCIES,
    AssuranceLevel,
    AssuranceLine,
    AssuranceOutcome,
    ConsequenceDomain,
    ControlEffectiveness,
    RiskStatus,
)
from wellled.risks.convention import convention
from wellled.risks.models import Assurance, Control, Risk, RiskReview

from .fields import Day, InScope, text_of


def _person(**kwargs) -> InScope:
    return InScope(organisation_people, required=False, allow_null=True, **kwargs)


def _axis(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=5, **kwargs)


class ScoreSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.CharField(help_text="The band of the 5 x 5 matrix the score falls in.")


def _score(risk: Risk, kind: str) -> dict:
    likelihood, consequence = risk.scores(kind)
    score = likelihood * consequence
    return {
        "likelihood": likelihood,
        "consequence": consequence,
        "score": score,
        "band": convention().band(score).label,
    }


class AssuranceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assurance
        fields = ["id", "control", "source", "line", "level", "outcome", "reported_on"]


class ControlSerializer(serializers.ModelSerializer):
    assurances = AssuranceSerializer(many=True, read_only=True)
    risk_reference = serializers.CharField(source="risk.reference", read_only=True)

    class Meta:
        model = Control
        fields = [
            "id",
            "risk",
            "risk_reference",
            "description",
            "order",
            "effectiveness",
            "assurances",
            "version",
        ]


def _through(field: type[serializers.Field], source: str, help_text: str = "") -> serializers.Field:
    """A read-only field of a linked object (its unit, category, objective), null when there is none."""
    return field(source=source, read_only=True, allow_null=True, default=None, help_text=help_text or None)


class RiskSerializer(serializers.ModelSerializer):
    unit_name = _through(serializers.CharField, "unit.name")
    category_name = _through(serializers.CharField, "category.name")
    appetite = _through(
        serializers.CharField,
        "appetite_from.appetite",
        "The board's appetite for its strategic objective, else for its category.",
    )
    tolerance = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The highest current score the board accepts: its objective's, else its category's.",
    )
    objective_code = _through(serializers.CharField, "objective.code")
    inherent = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    above_appetite = serializers.BooleanField(
        read_only=True,
        help_text="Its current score is above its tolerance (its objective's, else its category's).",
    )
    target_above_tolerance = serializers.BooleanField(
        read_only=True, help_text="Even its target score is above its tolerance."
    )
    review_overdue = serializers.SerializerMethodField(help_text="Not closed, and its next review is past.")
    controls = ControlSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "title",
            "cause",
            "event",
            "effect",
            "unit",
            "unit_name",
            "category",
            "category_name",
            "appetite",
            "tolerance",
            "owner",
            "handler",
            "opened_on",
            "inherent",
            "current",
            "target",
            "above_appetite",
            "target_above_tolerance",
            "target_on",
            "consequence_domain",
            "gaps_in_control",
            "gaps_in_assurance",
            "controls",
            "review_frequency_days",
            "next_review_on",
            "review_overdue",
            "status",
            "status_reason",
            "escalated",
            "principal",
            "objective",
            "objective_code",
            "lead_committee",
            "lead_executive",
            "assurance_rating",
            "assurance_rating_reason",
            "parent",
            "actions",
            "measures",
            "findings",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ScoreSerializer)
    def get_inherent(self, risk: Risk) -> dict:
        return _score(risk, "inherent")

    @extend_schema_field(ScoreSerializer)
    def get_current(self, risk: Risk) -> dict:
        return _score(risk, "current")

    @extend_schema_field(ScoreSerializer)
    def get_target(self, risk: Risk) -> dict:
        return _score(risk, "target")

    def get_review_overdue(self, risk: Risk) -> bool:
        return risk.is_review_overdue(timezone.localdate())


class RiskChangeSerializer(serializers.Serializer):
    """The fields a risk's edit page changes; its current score changes only through a review."""

    title = text_of(Risk, "title", required=False)
    cause = text_of(Risk, "cause", required=False, allow_blank=True)
    event = text_of(Risk, "event", required=False, allow_blank=True)
    effect = text_of(Risk, "effect", required=False, allow_blank=True)
    unit = InScope(risk_selectors.risk_units, required=False, allow_null=True)
    category = InScope(risk_selectors.categories, required=False, allow_null=True)
    owner = _person()
    handler = _person()
    opened_on = Day(required=False)
    inherent_likelihood = _axis(required=False)
    inherent_consequence = _axis(required=False)
    target_likelihood = _axis(required=False)
    target_consequence = _axis(required=False)
    gaps_in_control = text_of(Risk, "gaps_in_control", required=False, allow_blank=True)
    gaps_in_assurance = text_of(Risk, "gaps_in_assurance", required=False, allow_blank=True)
    review_frequency_days = serializers.ChoiceField(
        choices=REVIEW_FREQUENCIES, required=False, help_text="0: by the band of the current score."
    )
    next_review_on = Day(required=False)
    target_on = Day(required=False, allow_null=True, help_text="When the target score should be reached.")
    consequence_domain = serializers.ChoiceField(
        choices=ConsequenceDomain.choices, required=False, allow_blank=True
    )


class RiskCreateSerializer(serializers.Serializer):
    reference = text_of(
        Risk, "reference", required=False, allow_blank=True, help_text="Empty for the next free number."
    )
    title = text_of(Risk, "title")
    cause = text_of(Risk, "cause", required=False, allow_blank=True, default="")
    event = text_of(Risk, "event", required=False, allow_blank=True, default="")
    effect = text_of(Risk, "effect", required=False, allow_blank=True, default="")
    unit = InScope(risk_selectors.risk_units, required=False, allow_null=True, default=None)
    category = InScope(risk_selectors.categories, required=False, allow_null=True, default=None)
    owner = _person(default=None)
    handler = _person(default=None)
    opened_on = Day(required=False, allow_null=True, default=None, help_text="Default today.")
    inherent_likelihood = _axis()
    inherent_consequence = _axis()
    current_likelihood = _axis()
    current_consequence = _axis()
    target_likelihood = _axis()
    target_consequence = _axis()
    gaps_in_control = text_of(Risk, "gaps_in_control", required=False, allow_blank=True, default="")
    gaps_in_assurance = text_of(Risk, "gaps_in_assurance", required=False, allow_blank=True, default="")
    review_frequency_days = serializers.ChoiceField(choices=REVIEW_FREQUENCIES, required=False, default=0)
    next_review_on = Day(
        required=False, allow_null=True, default=None, help_text="Default: by the review frequency."
    )
    target_on = Day(
        required=False, allow_null=True, default=None, help_text="When the target score should be reached."
    )
    consequence_domain = serializers.ChoiceField(
        choices=ConsequenceDomain.choices, required=False, allow_blank=True, default=""
    )
    controls = serializers.ListField(
        child=text_of(Control, "description"),
        required=False,
        default=list,
        max_length=50,
        help_text="The controls in place, one text each.",
    )

    def validate(self, attrs):
        """risk_create takes each score as a (likelihood, consequence) pair."""
        for kind in ("inherent", "current", "target"):
            attrs[kind] = (attrs.pop(f"{kind}_likelihood"), attrs.pop(f"{kind}_consequence"))
        return attrs


class RiskReviewSerializer(serializers.ModelSerializer):
    risk_reference = serializers.CharField(source="risk.reference", read_only=True)
    score_before = serializers.IntegerField(read_only=True)
    score = serializers.IntegerField(read_only=True)
    movement = serializers.IntegerField(
        read_only=True, help_text="Up (positive) or down since the review before."
    )

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "risk",
            "risk_reference",
            "reviewed_on",
            "narrative",
            "likelihood_before",
            "consequence_before",
            "score_before",
            "likelihood",
            "consequence",
            "score",
            "movement",
            "next_review_on",
            "created_by",
            "created_at",
        ]


class RiskReviewCreateSerializer(serializers.Serializer):
    reviewed_on = Day(required=False, help_text="The day of the review (default today).")
    narrative = text_of(
        RiskReview, "narrative", help_text="What the review found, and why the score is what it is."
    )
    likelihood = _axis(help_text="The current likelihood, the same or new.")
    consequence = _axis(help_text="The current consequence, the same or new.")
    next_review_on = Day(
        required=False, allow_null=True, default=None, help_text="Default: by the review frequency."
    )

    def validate(self, attrs):
        attrs.setdefault("reviewed_on", timezone.localdate())
        return attrs


class RiskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RiskStatus.choices)
    reason = text_of(
        Risk,
        "status_reason",
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed to tolerate or close a risk.",
    )


class ControlCreateSerializer(serializers.Serializer):
    description = text_of(Control, "description")
    effectiveness = serializers.ChoiceField(
        choices=ControlEffectiveness.choices, required=False, default=ControlEffectiveness.NOT_ASSESSED
    )


class ControlChangeSerializer(serializers.Serializer):
    description = text_of(Control, "description", required=False)
    effectiveness = serializers.ChoiceField(choices=ControlEffectiveness.choices, required=False)
    order = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, help_text="Its place among the risk's controls."
    )


class RiskBafSerializer(serializers.Serializer):
    """The risk's entry on the board assurance framework: send the fields to change."""

    principal = serializers.BooleanField(required=False, help_text="A principal risk on the BAF.")
    objective = InScope(
        risk_selectors.objectives,
        required=False,
        allow_null=True,
        help_text="The strategic objective it threatens (needed for a principal risk).",
    )
    lead_committee = text_of(Risk, "lead_committee", required=False, allow_blank=True)
    lead_executive = _person()
    assurance_rating = serializers.ChoiceField(
        choices=AssuranceLevel.choices, required=False, allow_blank=True
    )
    assurance_rating_reason = text_of(
        Risk,
        "assurance_rating_reason",
        required=False,
        allow_blank=True,
        help_text="Needed when the rating differs from the one the weakest current assurance suggests.",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


class AssuranceCreateSerializer(serializers.Serializer):
    source = text_of(Assurance, "source", help_text="A report, an audit, a committee.")
    line = serializers.ChoiceField(choices=AssuranceLine.choices)
    level = serializers.ChoiceField(choices=AssuranceLevel.choices)
    outcome = serializers.ChoiceField(
        choices=AssuranceOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Positive: the control works; negative: it does not.",
    )
    reported_on = Day(required=False, allow_null=True, default=None)


# The board assurance framework as its page shows it (risks.baf_paper.BafPaper), read only.


def _shape(name: str, texts: str, **fields) -> type[serializers.Serializer]:
    """A read-only shape of a BAF dataclass: its text fields (named in `texts`), and any other fields."""
    return type(
        name, (serializers.Serializer,), {**{t: serializers.CharField() for t in texts.split()}, **fields}
    )


def _numbers(names: str) -> dict[str, serializers.IntegerField]:
    return {n: serializers.IntegerField() for n in names.split()}


BafScoreSerializer = _shape(
    "BafScoreSerializer",
    "band",
    text=serializers.CharField(help_text="'4 x 5 = 20 (Extreme)'."),
    **_numbers("likelihood consequence score"),
)
BafControlSerializer = _shape(
    "BafControlSerializer",
    "description effectiveness",
    assurances=_shape(
        "BafAssuranceSerializer",
        "line level source outcome reported",
        stale=serializers.BooleanField(help_text="Older than the set age on the BAF's date."),
    )(many=True),
)
BafRiskSerializer = _shape(
    "BafRiskSerializer",
    "reference title category appetite owner lead_executive lead_committee movement_text assurance_rating "
    "gaps_in_control gaps_in_assurance next_review beneath_text appetite_source appetite_text tolerance_text "
    "target_date track target_text consequence_domain suggested_rating rating_reason rating_text",
    tolerance=serializers.IntegerField(
        allow_null=True, help_text="Its objective's tolerance, else its category's."
    ),
    above_tolerance=serializers.BooleanField(),
    target_above_tolerance=serializers.BooleanField(),
    gaps=_shape("BafGapSerializer", "kind description control action text")(many=True),
    inherent=BafScoreSerializer(),
    current=BafScoreSerializer(),
    target=BafScoreSerializer(),
    previous_score=serializers.IntegerField(
        allow_null=True, help_text="Its current score in the last issued BAF."
    ),
    movement=serializers.CharField(help_text="up, down, same or new (since the last issued BAF)."),
    controls=BafControlSerializer(many=True),
    actions=_shape("BafActionSerializer", "reference title plan status due")(many=True),
    indicators=_shape("BafIndicatorSerializer", "name latest variation assurance")(many=True),
    escalated=serializers.BooleanField(),
    beneath=serializers.IntegerField(help_text="Live operational risks that feed it."),
    beneath_highest=serializers.IntegerField(),
)
BafObjectiveSerializer = _shape("BafObjectiveSerializer", "code title", risks=BafRiskSerializer(many=True))


class BafSerializer(serializers.Serializer):
    title = serializers.CharField()
    organisation_name = serializers.CharField()
    ods_code = serializers.CharField()
    as_at = serializers.DateField()
    generated_at = serializers.DateTimeField()
    threshold = serializers.IntegerField(
        help_text="The score at which a risk goes to the corporate register."
    )
    objectives = BafObjectiveSerializer(
        many=True, help_text="Principal risks under their strategic objectives."
    )
    heat_map = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Live risks of the register by current score: likelihood 5 first, consequence 1 to 5.",
    )
    register_total = serializers.IntegerField()
    escalated_total = serializers.IntegerField()
    previous_as_at = serializers.DateField(allow_null=True, help_text="The date of the last issued BAF.")
