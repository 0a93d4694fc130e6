"""Assessments with their published ratings, and the published ratings grid (read only)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from wellled.assessments import selectors as assessment_selectors
from wellled.assessments.models import RatingSnapshot

from .. import filters, serializers
from .base import ListRetrieve


def assessments_in_scope(*, user, organisation) -> QuerySet:
    """The organisation's assessments with their published ratings (the snapshots taken on publishing)."""
    return assessment_selectors.assessments_for_user(user=user, organisation=organisation).prefetch_related(
        Prefetch("snapshots", queryset=RatingSnapshot.objects.order_by("order"))
    )


class AssessmentViewSet(ListRetrieve):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    selector = staticmethod(assessments_in_scope)


class RatingViewSet(ListRetrieve):
    serializer_class = serializers.PublishedRatingSerializer
    filterset_class = filters.RatingFilter
    selector = staticmethod(assessment_selectors.ratings_for_user)
