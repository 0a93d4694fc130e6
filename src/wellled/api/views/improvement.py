"""Quality improvement projects and their PDSA cycles: read through the improvement selectors, changed through the
improvement services (the QI pages' twin)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from rest_framework.decorators import action as endpoint

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.improvement import selectors as qi_selectors
from wellled.improvement import services as qi_services
from wellled.improvement.models import ProjectMeasure

from .. import filters, selectors
from .. import serializers_improvement as shapes
from ..authentication import api_scope
from .base import Changeable, Creatable, create_schema, created

PDSA_REFUSED = "Only the project's lead, its team or a governance editor can record PDSA cycles."


def projects_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's QI projects with their team, links and watched measures, in a fixed number of queries."""
    return qi_selectors.projects_for_user(user=user, organisation=organisation).prefetch_related(
        "team",
        "actions",
        "findings",
        Prefetch("project_measures", queryset=ProjectMeasure.objects.select_related("measure")),
    )


def _may_record_pdsa(request, project) -> None:
    if not qi_services.user_may_record_pdsa(user=request.user, project=project):
        raise PermissionDenied(PDSA_REFUSED)


class QIProjectViewSet(Creatable):
    # What it shows, and where from; how its services take it; what a change takes, and through what; what a new
    # project takes, likewise.
    serializer_class = shapes.QIProjectSerializer
    selector = staticmethod(projects_in_scope)
    filterset_class = filters.QIProjectFilter
    object_keyword = "project"
    change_serializer_class = shapes.QIProjectChangeSerializer
    update_service = staticmethod(qi_services.project_update)
    create_serializer_class = shapes.QIProjectCreateSerializer
    create_service = staticmethod(qi_services.project_create)
    create_summary = "Start a QI project"
    change_permission = create_permission = Permission.MANAGE_QI

    @create_schema(
        shapes.PDSACycleCreateSerializer,
        shapes.PDSACycleSerializer,
        summary="Record a PDSA cycle's plan and prediction (its start is marked on the project's charts)",
    )
    @endpoint(
        detail=True, methods=["post"], url_path="pdsa-cycles", serializer_class=shapes.PDSACycleSerializer
    )
    def pdsa_create(self, request, pk=None):
        project = self.get_object()
        _may_record_pdsa(request, project)
        body = shapes.PDSACycleCreateSerializer(
            data=request.data, context={"request": request, "project": project}
        )
        body.is_valid(raise_exception=True)
        cycle = qi_services.pdsa_record(project=project, by=request.user, **body.validated_data)
        cycles = selectors.pdsa_cycles_for_user(**api_scope(request))
        return created(shapes.PDSACycleSerializer, cycles.get(pk=cycle.pk))


class PDSACycleViewSet(Changeable):
    serializer_class = shapes.PDSACycleSerializer
    selector = staticmethod(selectors.pdsa_cycles_for_user)
    filterset_class = filters.PDSACycleFilter
    change_serializer_class = shapes.PDSAProgressSerializer
    update_service = staticmethod(qi_services.pdsa_progress_record)
    object_keyword = "cycle"

    def change_check(self, request, instance) -> None:
        # As the cycle's page: the project's lead and team as well as those who manage QI.
        _may_record_pdsa(request, instance.project)
