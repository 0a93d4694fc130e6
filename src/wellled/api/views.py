"""The API's endpoints: each reads through a selector in the caller's scope and writes through the same service
as the pages, checking the role first (403) after finding the object in scope (404), as the pages do."""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wellled.assessments import selectors as assessment_selectors
from wellled.assessments.models import RatingSnapshot
from wellled.core.models import Organisation
from wellled.core.permissions import Permission, role_allows
from wellled.core.selectors import delivery_statuses, memberships_for_user, organisation_people
from wellled.core.service_kit import locked_get, version_check
from wellled.measures import selectors as measure_selectors
from wellled.measures import services as measure_services
from wellled.measures.selectors import ASSURANCE_NAMES, VARIATION_NAMES
from wellled.plans import selectors as plan_selectors
from wellled.plans import services as plan_services
from wellled.plans.models import ReportingCycle
from wellled.reports import selectors as report_selectors
from wellled.reports.formats import FORMATS

from . import filters, selectors, serializers
from .authentication import api_role, api_scope
from .conditional import if_match_version, with_etag
from .models import ApiToken
from .renderers import CSVRenderer

# Ids in a URL: at most 18 digits, so every one fits the database's integer (a longer one is simply not found).
ID_PATTERN = "[0-9]{1,18}"
ROLE_REFUSED = "Your role does not allow this."

ETAG_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last GET of the object, e.g. "3". A change made since is refused (412).',
)
WRITE_ERRORS = {
    400: OpenApiResponse(description="The change was refused: `detail` says why, `errors` by field."),
    403: OpenApiResponse(description="Your role does not allow this."),
    404: OpenApiResponse(description="Not found in your organisation."),
    412: OpenApiResponse(description="Someone else changed it since the ETag you sent: GET it again."),
    428: OpenApiResponse(description="Send the If-Match header."),
}


def require_role(request, permission: Permission) -> None:
    """403 unless the person's current role in the scope's organisation grants the permission."""
    if not role_allows(api_role(request), permission):
        raise PermissionDenied(ROLE_REFUSED)


def changes_from(serializer_class, request) -> dict:
    """The validated fields of a change; 400 for none at all (nothing to change is not a change)."""
    change = serializer_class(data=request.data)
    change.is_valid(raise_exception=True)
    if not change.validated_data:
        raise ValidationError({"detail": "Send at least one field to change."})
    return dict(change.validated_data)


def body_of(serializer_class, request) -> dict:
    """The validated body of a request (400 with the fields' messages otherwise)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def created(serializer, instance) -> Response:
    response = Response(serializer(instance).data, status=status.HTTP_201_CREATED)
    return with_etag(response, instance) if hasattr(instance, "version") else response


def create_schema(request_serializer, response_serializer, *, summary: str, if_match: bool = False, code=201):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        parameters=[ETAG_HEADER] if if_match else None,
        responses={code: response_serializer, **WRITE_ERRORS},
    )


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose every object comes from a selector in the caller's scope; lists also answer CSV."""

    lookup_value_regex = ID_PATTERN
    selector: Callable[..., QuerySet]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no one signed in
            return self.get_serializer_class().Meta.model.objects.none()
        return type(self).selector(**api_scope(self.request))

    def get_renderers(self):
        if getattr(self, "action", None) == "list":
            return [JSONRenderer(), CSVRenderer()]
        return [JSONRenderer()]

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return with_etag(response, instance) if hasattr(instance, "version") else response


class ListRetrieve(mixins.ListModelMixin, ScopedViewSet):
    """Read-only endpoints: a list (JSON or CSV, paged, filtered) and one object with its ETag."""


class Changeable(ListRetrieve):
    """Read endpoints, plus PATCH through the object's update service with If-Match."""

    change_serializer_class: type
    change_permission = Permission.MANAGE_PLANS

    def update_through_service(self, instance, *, by, expected_version, changes):
        raise NotImplementedError

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        require_role(request, self.change_permission)
        changes = changes_from(self.change_serializer_class, request)
        expected = if_match_version(request)
        changed = self.update_through_service(
            instance, by=request.user, expected_version=expected, changes=changes
        )
        changed = self.get_queryset().get(pk=changed.pk)
        return with_etag(Response(self.get_serializer(changed).data), changed)


def change_schema(serializer_class, change_serializer_class):
    return extend_schema(
        request=change_serializer_class,
        parameters=[ETAG_HEADER],
        responses={200: serializer_class, **WRITE_ERRORS},
    )


# Organisations ------------------------------------------------------------------------------------------------


