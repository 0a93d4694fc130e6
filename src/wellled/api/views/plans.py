"""Plans, sections, findings, actions, progress updates and reporting cycles: read through the plans selectors,
changed through the plans services."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from wellled.core.permissions import Permission
from wellled.core.selectors import delivery_statuses, organisation_people
from wellled.core.service_kit import locked_get, version_check
from wellled.plans import selectors as plan_selectors
from wellled.plans import services as plan_services
from wellled.plans.models import ReportingCycle

from .. import filters, selectors, serializers
from ..authentication import api_scope
from ..conditional import if_match_version, with_etag
from .base import (
    ETAG_HEADER,
    WRITE_ERRORS,
    Changeable,
    Creatable,
    ListRetrieve,
    adding,
    body_of,
    create_schema,
    created,
    require_role,
)


@extend_schema_view(
    create=create_schema(
        serializers.PlanCreateSerializer,
        serializers.PlanSerializer,
        summary="Create a plan in your organisation",
    ),
)
class PlanViewSet(Creatable):
    serializer_class = serializers.PlanSerializer
    change_serializer_class = serializers.PlanChangeSerializer
    create_serializer_class = serializers.PlanCreateSerializer
    filterset_class = filters.PlanFilter
    selector = staticmethod(plan_selectors.plans_for_user)
    update_service = staticmethod(plan_services.plan_update)
    create_service = staticmethod(plan_services.plan_create)

    section_create = adding(
        "section_create",
        url_path="sections",
        summary="Add a section",
        body=serializers.SectionCreateSerializer,
        answer=serializers.SectionSerializer,
        service=plan_services.section_create,
    )
    finding_create = adding(
        "finding_create",
        url_path="findings",
        summary="Add a finding",
        body=serializers.FindingCreateSerializer,
        answer=serializers.FindingSerializer,
        service=plan_services.finding_create,
    )

    @create_schema(serializers.ActionCreateSerializer, serializers.ActionSerializer, summary="Add an action")
    @endpoint(
        detail=True, methods=["post"], url_path="actions", serializer_class=serializers.ActionSerializer
    )
    def action_create(self, request, pk=None):
        plan = self.get_object()
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.ActionCreateSerializer, request)
        scope = api_scope(request)
        section = lead = None
        if body.get("section"):
            section = selectors.sections_for_user(**scope).filter(plan=plan, pk=body["section"]).first()
            if section is None:
                raise ValidationError({"section": ["Name a section of this plan."]})
        if body.get("lead"):
            lead = organisation_people(**scope).filter(pk=body["lead"]).first()
            if lead is None:
                raise ValidationError({"lead": ["Name a person of your organisation."]})
        wanted = set(body.get("findings") or [])
        findings = list(selectors.findings_for_user(**scope).filter(plan=plan, pk__in=wanted))
        if len(findings) != len(wanted):
            raise ValidationError({"findings": ["Name findings of this plan."]})
        action = plan_services.action_create(
            plan=plan,
            by=request.user,
            reference=body["reference"],
            title=body["title"],
            section=section,
            lead=lead,
            lead_note=body["lead_note"],
            success_measure=body["success_measure"],
            due_date=body["due_date"],
            due_precision=body["due_precision"],
            findings=findings,
        )
        return created(serializers.ActionSerializer, actions_in_scope(**scope).get(pk=action.pk))

    cycle_open = adding(
        "cycle_open",
        url_path="cycles",
        summary="Open a reporting cycle (the plan's open cycle, if any, is closed first)",
        body=serializers.CycleOpenSerializer,
        answer=serializers.CycleSerializer,
        service=plan_services.cycle_open,
        permission=Permission.MANAGE_CYCLES,
    )


class SectionViewSet(Changeable):
    serializer_class = serializers.SectionSerializer
    change_serializer_class = serializers.SectionChangeSerializer
    filterset_class = filters.SectionFilter
    selector = staticmethod(selectors.sections_for_user)
    update_service = staticmethod(plan_services.section_update)


class FindingViewSet(Changeable):
    serializer_class = serializers.FindingSerializer
    change_serializer_class = serializers.FindingChangeSerializer
    filterset_class = filters.FindingFilter
    selector = staticmethod(selectors.findings_for_user)
    update_service = staticmethod(plan_services.finding_update)


def actions_in_scope(*, user, organisation) -> QuerySet:
    """The organisation's actions with what a row shows (leads, findings, status) in a fixed number of queries."""
    return (
        plan_selectors.actions_for_user(user=user, organisation=organisation)
        .select_related("lead", "status")
        .prefetch_related("other_leads", "findings")
    )


