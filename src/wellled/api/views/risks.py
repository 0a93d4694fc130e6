"""Risks with their reviews, controls and assurances, and the board assurance framework: read through the risks
selectors, changed through the risks services (the register's and the BAF's pages' twin)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED
from rest_framework.views import APIView

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import AS_IT_STANDS
from wellled.risks import selectors as risk_selectors
from wellled.risks import services as risk_services
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.models import Assurance, Control, Risk

from .. import filters, selectors
from .. import serializers_risks as shapes
from ..authentication import api_scope
from ..conditional import if_match_version, with_etag
from .base import WRITE_ERRORS, Changeable, Creatable, ListRetrieve, adding, body_of, changing


def risks_in_scope(*, user: User, organisation: Organisation) -> QuerySet[Risk]:
    """The organisation's risks with what a row shows (category, controls and their assurances, links) in a fixed
    number of queries, highest current score first as on the register."""
    return (
        risk_selectors.risks_for_user(user=user, organisation=organisation)
        .select_related("unit", "category", "objective")
        .prefetch_related(
            Prefetch(
                "controls",
                queryset=Control.objects.prefetch_related(
                    Prefetch("assurances", queryset=Assurance.objects.order_by("line", "id"))
                ),
            ),
            "actions",
            "measures",
            "findings",
        )
        .order_by("-current_score", "reference")
    )


class RiskViewSet(Creatable):
    # What it shows, and where from; what a change takes, and through what; what a new risk takes, likewise.
    serializer_class = shapes.RiskSerializer
    selector = staticmethod(risks_in_scope)
    filterset_class = filters.RiskFilter
    change_serializer_class = shapes.RiskChangeSerializer
    update_service = staticmethod(risk_services.risk_update)
    create_summary = "Add a risk to your organisation's register"
    create_serializer_class = shapes.RiskCreateSerializer
    create_service = staticmethod(risk_services.risk_create)
    change_permission = create_permission = Permission.MANAGE_RISKS

    status = changing(
        "status",
        url_path="status",
        summary="Open, tolerate or close the risk, with the reason (a closed risk leaves the corporate register)",
        body=shapes.RiskStatusSerializer,
        answer=shapes.RiskSerializer,
        service=risk_services.risk_status_set,
    )

    baf = changing(
        "baf",
        url_path="baf",
        summary="Put the risk on the board assurance framework (or take it off): objective, lead committee and "
        "executive, assurance rating",
        body=shapes.RiskBafSerializer,
        answer=shapes.RiskSerializer,
        service=risk_services.risk_baf_set,
    )

    @extend_schema(
        summary="Record a review of the risk, with its current score (the same or a new one)",
        description="The risk's owner or handler, or someone who manages risks. The new score joins the risk's "
        "scoring history, the next review date moves on, and the risk goes onto (or off) the corporate register "
        "as its score says. If-Match (the risk's ETag) is optional: a review is added, never overwritten, but "
        "sending it refuses a review written against a score that has since moved on. The reviews are listed "
        "under /api/risk-reviews/?risk={id}.",
        request=shapes.RiskReviewCreateSerializer,
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
        responses={201: shapes.RiskReviewSerializer, **WRITE_ERRORS},
    )
    @endpoint(detail=True, methods=["post"], url_path="reviews", serializer_class=shapes.RiskReviewSerializer)
    def review_create(self, request, pk=None):
        risk = self.get_object()
        if not risk_services.user_may_review(user=request.user, risk=risk):
            raise PermissionDenied(risk_services.NOT_YOURS)
        body = body_of(shapes.RiskReviewCreateSerializer, request)
        expected = if_match_version(request, required=False)
        review = risk_services.risk_review_record(
            risk=risk,
            by=request.user,
            expected_version=AS_IT_STANDS if expected is None else expected,
            **body,
        )
        reviews = selectors.risk_reviews_for_user(**api_scope(request))
        answer = Response(
            shapes.RiskReviewSerializer(reviews.get(pk=review.pk)).data, status=HTTP_201_CREATED
        )
        return with_etag(answer, self.get_queryset().get(pk=risk.pk))  # the risk's new ETag

    control_create = adding(
        "control_create",
        url_path="controls",
        summary="Add a control in place on the risk",
        body=shapes.ControlCreateSerializer,
        answer=shapes.ControlSerializer,
        service=risk_services.control_add,
        permission=Permission.MANAGE_RISKS,
    )


class RiskReviewViewSet(ListRetrieve):
    serializer_class = shapes.RiskReviewSerializer
    filterset_class = filters.RiskReviewFilter
    selector = staticmethod(selectors.risk_reviews_for_user)


class ControlViewSet(Changeable):
    serializer_class = shapes.ControlSerializer
    filterset_class = filters.ControlFilter
    selector = staticmethod(selectors.risk_controls_for_user)
    change_serializer_class = shapes.ControlChangeSerializer
    update_service = staticmethod(risk_services.control_update)
    change_permission = Permission.MANAGE_RISKS
    http_method_names = ["get", "patch", "post", "head", "options"]

    assurance_create = adding(
        "assurance_create",
        url_path="assurances",
        summary="Add a source of assurance on the control, with its line and level",
        body=shapes.AssuranceCreateSerializer,
        answer=shapes.AssuranceSerializer,
        service=risk_services.assurance_add,
        permission=Permission.MANAGE_RISKS,
    )


class BafQuerySerializer(drf_serializers.Serializer):
    as_at = shapes.Day(required=False)


class BafView(APIView):
    """The board assurance framework as its page shows it: principal risks under their strategic objectives, with
    their scores as they stood on the day, appetite, controls and assurances, and movement since the last issued
    BAF. The issued BAF papers are under /api/papers/?kind=baf."""

    @extend_schema(
        summary="The board assurance framework as at a day (default today)",
        parameters=[
            OpenApiParameter(
                "as_at", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="The day (YYYY-MM-DD)."
            )
        ],
        responses={
            200: shapes.BafSerializer,
            400: OpenApiResponse(description="The day is not a plausible date."),
        },
    )
    def get(self, request):
        query = BafQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_at = query.validated_data.get("as_at") or timezone.localdate()
        paper = baf_paper_build(as_at=as_at, **api_scope(request))
        return Response(shapes.BafSerializer(paper).data)
