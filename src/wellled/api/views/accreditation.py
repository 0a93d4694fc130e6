"""Ward accreditation: wards and teams with their levels, the schemes in use, and audits with their standards'
results; audits started, answered and completed through the accreditation services, as the pages do."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from wellled.accreditation import selectors as accreditation_selectors
from wellled.accreditation import services as accreditation_services
from wellled.core.models import OrganisationUnit
from wellled.core.permissions import Permission

from .. import accreditation_serializers as shapes
from ..authentication import api_scope
from ..conditional import if_match_version, with_etag
from .base import ListRetrieve, body_of, create_schema, described, require_role

# What each list and each object is called in the schema.
SUMMARIES = {
    "wards": (
        "Wards and teams with their latest level, the audit before and whether due",
        "One ward or team with its latest level",
    ),
    "schemes": (
        "The accreditation schemes your organisation may audit against",
        "One scheme with its answers, levels and standards",
    ),
    "audits": (
        "Ward audits, newest first, with their answers and evidence by standard",
        "One audit with the working of its result, standard by standard",
    ),
}

AUDITS_CREATE = create_schema(
    shapes.AuditStartSerializer,
    shapes.AuditDetailSerializer,
    summary="Start an audit of a ward or team (then record its answers and complete it)",
)


def _one_of(queryset: QuerySet, pk: int, field: str, message: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


@described(*SUMMARIES["wards"])
class WardViewSet(ListRetrieve):
    serializer_class = shapes.WardSerializer
    filterset_class = shapes.WardFilter
    selector = staticmethod(accreditation_selectors.wards_for_user)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return OrganisationUnit.objects.none()
        return super().get_queryset()

    def _rows(self):
        return accreditation_selectors.ward_overview(today=timezone.localdate(), **api_scope(self.request))

    def list(self, request, *args, **kwargs):
        given = self.filterset_class(request.GET, queryset=self.get_queryset())
        if not given.is_valid():
            raise ValidationError(given.errors)
        overdue = given.form.cleaned_data.get("overdue")
        rows = [row for row in self._rows() if overdue is None or row.overdue == overdue]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        unit = self.get_object()
        row = next(row for row in self._rows() if row.unit.pk == unit.pk)
        return Response(self.get_serializer(row).data)


@described(*SUMMARIES["schemes"])
class SchemeViewSet(ListRetrieve):
    serializer_class = shapes.SchemeSerializer
    selector = staticmethod(accreditation_selectors.schemes_available)


def audit_step(url_path: str, body, summary: str):
    """A POST under an audit that changes it (with If-Match) and answers the audit as it now reads."""

    def decorate(method):
        routed = endpoint(detail=True, methods=["post"], url_path=url_path, filterset_class=None)(method)
        return create_schema(body, shapes.AuditDetailSerializer, summary=summary, if_match=True, code=200)(
            routed
        )

    return decorate


@described(*SUMMARIES["audits"], create=AUDITS_CREATE)
class WardAuditViewSet(ListRetrieve):
    serializer_class = shapes.AuditSerializer
    filterset_class = shapes.AuditFilter
    selector = staticmethod(accreditation_selectors.audits_for_user)
    change_permission = Permission.RECORD_WARD_AUDITS
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return shapes.AuditSerializer if self.action == "list" else shapes.AuditDetailSerializer

    def answer(self, audit, **kwargs) -> Response:
        """The audit as it now reads in the caller's scope, with the working of its result and its ETag."""
        view = accreditation_selectors.audit_get(pk=audit.pk, **api_scope(self.request))
        body = shapes.AuditDetailSerializer(view.audit, context={"result": view.result}).data
        return with_etag(Response(body, **kwargs), view.audit)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    def create(self, request, *args, **kwargs):
        require_role(request, Permission.RECORD_WARD_AUDITS)
        body = body_of(shapes.AuditStartSerializer, request)
        scope = api_scope(request)
        unit = _one_of(
            accreditation_selectors.wards_for_user(**scope),
            body["ward"],
            "ward",
            "Choose one of your organisation's wards or teams.",
        )
        scheme = _one_of(
            accreditation_selectors.schemes_available(**scope),
            body["scheme"],
            "scheme",
            "Choose a scheme your organisation uses.",
        )
        audit = accreditation_services.ward_audit_start(
            organisation=scope["organisation"],
            unit=unit,
            scheme=scheme,
            audited_on=body["audited_on"],
            by=request.user,
        )
        return self.answer(audit, status=201)

    @audit_step(
        "answers", shapes.AuditAnswersSerializer, "Record answers and evidence (over several sittings)"
    )
    def answers(self, request, pk=None):
        def merged(audit) -> dict:
            body = body_of(shapes.AuditAnswersSerializer, request)
            return {
                "answers": {**audit.answers, **body["answers"]},
                "evidence": {**audit.evidence, **body["evidence"]},
                "summary": body.get("summary", audit.summary),
            }

        return self.changed_through(request, accreditation_services.ward_audit_answers_record, merged)

    @audit_step(
        "complete", None, "Complete the audit: its level and renewal date are worked out, and it is frozen"
    )
    def complete(self, request, pk=None):
        return self.changed_through(request, accreditation_services.ward_audit_complete, lambda audit: {})

    @audit_step(
        "decide",
        shapes.AuditDecisionSerializer,
        "The accreditation panel's decision on the level the audit proposes: award it (or a lower level), "
        "defer or decline it, with its reason and the day the panel met",
    )
    def decide(self, request, pk=None):
        return self.changed_through(
            request,
            accreditation_services.ward_audit_decide,
            lambda audit: body_of(shapes.AuditDecisionSerializer, request),
            permission=Permission.MANAGE_ACCREDITATION,
        )

    def changed_through(
        self, request, service, changes, permission: Permission = Permission.RECORD_WARD_AUDITS
    ) -> Response:
        """The audit found in scope (404), the role checked (403), then `service(audit=..., **changes(audit))`
        with the version from If-Match; the audit as it now reads."""
        audit = self.get_object()
        require_role(request, permission)
        service(audit=audit, by=request.user, expected_version=if_match_version(request), **changes(audit))
        return self.answer(audit)
