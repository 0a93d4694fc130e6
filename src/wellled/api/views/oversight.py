"""Oversight: for an oversight body's own people, its portfolio (one row per trust, as the portfolio page and its
download give it), the statuses and exit criteria it keeps about the trusts of its portfolio today, and the
improvement director's writes (judge a criterion, add evidence) through the oversight services. A trust's own
people read their own trust's statuses and exit criteria, as on its oversight page; never another trust's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
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
from .base import ListRetrieve, adding, described

# What each list and each object is called in the schema.
SUMMARIES = {
    "statuses": (
        "Oversight statuses (segment and support programme over time), newest first",
        "One oversight status",
    ),
    "criteria": (
        "Exit criteria with their judgements and evidence",
        "One exit criterion with its judgements and evidence",
    ),
    "regulatory": (
        "Regulatory actions (licence undertakings, CQC notices, enforcement), newest issued first",
        "One regulatory action",
    ),
    "recommendations": (
        "Recommendations that a trust leave intensive support, with their decisions",
        "One exit recommendation and its decision",
    ),
}


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


@described(*SUMMARIES["statuses"])
class OversightStatusViewSet(ListRetrieve):
    serializer_class = shapes.StatusSerializer
    filterset_class = shapes.StatusFilter
    selector = staticmethod(statuses_in_scope)


def regulatory_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """The body's regulatory actions about the trusts of its portfolio; a trust's, those recorded about it."""
    if organisation.is_oversight_body:
        return oversight_selectors.body_regulatory_actions(user=user, organisation=organisation)
    return oversight_selectors.trust_regulatory_actions(user=user, organisation=organisation)


def recommendations_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """The body's exit recommendations for the trusts of its portfolio; a trust's, those made about it."""
    if organisation.is_oversight_body:
        return oversight_selectors.body_recommendations(user=user, organisation=organisation)
    return oversight_selectors.trust_recommendations(user=user, organisation=organisation)


@described(*SUMMARIES["regulatory"])
class RegulatoryActionViewSet(ListRetrieve):
    serializer_class = shapes.RegulatoryActionSerializer
    filterset_class = shapes.RegulatoryActionFilter
    selector = staticmethod(regulatory_in_scope)


@described(*SUMMARIES["recommendations"])
class ExitRecommendationViewSet(ListRetrieve):
    serializer_class = shapes.ExitRecommendationSerializer
    filterset_class = shapes.ExitRecommendationFilter
    selector = staticmethod(recommendations_in_scope)


# What a POST under an exit criterion adds, through which oversight service.
CRITERION_ADDS: dict[str, tuple[str, Callable[..., Any]]] = {
    "judge": (
        "Judge the criterion met, partly met or not met on a day, with the reasons",
        oversight_services.exit_criterion_judgement_record,
    ),
    "evidence_add": (
        "Offer one of the trust's records (an action, measure, assessment or paper) as evidence",
        oversight_services.exit_criterion_evidence_add,
    ),
}


def _to_criterion(name: str, url_path: str, body, answer):
    """A POST under an exit criterion that adds to it through its oversight service (201 with what it added)."""
    summary, service = CRITERION_ADDS[name]
    return adding(
        name,
        url_path=url_path,
        summary=summary,
        body=body,
        answer=answer,
        service=service,
        permission=Permission.MANAGE_OVERSIGHT,
        keyword="criterion",
    )


@described(*SUMMARIES["criteria"])
class ExitCriterionViewSet(ListRetrieve):
    serializer_class = shapes.CriterionSerializer
    filterset_class = shapes.CriterionFilter
    selector = staticmethod(criteria_in_scope)

    judge = _to_criterion("judge", "judgements", shapes.JudgementCreateSerializer, shapes.JudgementSerializer)
    evidence_add = _to_criterion(
        "evidence_add", "evidence", shapes.EvidenceCreateSerializer, shapes.EvidenceSerializer
    )
