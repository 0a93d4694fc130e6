"""Committees and meetings, read only (issue 22, ADR 0056): the trust's committees, its meetings with their agenda
(private items only for the committee's members and the governance team), its decisions (searchable, `q`) and
its committees' action logs. Each reads through the committees selectors in the caller's scope."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from wellled.committees.selectors import committees as committee_selectors
from wellled.committees.selectors import meetings as meeting_selectors

from .. import committees_serializers as shapes
from ..authentication import api_scope
from .base import ListRetrieve, described

SUMMARIES = {
    "committees": ("The trust's committees, with their current members", "One committee"),
    "meetings": (
        "Meetings, with their agenda (private items only for members and the governance team)",
        "One meeting with its agenda",
    ),
    "decisions": ("Decisions, newest meeting first; `q` searches their words", "One decision"),
    "actions": ("Actions on committees' action logs", "One action on an action log"),
}


@described(*SUMMARIES["committees"])
class CommitteeViewSet(ListRetrieve):
    serializer_class = shapes.CommitteeSerializer
    selector = staticmethod(
        lambda **scope: committee_selectors.committees_for_user(**scope).prefetch_related("members__person")
    )


@described(*SUMMARIES["meetings"])
class MeetingViewSet(ListRetrieve):
    serializer_class = shapes.MeetingSerializer
    filterset_class = shapes.MeetingFilter
    selector = staticmethod(
        lambda **scope: meeting_selectors.meetings_for_user(**scope).prefetch_related("items__presenter")
    )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["private_committees"] = meeting_selectors.private_committees(**api_scope(self.request))
        return context


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for.")]
    )
)
@described(*SUMMARIES["decisions"])
class DecisionViewSet(ListRetrieve):
    serializer_class = shapes.DecisionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return shapes.DecisionSerializer.Meta.model.objects.none()
        return meeting_selectors.decisions_search(
            text=self.request.GET.get("q", ""), **api_scope(self.request)
        )


@described(*SUMMARIES["actions"])
class MeetingActionViewSet(ListRetrieve):
    serializer_class = shapes.MeetingActionSerializer
    selector = staticmethod(meeting_selectors.meeting_actions_for_user)