def organisations_in_scope(*, user, organisation) -> QuerySet[Organisation]:
    """The organisation the caller works in (a token's, or the session's), if they still belong to it."""
    ids = memberships_for_user(user=user).filter(organisation=organisation).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


@extend_schema_view(
    list=extend_schema(summary="The organisation you are working in, with your role and its scale"),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(ListRetrieve):
    serializer_class = serializers.OrganisationSerializer
    selector = staticmethod(organisations_in_scope)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        scope = api_scope(self.request)
        context["role"] = api_role(self.request) or ""
        context["statuses"] = delivery_statuses(organisation=scope["organisation"])
        return context


# Plans, sections, findings, actions ---------------------------------------------------------------------------


@extend_schema_view(
    partial_update=change_schema(serializers.PlanSerializer, serializers.PlanChangeSerializer),
    create=create_schema(
        serializers.PlanCreateSerializer,
        serializers.PlanSerializer,
        summary="Create a plan in your organisation",
    ),
)
class PlanViewSet(Changeable):
    serializer_class = serializers.PlanSerializer
    change_serializer_class = serializers.PlanChangeSerializer
    filterset_class = filters.PlanFilter
    selector = staticmethod(plan_selectors.plans_for_user)
    http_method_names = ["get", "patch", "post", "head", "options"]

    def update_through_service(self, instance, *, by, expected_version, changes):
        return plan_services.plan_update(plan=instance, by=by, expected_version=expected_version, **changes)

    def create(self, request, *args, **kwargs):
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.PlanCreateSerializer, request)
        plan = plan_services.plan_create(
            organisation=api_scope(request)["organisation"], by=request.user, **body
        )
        return created(serializers.PlanSerializer, self.get_queryset().get(pk=plan.pk))

    @create_schema(
        serializers.SectionCreateSerializer, serializers.SectionSerializer, summary="Add a section"
    )
    @endpoint(
        detail=True, methods=["post"], url_path="sections", serializer_class=serializers.SectionSerializer
    )
    def section_create(self, request, pk=None):
        plan = self.get_object()
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.SectionCreateSerializer, request)
        section = plan_services.section_create(plan=plan, by=request.user, **body)
        return created(serializers.SectionSerializer, section)

    @create_schema(
        serializers.FindingCreateSerializer, serializers.FindingSerializer, summary="Add a finding"
    )
    @endpoint(
        detail=True, methods=["post"], url_path="findings", serializer_class=serializers.FindingSerializer
    )
    def finding_create(self, request, pk=None):
        plan = self.get_object()
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.FindingCreateSerializer, request)
        finding = plan_services.finding_create(plan=plan, by=request.user, **body)
        return created(serializers.FindingSerializer, finding)

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

    @create_schema(
        serializers.CycleOpenSerializer,
        serializers.CycleSerializer,
        summary="Open a reporting cycle (the plan's open cycle, if any, is closed first)",
    )
    @endpoint(detail=True, methods=["post"], url_path="cycles", serializer_class=serializers.CycleSerializer)
    def cycle_open(self, request, pk=None):
        plan = self.get_object()
        require_role(request, Permission.MANAGE_CYCLES)
        body = body_of(serializers.CycleOpenSerializer, request)
        cycle = plan_services.cycle_open(plan=plan, by=request.user, **body)
        return created(serializers.CycleSerializer, cycle)


@extend_schema_view(
    partial_update=change_schema(serializers.SectionSerializer, serializers.SectionChangeSerializer)
)
class SectionViewSet(Changeable):
    serializer_class = serializers.SectionSerializer
    change_serializer_class = serializers.SectionChangeSerializer
    filterset_class = filters.SectionFilter
    selector = staticmethod(selectors.sections_for_user)
    http_method_names = ["get", "patch", "head", "options"]

    def update_through_service(self, instance, *, by, expected_version, changes):
        return plan_services.section_update(
            section=instance, by=by, expected_version=expected_version, **changes
        )


@extend_schema_view(
    partial_update=change_schema(serializers.FindingSerializer, serializers.FindingChangeSerializer)
)
class FindingViewSet(Changeable):
    serializer_class = serializers.FindingSerializer
    change_serializer_class = serializers.FindingChangeSerializer
    filterset_class = filters.FindingFilter
    selector = staticmethod(selectors.findings_for_user)
    http_method_names = ["get", "patch", "head", "options"]

    def update_through_service(self, instance, *, by, expected_version, changes):
        return plan_services.finding_update(
            finding=instance, by=by, expected_version=expected_version, **changes
        )


def actions_in_scope(*, user, organisation) -> QuerySet:
    """The organisation's actions with what a row shows (leads, findings, status) in a fixed number of queries."""
    return (
        plan_selectors.actions_for_user(user=user, organisation=organisation)
        .select_related("lead", "status")
        .prefetch_related("other_leads", "findings")
    )