class ActionViewSet(Changeable):
    serializer_class = serializers.ActionSerializer
    change_serializer_class = serializers.ActionChangeSerializer
    filterset_class = filters.ActionFilter
    selector = staticmethod(actions_in_scope)
    update_service = staticmethod(plan_services.action_update)
    http_method_names = ["get", "patch", "post", "head", "options"]

    @create_schema(
        serializers.TimescaleSerializer,
        serializers.ActionSerializer,
        summary="Revise the action's timescale (the earlier one stays in its history, with the reason)",
        if_match=True,
        code=200,
    )
    @endpoint(
        detail=True, methods=["post"], url_path="timescale", serializer_class=serializers.ActionSerializer
    )
    def timescale(self, request, pk=None):
        return self.change_through(
            request,
            body_serializer=serializers.TimescaleSerializer,
            service=plan_services.action_timescale_revise,
        )

    @create_schema(
        serializers.ActionStateSerializer,
        serializers.ActionSerializer,
        summary="Mark the action open, completed, or closed with evidence of assurance",
        if_match=True,
        code=200,
    )
    @endpoint(detail=True, methods=["post"], url_path="state", serializer_class=serializers.ActionSerializer)
    def state(self, request, pk=None):
        return self.change_through(
            request, body_serializer=serializers.ActionStateSerializer, service=plan_services.action_state_set
        )

    @extend_schema(
        summary="Record a progress update on the action",
        description="The action takes the update's delivery status. If-Match (the action's ETag) is optional "
        "here: progress updates are added, never overwritten, but sending it refuses an update written against "
        "a position that has since moved on.",
        request=serializers.ProgressUpdateCreateSerializer,
        parameters=[
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        responses={201: serializers.ProgressUpdateSerializer, **WRITE_ERRORS},
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path="progress-updates",
        serializer_class=serializers.ProgressUpdateSerializer,
    )
    def progress_update(self, request, pk=None):
        action = self.get_object()
        if not plan_services.user_may_update_action(user=request.user, action=action):
            raise PermissionDenied("Only the action's lead or a governance editor can record progress on it.")
        body = serializers.ProgressUpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scope = api_scope(request)
        statuses = {s.code: s for s in delivery_statuses(organisation=scope["organisation"])}
        status_code = body.validated_data["status"]
        if status_code not in statuses:
            raise ValidationError(
                {"status": [f"Choose a delivery status of your organisation's scale: {', '.join(statuses)}."]}
            )
        supersedes = None
        if body.validated_data.get("supersedes"):
            supersedes = (
                selectors.progress_updates_for_user(**scope)
                .filter(pk=body.validated_data["supersedes"], action=action)
                .first()
            )
            if supersedes is None:
                raise ValidationError({"supersedes": ["Name an earlier update of this action."]})
        update = plan_services.progress_update_record(
            action=action,
            by=request.user,
            narrative=body.validated_data["narrative"],
            status=statuses[status_code],
            expected_version=if_match_version(request, required=False),
            update_date=body.validated_data.get("update_date"),
            supersedes=supersedes,
        )
        update = selectors.progress_updates_for_user(**scope).get(pk=update.pk)
        action = self.get_queryset().get(pk=action.pk)
        response = Response(serializers.ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
        # The new ETag of the action, whose version the update moved on.
        return with_etag(response, action)


class ProgressUpdateViewSet(ListRetrieve):
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter
    selector = staticmethod(selectors.progress_updates_for_user)


class CycleViewSet(ListRetrieve):
    serializer_class = serializers.CycleSerializer
    filterset_class = filters.CycleFilter
    selector = staticmethod(selectors.cycles_for_user)

    @extend_schema(
        summary="Close the reporting cycle (updates recorded afterwards belong to the next one)",
        request=None,
        parameters=[ETAG_HEADER],
        responses={200: serializers.CycleSerializer, **WRITE_ERRORS},
    )
    @endpoint(detail=True, methods=["post"], url_path="close", filterset_class=None)
    def close(self, request, pk=None):
        cycle = self.get_object()
        require_role(request, Permission.MANAGE_CYCLES)
        expected = if_match_version(request)
        # cycle_close takes no version (the page's button needs none): check it under the same row lock.
        with transaction.atomic():
            version_check(locked_get(ReportingCycle, cycle.pk), expected)
            plan_services.cycle_close(cycle=cycle, by=request.user)
        cycle = self.get_queryset().get(pk=cycle.pk)
        return with_etag(Response(serializers.CycleSerializer(cycle).data), cycle)
