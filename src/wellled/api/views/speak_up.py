"""Freedom to Speak Up in the API: a quarter's return as counts only, always the suppressed copy whoever asks (a
guardian's token too), and no endpoint for cases, which never leave the guardian's pages (ADR 0054, 0059)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from wellled.ftsu.periods import last_complete_quarter, quarter_parse
from wellled.ftsu.returns import quarter_return

from ..authentication import api_scope


class SpeakUpCellSerializer(serializers.Serializer):
    table = serializers.CharField(
        help_text="The return's table (cases, openness, elements, worker_group, feedback)."
    )
    code = serializers.CharField(
        help_text="The figure's code in the definition file; 'total' for a table's total."
    )
    label = serializers.CharField()
    shown = serializers.CharField(
        help_text="The count as shown outside the guardian role: a number, 'fewer than 5', or not shown."
    )


class SpeakUpReturnSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.ods_code")
    quarter = serializers.CharField(source="quarter.label")
    definition_version = serializers.SerializerMethodField()
    threshold = serializers.IntegerField()
    nil = serializers.BooleanField(help_text="No case was received in the quarter.")
    cells = SpeakUpCellSerializer(many=True)
    totals = serializers.SerializerMethodField()

    def get_definition_version(self, result) -> str:
        return str(result.definition.get("version", ""))

    @extend_schema_field(SpeakUpCellSerializer(many=True))
    def get_totals(self, result) -> list[dict]:
        return SpeakUpCellSerializer(list(result.totals.values()), many=True).data


class SpeakUpReturnView(APIView):
    """A financial quarter's Freedom to Speak Up return for the token's organisation: the figures of the return's
    definition file, each a count as shown outside the guardian role (small counts and any that would reveal them
    are withheld). No exact count and no case is ever served here."""

    @extend_schema(
        summary="A quarter's speak-up return, suppressed counts only",
        parameters=[
            OpenApiParameter(
                "quarter",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="The financial quarter, like 2024/25 Q1 (default: the last complete quarter).",
            )
        ],
        responses={
            200: SpeakUpReturnSerializer,
            400: OpenApiResponse(description="The quarter is not written like 2024/25 Q1."),
        },
    )
    def get(self, request):
        text = request.query_params.get("quarter", "")
        try:
            quarter = quarter_parse(text) if text else last_complete_quarter(timezone.localdate())
        except ValueError as exc:
            raise ValidationError({"quarter": [str(exc)]}) from None
        result = quarter_return(**api_scope(request), quarter=quarter, suppressed=True)
        return Response(SpeakUpReturnSerializer(result).data)
