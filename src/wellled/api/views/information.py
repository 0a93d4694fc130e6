"""Information requests: the register of the organisation you work in (an oversight body's requests about the
trusts of its portfolio, or a trust's requests addressed to it) with the answers given, the answers produced, and
those other organisations shared with yours; registered, answered, reused and withdrawn through the information
services, as the pages do."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from wellled.core.models import Organisation, User
from wellled.information import selectors as information_selectors
from wellled.information import services as information_services
from wellled.information.models import Delivery
from wellled.reports.models import IssuedPaperFile

from .. import information_serializers as shapes
from ..authentication import api_scope
from ..conditional import if_match_version, with_etag
from .base import (
    ETAG_HEADER,
    WRITE_ERRORS,
    ListRetrieve,
    body_of,
    create_schema,
    described,
    issued_file_response,
    require_role,
)

FILE_SCHEMA = extend_schema(
    summary="One file of the answer, byte for byte as produced (checked against its checksum first)",
    responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description="No such answer or format in your organisation."),
    },
    filters=False,
)

# What each list and each object is called in the schema.
SUMMARIES = {
    "requests": (
        "The register: requests with who asked, what, by when, and the answer given",
        "One request with its answer and to whom it was given",
    ),
    "answers": (
        "The answers your register produced, newest first, with their files",
        "One answer with its files",
    ),
    "shared": (
        "Answers other organisations shared with yours in Wellled, newest first",
        "One shared answer with its files",
    ),
}

REQUESTS_CREATE = create_schema(
    shapes.RequestCreateSerializer,
    shapes.RequestSerializer,
    summary="Register a request in your register",
)


def file_endpoint(file_get):
    """GET files/{fmt}/ under the object: its stored file of that format, read through `file_get`."""

    @FILE_SCHEMA
    @endpoint(detail=True, methods=["get"], url_path=r"files/(?P<fmt>[a-z]{1,10})", filterset_class=None)
    def file(self, request, pk=None, fmt=None):
        found = self.get_object()
        return issued_file_response(file_get(pk=found.pk, fmt=fmt, **api_scope(request)))

    return file


FILES = Prefetch("paper__files", queryset=IssuedPaperFile.objects.defer("content").order_by("id"))


def requests_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's register with each request's answer, its files and its deliveries, in a fixed number of
    queries."""
    return (
        information_selectors.requests_for_register(user=user, organisation=organisation)
        .select_related("answer__paper__withdrawal", "answer__subject")
        .prefetch_related(
            Prefetch(
                "answer__paper__files", queryset=IssuedPaperFile.objects.defer("content").order_by("id")
            ),
            Prefetch("deliveries", queryset=Delivery.objects.select_related("shared_with")),
        )
    )


def answers_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    return (
        information_selectors.answers(user=user, organisation=organisation)
        .select_related("paper__withdrawal")
        .prefetch_related(FILES)
    )


def shared_in_scope(*, user: User, organisation: Organisation) -> QuerySet:
    return information_selectors.shared_with_us(user=user, organisation=organisation).prefetch_related(
        Prefetch("answer__paper__files", queryset=IssuedPaperFile.objects.defer("content").order_by("id"))
    )


def _may_write(request) -> None:
    require_role(request, information_services.write_permission(api_scope(request)["organisation"]))


def _outcome(outcome) -> dict:
    return {
        "answer": outcome.answer,
        "delivered_to": [delivery.request_id for delivery in outcome.delivered],
        "failures": outcome.failures,
    }


@described(*SUMMARIES["requests"], create=REQUESTS_CREATE)
class InformationRequestViewSet(ListRetrieve):
    serializer_class = shapes.RequestSerializer
    filterset_class = shapes.RequestFilter
    selector = staticmethod(requests_in_scope)
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        _may_write(request)
        body = body_of(shapes.RequestCreateSerializer, request)
        scope = api_scope(request)
        subject = next(
            (t for t in information_selectors.subjects_for_register(**scope) if t.pk == body.pop("subject")),
            None,
        )
        if subject is None:
            raise ValidationError(
                {"subject": ["Choose your own trust, or a trust of your body's portfolio."]}
            )
        asked_by = body.pop("asked_by_organisation")
        if asked_by is not None:
            asked_by = information_selectors.bodies_in_wellled(**scope).filter(pk=asked_by).first()
            if asked_by is None:
                raise ValidationError(
                    {"asked_by_organisation": ["Choose an oversight body or ICB that uses Wellled."]}
                )
        made = information_services.request_register(
            organisation=scope["organisation"],
            by=request.user,
            subject=subject,
            asked_by_organisation=asked_by,
            **body,
        )
        return self.answer(made, status=201)

    def answer(self, asked, **kwargs) -> Response:
        asked = self.get_queryset().get(pk=asked.pk)
        return with_etag(Response(shapes.RequestSerializer(asked).data, **kwargs), asked)

    @extend_schema(
        summary="Answer the request: the answer is produced once, frozen, and given to every open request "
        "of the register asking the same thing",
        request=shapes.AnswerWriteSerializer,
        responses={200: shapes.OutcomeSerializer, **WRITE_ERRORS},
    )
    @endpoint(detail=True, methods=["post"], url_path="answer", filterset_class=None)
    def answer_produce(self, request, pk=None):
        asked = self.get_object()
        _may_write(request)
        body = body_of(shapes.AnswerWriteSerializer, request)
        outcome = information_services.answer_produce(request=asked, by=request.user, **body)
        answer = answers_in_scope(**api_scope(request)).get(pk=outcome.answer.pk)
        return Response(shapes.OutcomeSerializer({**_outcome(outcome), "answer": answer}).data)

    @extend_schema(
        summary="Give the request an earlier answer to the same question (nothing is produced again)",
        request=shapes.ReuseSerializer,
        responses={200: shapes.OutcomeSerializer, **WRITE_ERRORS},
    )
    @endpoint(detail=True, methods=["post"], url_path="reuse", filterset_class=None)
    def reuse(self, request, pk=None):
        asked = self.get_object()
        _may_write(request)
        body = body_of(shapes.ReuseSerializer, request)
        earlier = answers_in_scope(**api_scope(request)).filter(pk=body["answer"]).first()
        if earlier is None:
            raise ValidationError({"answer": ["Choose one of your register's answers."]})
        outcome = information_services.answer_share(request=asked, answer=earlier, by=request.user)
        return Response(shapes.OutcomeSerializer({**_outcome(outcome), "answer": earlier}).data)

    @extend_schema(
        summary="Withdraw an open request (no longer needed): it stays in the register",
        request=None,
        parameters=[ETAG_HEADER],
        responses={200: shapes.RequestSerializer, **WRITE_ERRORS},
    )
    @endpoint(detail=True, methods=["post"], url_path="withdraw", filterset_class=None)
    def withdraw(self, request, pk=None):
        asked = self.get_object()
        _may_write(request)
        information_services.request_withdraw(
            request=asked, by=request.user, expected_version=if_match_version(request)
        )
        return self.answer(asked)


@described(*SUMMARIES["answers"])
class InformationAnswerViewSet(ListRetrieve):
    serializer_class = shapes.AnswerSerializer
    filterset_class = shapes.AnswerFilter
    selector = staticmethod(answers_in_scope)

    file = file_endpoint(information_selectors.answer_file_get)


@described(*SUMMARIES["shared"])
class SharedAnswerViewSet(ListRetrieve):
    serializer_class = shapes.SharedSerializer
    filterset_class = None
    selector = staticmethod(shared_in_scope)

    file = file_endpoint(information_selectors.shared_file_get)
