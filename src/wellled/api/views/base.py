"""What every endpoint is built from: the scope and role checks, the request body, the ETag, and viewsets whose
objects come only from a selector in the caller's scope (404 before 403, as on the pages)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from wellled.core.permissions import Permission, require
from wellled.reports import selectors as report_selectors

from ..authentication import api_role, api_scope
from ..conditional import if_match_version, with_etag
from ..renderers import CSVRenderer

# Ids in a URL: at most 18 digits, so every one fits the database's integer (a longer one is simply not found).
ID_PATTERN = "[0-9]{1,18}"

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
    require(api_role(request), permission)


def changes_from(serializer_class, request) -> dict:
    """The validated fields of a change; 400 for none at all (nothing to change is not a change)."""
    change = serializer_class(data=request.data, context={"request": request})
    change.is_valid(raise_exception=True)
    if not change.validated_data:
        raise ValidationError({"detail": "Send at least one field to change."})
    return dict(change.validated_data)


def body_of(serializer_class, request) -> dict:
    """The validated body of a request (400 with the fields' messages otherwise)."""
    body = serializer_class(data=request.data, context={"request": request})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def issued_file_response(stored) -> HttpResponse | Response:
    """A stored file of an issued paper, byte for byte, after checking its checksum (409 if it no longer matches),
    with the checksum in Repr-Digest (RFC 9530)."""
    try:
        content = report_selectors.verified_content(stored)
    except report_selectors.TamperedError as error:
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    response = HttpResponse(content, content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(stored.sha256)).decode('ascii')}:"
    return response


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

    # The class docstrings above are the endpoints' descriptions in the schema: notes for readers go in comments.
    # Each service takes the object under its model's name (`plan=`, `section=`, `measure=`...), as the apps' do.

    change_serializer_class: type
    change_permission = Permission.MANAGE_PLANS
    update_service: Callable[..., Any]
    # The keyword the object's services take it under, when it is not its model's name (`project=`, `cycle=`).
    object_keyword: str | None = None
    # No PUT or DELETE: records are changed field by field and withdrawn through their services, never replaced.
    http_method_names = ["get", "patch", "head", "options"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "change_serializer_class" in cls.__dict__:  # an endpoint, not a further base
            extend_schema_view(
                partial_update=change_schema(cls.serializer_class, cls.change_serializer_class)
            )(cls)

    def keyword(self, instance) -> str:
        return self.object_keyword or instance._meta.model_name

    def change_check(self, request, instance) -> None:
        """403 unless the caller may change the object (by role; an endpoint may ask the app's own rule)."""
        require_role(request, self.change_permission)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        self.change_check(request, instance)
        changes = changes_from(self.change_serializer_class, request)
        expected = if_match_version(request)
        changed = type(self).update_service(
            **{self.keyword(instance): instance}, by=request.user, expected_version=expected, **changes
        )
        return self.answer(changed)

    def change_through(self, request, *, body_serializer, service: Callable[..., Any]) -> Response:
        """A detail endpoint (POST, If-Match) that changes the object through one of its services."""
        instance = self.get_object()
        self.change_check(request, instance)
        body = body_of(body_serializer, request)
        service(
            **{self.keyword(instance): instance},
            by=request.user,
            expected_version=if_match_version(request),
            **body,
        )
        return self.answer(instance)

    def answer(self, instance) -> Response:
        """The object as it now reads in the caller's scope, with its new ETag."""
        instance = self.get_queryset().get(pk=instance.pk)
        return with_etag(Response(self.get_serializer(instance).data), instance)


class Creatable(Changeable):
    # Changeable endpoints that also create objects in the caller's organisation (POST to the list). No docstring:
    # its endpoints keep Changeable's description in the schema.

    create_serializer_class: type
    create_service: Callable[..., Any]
    create_permission = Permission.MANAGE_PLANS
    # The create endpoint's summary in the schema, declared here rather than with extend_schema_view.
    create_summary: str | None = None
    http_method_names = ["get", "patch", "post", "head", "options"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        summary = cls.__dict__.get("create_summary")
        if summary:
            schema = create_schema(cls.create_serializer_class, cls.serializer_class, summary=summary)
            extend_schema_view(create=schema)(cls)

    def create(self, request, *args, **kwargs):
        require_role(request, self.create_permission)
        body = body_of(self.create_serializer_class, request)
        instance = type(self).create_service(
            organisation=api_scope(request)["organisation"], by=request.user, **body
        )
        return created(self.get_serializer_class(), self.get_queryset().get(pk=instance.pk))


def adding(
    name: str,
    *,
    url_path: str,
    summary: str,
    body,
    answer,
    service: Callable[..., Any],
    permission: Permission = Permission.MANAGE_PLANS,
    keyword: str | None = None,
):
    """A detail endpoint (POST to `url_path` under the object) that adds something to the object through its
    service, as `service(<keyword, or the object's model name>=object, by=person, **body)`: 201 with what it
    added."""

    def add(self, request, pk=None) -> Response:
        parent = self.get_object()
        require_role(request, permission)
        given = body_of(body, request)
        return created(
            answer, service(**{keyword or parent._meta.model_name: parent}, by=request.user, **given)
        )

    add.__name__ = name  # the router names the route after it, and checks it matches the attribute
    routed = action(detail=True, methods=["post"], url_path=url_path, serializer_class=answer)(add)
    return create_schema(body, answer, summary=summary)(routed)


def described(list_summary: str, retrieve_summary: str, **more):
    """A viewset's list and single-object summaries in the schema (and any other operation's schema, by action)."""
    return extend_schema_view(
        list=extend_schema(summary=list_summary), retrieve=extend_schema(summary=retrieve_summary), **more
    )


def changing(name: str, *, url_path: str, summary: str, body, answer, service: Callable[..., Any]):
    """A detail endpoint (POST to `url_path` under the object, with If-Match) that changes the object through one of
    its services, as `service(<object's keyword>=object, by=person, expected_version=..., **body)`: 200 with the
    object as it now reads, and its new ETag."""

    def change(self, request, pk=None) -> Response:
        return self.change_through(request, body_serializer=body, service=service)

    change.__name__ = name
    routed = action(detail=True, methods=["post"], url_path=url_path, serializer_class=answer)(change)
    return create_schema(body, answer, summary=summary, if_match=True, code=200)(routed)


def change_schema(serializer_class, change_serializer_class):
    return extend_schema(
        request=change_serializer_class,
        parameters=[ETAG_HEADER],
        responses={200: serializer_class, **WRITE_ERRORS},
    )