@extend_schema_view(
    partial_update=change_schema(serializers.ActionSerializer, serializers.ActionChangeSerializer)
)
class ActionViewSet(Changeable):
    serializer_class = serializers.ActionSerializer
    change_serializer_class = serializers.ActionChangeSerializer
    filterset_class = filters.ActionFilter
    selector = staticmethod(actions_in_scope)
    http_method_names = ["get", "patch", "post", "head", "options"]

    def update_through_service(self, instance, *, by, expected_version, changes):
        return plan_services.action_update(
            action=instance, by=by, expected_version=expected_version, **changes
        )

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
        action = self.get_object()
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.TimescaleSerializer, request)
        plan_services.action_timescale_revise(
            action=action, by=request.user, expected_version=if_match_version(request), **body
        )
        action = self.get_queryset().get(pk=action.pk)
        return with_etag(Response(serializers.ActionSerializer(action).data), action)

    @create_schema(
        serializers.ActionStateSerializer,
        serializers.ActionSerializer,
        summary="Mark the action open, completed, or closed with evidence of assurance",
        if_match=True,
        code=200,
    )
    @endpoint(detail=True, methods=["post"], url_path="state", serializer_class=serializers.ActionSerializer)
    def state(self, request, pk=None):
        action = self.get_object()
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.ActionStateSerializer, request)
        plan_services.action_state_set(
            action=action, by=request.user, expected_version=if_match_version(request), **body
        )
        action = self.get_queryset().get(pk=action.pk)
        return with_etag(Response(serializers.ActionSerializer(action).data), action)

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


# Measures -----------------------------------------------------------------------------------------------------


@extend_schema_view(
    partial_update=change_schema(serializers.MeasureSerializer, serializers.MeasureChangeSerializer),
    create=create_schema(
        serializers.MeasureCreateSerializer, serializers.MeasureSerializer, summary="Define a measure"
    ),
)
class MeasureViewSet(Changeable):
    serializer_class = serializers.MeasureSerializer
    change_serializer_class = serializers.MeasureChangeSerializer
    filterset_class = filters.MeasureFilter
    selector = staticmethod(measure_selectors.measures_for_user)
    http_method_names = ["get", "patch", "post", "head", "options"]

    def update_through_service(self, instance, *, by, expected_version, changes):
        return measure_services.measure_update(
            measure=instance, by=by, expected_version=expected_version, **changes
        )

    def create(self, request, *args, **kwargs):
        require_role(request, Permission.MANAGE_PLANS)
        body = body_of(serializers.MeasureCreateSerializer, request)
        measure = measure_services.measure_create(
            organisation=api_scope(request)["organisation"], by=request.user, **body
        )
        return created(serializers.MeasureSerializer, self.get_queryset().get(pk=measure.pk))

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
            "chart": page.measure.chart,
            "variation": variation.value if variation is not None else None,
            "variation_text": VARIATION_NAMES.get(variation) if variation is not None else None,
            "assurance": assurance.value if assurance is not None else None,
            "assurance_text": ASSURANCE_NAMES.get(assurance) if result is not None else None,
            "points": [p.to_dict() for p in result.points()] if result is not None else [],
            "warnings": list(result.warnings) if result is not None else [],
        }
        return Response(body)


# Assessments, ratings ---------------------------------------------------------------------------------------


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


# Issued papers ------------------------------------------------------------------------------------------------


class PaperViewSet(ListRetrieve):
    serializer_class = serializers.PaperSerializer
    filterset_class = filters.PaperFilter
    selector = staticmethod(selectors.papers_for_user)

    @extend_schema(
        summary="One file of an issued paper, byte for byte as issued",
        description="Its checksum is verified before it is served and sent in Repr-Digest (RFC 9530).",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such paper or format in your organisation."),
        },
        filters=False,
    )
    @endpoint(detail=True, methods=["get"], url_path=r"files/(?P<fmt>[a-z]{1,10})", filterset_class=None)
    def file(self, request, pk=None, fmt=None):
        if fmt not in FORMATS:
            raise Http404("No such format.")
        paper = self.get_object()
        scope = api_scope(request)
        stored = report_selectors.issued_file_get(pk=paper.pk, fmt=fmt, **scope)
        try:
            content = report_selectors.verified_content(stored)
        except report_selectors.TamperedError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        response = HttpResponse(content, content_type=stored.content_type)
        response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
        response["Repr-Digest"] = (
            f"sha-256=:{base64.b64encode(bytes.fromhex(stored.sha256)).decode('ascii')}:"
        )
        return response
