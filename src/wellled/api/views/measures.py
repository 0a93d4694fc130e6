"""Measures, their values (loaded in bulk through `values_load`) and their SPC charts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action as endpoint
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wellled.core.permissions import Permission
from wellled.measures import selectors as measure_selectors
from wellled.measures import services as measure_services
from wellled.measures.selectors import ASSURANCE_NAMES

from .. import filters, selectors, serializers
from ..authentication import api_scope
from ..models import ApiToken
from ..renderers import CSVRenderer
from .base import WRITE_ERRORS, Creatable, create_schema, require_role


@extend_schema_view(
    create=create_schema(
        serializers.MeasureCreateSerializer, serializers.MeasureSerializer, summary="Define a measure"
    ),
)
class MeasureViewSet(Creatable):
    serializer_class = serializers.MeasureSerializer
    change_serializer_class = serializers.MeasureChangeSerializer
    create_serializer_class = serializers.MeasureCreateSerializer
    filterset_class = filters.MeasureFilter
    selector = staticmethod(measure_selectors.measures_for_user)
    update_service = staticmethod(measure_services.measure_update)
    create_service = staticmethod(measure_services.measure_create)

    def get_renderers(self):
        if getattr(self, "action", None) == "values" and self.request.method == "GET":
            return [JSONRenderer(), CSVRenderer()]
        return super().get_renderers()

    @extend_schema(
        methods=["GET"],
        summary="The measure's values, earliest period first",
        responses={200: serializers.MeasureValueSerializer(many=True)},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Load many values at once (all or nothing)",
        description="Each row is one period. A period that already has a different figure is corrected, and "
        "the earlier figure is kept as a revision; the same figure again is left unchanged.",
        request=serializers.MeasureValuesLoadSerializer,
        responses={200: serializers.ValuesOutcomeSerializer, **WRITE_ERRORS},
    )
    @endpoint(
        detail=True,
        methods=["get", "post"],
        url_path="values",
        serializer_class=serializers.MeasureValueSerializer,
        filterset_class=None,
    )
    def values(self, request, pk=None):
        measure = self.get_object()
        scope = api_scope(request)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.measure_values(measure=measure, **scope))
            return self.get_paginated_response(serializers.MeasureValueSerializer(page, many=True).data)
        require_role(request, Permission.MANAGE_PLANS)
        body = serializers.MeasureValuesLoadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = [
            measure_services.ValueRow(
                measure_id=measure.pk,
                period=row["period"],
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
            )
            for row in body.validated_data["values"]
        ]
        source = body.validated_data.get("source") or "API"
        if isinstance(request.auth, ApiToken):
            source = f"{source} (token {request.auth.prefix})"
        outcome = measure_services.values_load(
            organisation=scope["organisation"], by=request.user, rows=rows, source=source
        )
        result = outcome[measure.pk]
        return Response({"added": result.added, "corrected": result.corrected, "unchanged": result.unchanged})

    @extend_schema(
        summary="The measure's SPC chart: limits, signals and Making Data Count icons",
        responses={200: serializers.SPCSerializer},
    )
    @endpoint(
        detail=True,
        methods=["get"],
        url_path="spc",
        serializer_class=serializers.SPCSerializer,
        filterset_class=None,
    )
    def spc(self, request, pk=None):
        page = measure_selectors.measure_page(pk=self.get_object().pk, **api_scope(request))
        result = page.result
        variation = result.variation if result is not None else None
        assurance = result.assurance if result is not None else None
        body = {
            "measure": page.measure.pk,
            "chart": "run" if result is not None and result.too_few_points else page.measure.chart,
            "variation": variation.value if variation is not None else None,
            "variation_text": page.variation_text or None,
            "n_points": result.n_points if result is not None else 0,
            "out_of_date": page.out_of_date or None,
            "assurance": assurance.value if assurance is not None else None,
            "assurance_text": ASSURANCE_NAMES.get(assurance) if result is not None else None,
            "points": [p.to_dict() for p in result.points()] if result is not None else [],
            "warnings": list(result.warnings) if result is not None else [],
        }
        return Response(body)
