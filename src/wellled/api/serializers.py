"""What the API shows of each object and what it accepts: shapes only; every rule stays in the services."""

from __future__ import annotations

import datetime
import typing

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.assessments.models import Assessment, PublishedRating, RatingSnapshot
from wellled.core.formatting import EARLIEST_PLAUSIBLE, implausible_date, iso_day, latest_plausible
from wellled.core.limits import limit_of
from wellled.core.models import DeliveryStatus, Organisation
from wellled.measures.choices import Direction, Frequency, MeasureKind, YearStart
from wellled.measures.models import Measure, MeasureValue
from wellled.plans.choices import (
    ActionState,
    DatePrecision,
    FindingSource,
    FindingType,
    PlanKind,
    PlanOrganisedBy,
)
from wellled.plans.models import Action, Finding, Plan, ProgressUpdate, ReportingCycle, Section
from wellled.plans.position import ActionPosition
from wellled.plans.position.selectors import standing_positions_for
from wellled.reports.models import IssuedPaper, IssuedPaperFile

# Text fields take the limits of the models they are saved to (core.limits, docs/limits.md).
# Ids are positive 63-bit integers in every database Wellled runs on; a larger one names nothing.
ID_MAX = 2**63 - 1
# The most values one request may load into a measure (ten years of daily data is 3,653).
VALUES_PER_REQUEST_MAX = 5_000


# The plain types a `shape` names, and the fields they stand for.
PLAIN_FIELDS = {
    str: serializers.CharField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    bool: serializers.BooleanField,
    datetime.date: serializers.DateField,
}


def shape(name: str, /, **fields) -> type[serializers.Serializer]:
    """A read-only serializer of plain values, declared by type: `shape("Counts", total=int, label=str | None)`
    (`| None`: may be null); a field or serializer instance is used as it is."""

    def field_for(kind):
        if isinstance(kind, serializers.Field):
            return kind
        options = set(typing.get_args(kind)) or {kind}
        (plain,) = options - {type(None)}
        return PLAIN_FIELDS[plain](allow_null=type(None) in options)

    return type(f"{name}Serializer", (serializers.Serializer,), {k: field_for(v) for k, v in fields.items()})


def _plausible(day: datetime.date) -> None:
    """The span every import takes (core.formatting: from 1948 to ten years ahead), said in the API's ISO dates."""
    today = timezone.localdate()
    if implausible_date(day, today=today):
        latest = latest_plausible(today)
        raise serializers.ValidationError(
            f"Give a date from {iso_day(EARLIEST_PLAUSIBLE)} to {iso_day(latest)}."
        )


def Day(**kwargs) -> serializers.DateField:  # noqa: N802 (a field, named as fields are)
    """A date (YYYY-MM-DD) no earlier than 1948 and no more than ten years ahead."""
    return serializers.DateField(validators=[_plausible], **kwargs)


class DeliveryStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryStatus
        fields = ["code", "label", "meaning", "colour", "rank", "is_complete", "active"]


class OrganisationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in this organisation.")
    delivery_statuses = serializers.SerializerMethodField(help_text="Its delivery-status scale, best first.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "ods_code", "kind", "role", "delivery_statuses"]

    @extend_schema_field(serializers.CharField())
    def get_role(self, organisation) -> str:
        return self.context["role"]

    @extend_schema_field(DeliveryStatusSerializer(many=True))
    def get_delivery_statuses(self, organisation):
        return DeliveryStatusSerializer(self.context["statuses"], many=True).data


class OrganisationBriefSerializer(serializers.ModelSerializer):
    """An organisation named in another object (a trust, an oversight body)."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "ods_code"]


class PlanSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "name",
            "kind",
            "organised_by",
            "framework",
            "description",
            "archived",
            "version",
            "created_at",
        ]


class PlanChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=PlanKind.choices, required=False)
    description = serializers.CharField(
        max_length=limit_of(Plan, "description"), required=False, allow_blank=True
    )
    archived = serializers.BooleanField(required=False)


class PlanCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    organised_by = serializers.ChoiceField(
        choices=PlanOrganisedBy.choices, default=PlanOrganisedBy.WORKSTREAM
    )
    description = serializers.CharField(
        max_length=limit_of(Plan, "description"), required=False, allow_blank=True, default=""
    )


class SectionCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=300)


class FindingCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=limit_of(Finding, "text"))
    finding_type = serializers.ChoiceField(choices=FindingType.choices, default=FindingType.MUST_DO)
    regulation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=FindingSource.choices, default=FindingSource.CQC_INSPECTION)
    source_date = serializers.DateField(required=False, allow_null=True, default=None)


class ActionCreateSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=limit_of(Action, "title"))
    section = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX, help_text="A section of the plan."
    )
    lead = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="The id of a person of your organisation.",
    )
    lead_note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    success_measure = serializers.CharField(
        max_length=limit_of(Action, "success_measure"), required=False, allow_blank=True, default=""
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    due_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.MONTH)
    findings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of the plan's findings the action answers.",
    )


class TimescaleSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.MONTH)
    reason = serializers.CharField(max_length=500, help_text="Why the timescale moves; boards ask.")


class ActionStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ActionState.choices)
    assurance_evidence = serializers.CharField(
        max_length=limit_of(Action, "assurance_evidence"),
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to close an action.",
    )


class CycleOpenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    position_as_at = Day()
    update_deadline = Day()


class SectionSerializer(serializers.ModelSerializer):
    framework_element = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Section
        fields = ["id", "plan", "code", "title", "framework_element", "executive_lead", "order", "version"]


class SectionChangeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=300, required=False)
    order = serializers.IntegerField(min_value=0, max_value=100_000, required=False)


class FindingSerializer(serializers.ModelSerializer):
    framework_element = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "plan",
            "number",
            "text",
            "finding_type",
            "regulation",
            "source",
            "source_date",
            "framework_element",
            "version",
        ]


class FindingChangeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=limit_of(Finding, "text"), required=False)
    finding_type = serializers.ChoiceField(choices=FindingType.choices, required=False)
    regulation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=FindingSource.choices, required=False)
    source_date = serializers.DateField(required=False, allow_null=True)


class ActionListSerializer(serializers.ListSerializer):
    """A page of actions, their positions read once for the whole page (no query per row)."""

    def to_representation(self, data):
        actions = list(data.all() if hasattr(data, "all") else data)
        self.context["positions"] = standing_positions_for(actions)
        return super().to_representation(actions)


class ActionSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="The delivery status of the latest progress update (by position, then recording time)."
    )
    update_awaited = serializers.SerializerMethodField(
        help_text="An update is awaited for the plan's reporting cycle (as the plan page and board paper say)."
    )
    overdue = serializers.SerializerMethodField(help_text="Open, not delivered and past its timescale today.")
    leads = serializers.CharField(
        source="leads_display", read_only=True, help_text="As board papers show them."
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "section",
            "reference",
            "title",
            "lead",
            "other_leads",
            "leads",
            "lead_note",
            "success_measure",
            "findings",
            "due_date",
            "due_precision",
            "state",
            "status",
            "update_awaited",
            "overdue",
            "last_update_at",
            "version",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = ActionListSerializer

    def _position(self, action: Action) -> tuple[ActionPosition, dict[int, str]]:
        """The action's position as its plan stands (plans.position), read for the page or for this action."""
        if "positions" not in self.context:
            self.context["positions"] = standing_positions_for([action])
        positions, codes = self.context["positions"]
        return positions[action.pk], codes

    @extend_schema_field({"type": "string", "nullable": True})
    def get_status(self, action: Action) -> str | None:
        position, codes = self._position(action)
        return codes.get(position.status_id) if position.status_id else None

    def get_update_awaited(self, action: Action) -> bool:
        return self._position(action)[0].update_awaited

    def get_overdue(self, action: Action) -> bool:
        return self._position(action)[0].overdue


class ActionChangeSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=limit_of(Action, "title"), required=False)
    lead_note = serializers.CharField(max_length=100, required=False, allow_blank=True)
    success_measure = serializers.CharField(
        max_length=limit_of(Action, "success_measure"), required=False, allow_blank=True
    )


class ProgressUpdateSerializer(serializers.ModelSerializer):
    status = serializers.SlugRelatedField(slug_field="code", read_only=True)
    late = serializers.BooleanField(
        source="is_late", read_only=True, help_text="Recorded after its deadline."
    )
    action_reference = serializers.CharField(source="action.reference", read_only=True)
    created_by_initials = serializers.CharField(
        source="created_by.display_initials", read_only=True, help_text="As board papers show the author."
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "action_reference",
            "cycle",
            "narrative",
            "status",
            "update_date",
            "supersedes",
            "created_by",
            "created_by_initials",
            "created_at",
            "late",
        ]


class ProgressUpdateCreateSerializer(serializers.Serializer):
    narrative = serializers.CharField(max_length=limit_of(ProgressUpdate, "narrative"))
    status = serializers.CharField(max_length=8, help_text="A code of your organisation's scale, e.g. A/G.")
    update_date = serializers.DateField(
        required=False, allow_null=True, help_text="The date the progress is reported as at (default today)."
    )
    supersedes = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="The id of the latest update, to correct it.",
    )


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "plan",
            "name",
            "position_as_at",
            "update_deadline",
            "state",
            "opened_at",
            "opened_by",
            "closed_at",
            "version",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = [
            "id",
            "name",
            "definition",
            "unit",
            "unit_of_measurement",
            "direction",
            "target",
            "trajectory",
            "frequency",
            "year_start",
            "owner",
            "data_source",
            "kind",
            "rate_per",
            "run_chart",
            "version",
            "created_at",
        ]


class MeasureCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MeasureKind.choices, default=MeasureKind.VALUE)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INCREASE)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.MONTHLY)
    year_start = serializers.ChoiceField(
        choices=YearStart.choices,
        default=YearStart.FINANCIAL,
        help_text="For annual measures: financial or calendar years (the NHS Staff Survey counts calendar years).",
    )
    definition = serializers.CharField(
        max_length=limit_of(Measure, "definition"), required=False, allow_blank=True, default=""
    )
    unit_of_measurement = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    target = serializers.FloatField(
        required=False, allow_null=True, default=None, min_value=-1e15, max_value=1e15
    )
    rate_per = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000_000, default=1000)
    data_source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeasureChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    definition = serializers.CharField(
        max_length=limit_of(Measure, "definition"), required=False, allow_blank=True
    )
    unit_of_measurement = serializers.CharField(max_length=60, required=False, allow_blank=True)
    target = serializers.FloatField(required=False, allow_null=True, min_value=-1e15, max_value=1e15)
    data_source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    run_chart = serializers.BooleanField(required=False)


class MeasureValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureValue
        fields = ["period", "value", "numerator", "denominator", "updated_at", "updated_by", "source"]


# Figures beyond this are refused as typing slips rather than stored (and a JSON number must be finite).
FIGURE_LIMIT = 1e15


class MeasureValueRowSerializer(serializers.Serializer):
    period = serializers.DateField(
        help_text="Any day of the period; months and quarters are stored as day one."
    )
    value = serializers.FloatField(
        required=False, allow_null=True, min_value=-FIGURE_LIMIT, max_value=FIGURE_LIMIT
    )
    numerator = serializers.FloatField(
        required=False, allow_null=True, min_value=-FIGURE_LIMIT, max_value=FIGURE_LIMIT
    )
    denominator = serializers.FloatField(
        required=False, allow_null=True, min_value=-FIGURE_LIMIT, max_value=FIGURE_LIMIT
    )


class MeasureValuesLoadSerializer(serializers.Serializer):
    values = MeasureValueRowSerializer(many=True, max_length=VALUES_PER_REQUEST_MAX, allow_empty=False)
    source = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="Where the figures came from."
    )


class ValuesOutcomeSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    corrected = serializers.IntegerField(
        help_text="Changed values; the earlier figure is kept as a revision."
    )
    unchanged = serializers.IntegerField()


class SPCPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField(allow_null=True)
    group = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    lower_limit = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True)
    rule = serializers.CharField(
        allow_null=True, help_text="The special-cause rule the point triggers, if any."
    )
    point_type = serializers.CharField()


class SPCSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    chart = serializers.CharField(help_text="xmr, p, u, c or run.")
    variation = serializers.CharField(
        allow_null=True,
        help_text="Making Data Count variation icon; too_few_points for a series shorter than the 12 points "
        "limits need (then there are no limits, and it is not common cause).",
    )
    variation_text = serializers.CharField(allow_null=True)
    n_points = serializers.IntegerField(help_text="How many periods have a figure.")
    out_of_date = serializers.CharField(
        allow_null=True, help_text="'out of date (latest: July 2025)' when the latest figure is not current."
    )
    assurance = serializers.CharField(allow_null=True, help_text="Assurance against the target, if any.")
    assurance_text = serializers.CharField(allow_null=True)
    points = SPCPointSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class RatingSnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingSnapshot
        fields = [
            "key_question",
            "name",
            "rating",
            "percentage_rating",
            "previous_rating",
            "percentage",
            "percentage_text",
            "total",
            "maximum",
            "working",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    framework = serializers.SlugRelatedField(slug_field="key", read_only=True)
    subject = serializers.CharField(source="subject_label", read_only=True)
    ratings = RatingSnapshotSerializer(source="snapshots", many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "name",
            "framework",
            "subject",
            "location",
            "service",
            "assessed_on",
            "assessor_kind",
            "method",
            "state",
            "summary",
            "published_at",
            "ratings",
            "version",
        ]


class PublishedRatingSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject_label", read_only=True)

    class Meta:
        model = PublishedRating
        fields = [
            "id",
            "subject",
            "location",
            "service",
            "key_question",
            "rating",
            "rated_on",
            "assessor_kind",
            "source",
            "assessment",
            "percentage",
        ]


class PaperFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssuedPaperFile
        fields = ["format", "filename", "content_type", "size", "sha256"]


class PaperSerializer(serializers.ModelSerializer):
    files = PaperFileSerializer(many=True, read_only=True)

    class Meta:
        model = IssuedPaper
        fields = [
            "id",
            "kind",
            "plan",
            "cycle",
            "as_at",
            "title",
            "issued_by",
            "issued_at",
            "total",
            "counts",
            "files",
        ]
