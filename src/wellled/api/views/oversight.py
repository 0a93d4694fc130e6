"""Oversight: for an oversight body's own people, its portfolio (one row per trust, as the portfolio page and its
download give it), the statuses and exit criteria it keeps about the trusts of its portfolio today, and the
improvement director's writes (judge a criterion, add evidence) through the oversight services. A trust's own
people read their own trust's statuses and exit criteria, as on its oversight page; never another trust's."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.renderers import JSONRenderer

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.oversight import portfolio
from wellled.oversight import selectors as oversight_selectors
from wellled.oversight import services as oversight_services
from wellled.oversight.models import ExitCriterionJudgement

from .. import oversight_serializers as shapes
from ..authentication import api_scope
from ..renderers import CSVRenderer
from .base import ListRetrieve, body_of, create_schema, created, require_role


def statuses_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """An oversight body's records of the trusts of its portfolio; a trust's, those recorded about it."""
    if organisation.is_oversight_body:
        return oversight_selectors.body_status_records(user=user, organisation=organisation)
    return oversight_selectors.trust_status_records(user=user, organisation=organisation)


def criteria_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """The body's exit criteria for the trusts of its portfolio (a trust's: those agreed for it), each with its
    judgements (newest first) and evidence, in a fixed number of queries."""
    if organisation.is_oversight_body:
        criteria = oversight_selectors.body_criteria(user=user, organisation=organisation)
    else:
        criteria = oversight_selectors.trust_criteria(user=user, organisation=organisation)
    return (
        criteria.select_related("trust", "oversight_body")
        .prefetch_related(
            Prefetch("judgements", queryset=ExitCriterionJudgement.objects.select_related("judged_by")),
            "evidence",
        )
        .order_by("trust__name", "order", "reference", "pk")
    )


PORTFOLIO_PARAMETERS = [
    OpenApiParameter("segment", OpenApiTypes.STR, description="1 to 5, or none (no status recorded)."),
    OpenApiParameter(
        "programme", OpenApiTypes.STR, description="A support programme, e.g. recovery_support."
    ),
    OpenApiParameter("rating", OpenApiTypes.STR, description="The overall CQC rating, or none."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of a trust's name or ODS code."),
    OpenApiParameter("sort", OpenApiTypes.STR, description=f"One of {', '.join(portfolio.SORTS)}."),
    OpenApiParameter("order", OpenApiTypes.STR, description="asc or desc."),
    OpenApiParameter(
        "measure",
        OpenApiTypes.STR,
        many=True,
        description="Key measures' indicator codes (repeat for several); none: the portfolio's most shared.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="The portfolio: one row per trust the body oversees today, as the portfolio page shows it",
        description="Filters and sorting as on the page; values the page does not know are ignored, as there.",
        parameters=PORTFOLIO_PARAMETERS,
        responses={
            200: shapes.PortfolioRowSerializer(many=True),
            404: OpenApiResponse(description="You are not a member of an oversight body."),
        },
    ),
)
class PortfolioViewSet(viewsets.GenericViewSet):
    serializer_class = shapes.PortfolioRowSerializer
    filter_backends: list = []

    def get_renderers(self):
        return [JSONRenderer(), CSVRenderer()]

    def list(self, request, *args, **kwargs):
        built = portfolio.portfolio_build(filters=portfolio.filters_from(request.GET), **api_scope(request))
        page = self.paginate_queryset(built.rows)
        rows = self.get_serializer(page, many=True, context={"key_measures": built.key_measures}).data
        return self.get_paginated_response(rows)


@extend_schema_view(
    list=extend_schema(summary="Oversight statuses (segment and support programme over time), newest first"),
    retrieve=extend_schema(summary="One oversight status"),
)
class OversightStatusViewSet(ListRetrieve):
    serializer_class = shapes.StatusSerializer
    filterset_class = shapes.StatusFilter
    selector = staticmethod(statuses_in_scope)


def _criterion_adding(name: str, url_path: str, summary: str, body, answer, service):
    """A POST under an exit criterion that adds to it through an oversight service: 201 with what it added."""

    def add(self, request, pk=None):
        criterion = self.get_object()
        require_role(request, Permission.MANAGE_OVERSIGHT)
        return created(answer, service(criterion=criterion, by=request.user, **body_of(body, request)))

    add.__name__ = name
    routed = endpoint(detail=True, methods=["post"], url_path=url_path, serializer_class=answer)(add)
    return create_schema(body, answer, summary=summary)(routed)


@extend_schema_view(
    list=extend_schema(summary="Exit criteria with their judgements and evidence"),
    retrieve=extend_schema(summary="One exit criterion with its judgements and evidence"),
)
class ExitCriterionViewSet(ListRetrieve):
    serializer_class = shapes.CriterionSerializer
    filterset_class = shapes.CriterionFilter
    selector = staticmethod(criteria_in_scope)

    judge = _criterion_adding(
        "judge",
        "judgements",
        "Judge the criterion met, partly met or not met on a day, with the reasons",
        shapes.JudgementCreateSerializer,
        shapes.JudgementSerializer,
        oversight_services.exit_criterion_judgement_record,
    )
    evidence_add = _criterion_adding(
        "evidence_add",
        "evidence",
        "Offer one of the trust's records (an action, measure, assessment or paper) as evidence",
        shapes.EvidenceCreateSerializer,
        shapes.EvidenceSerializer,
        oversight_services.exit_criterion_evidence_add,
    )
