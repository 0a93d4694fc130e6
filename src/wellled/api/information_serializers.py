"""What the information-request endpoints show, accept and filter by: a register's requests with their answers
(frozen papers, with their files' checksums and where to download them), the answers themselves, and the answers
other organisations shared with yours. Shapes only: every rule is the information services'."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wellled.core.limits import limit_of
from wellled.information.models import (
    NARRATIVE_CHARS,
    Answer,
    Delivery,
    InformationRequest,
    RequestKind,
    RequestStatus,
)
from wellled.reports.models import IssuedPaperFile

from .filters import ID_MAX, IdFilter
from .serializers import OrganisationBriefSerializer as TrustSerializer


class AnswerFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="Where the file is downloaded, byte for byte as produced."
    )

    class Meta:
        model = IssuedPaperFile
        fields = ["format", "filename", "content_type", "size", "sha256", "url"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, file) -> str:
        return self.context["file_url"](file)


def _files_of(paper, file_url) -> list:
    return AnswerFileSerializer(paper.files.all(), many=True, context={"file_url": file_url}).data


class AnswerSerializer(serializers.ModelSerializer):
    """An answer produced once from Wellled's data and frozen as a paper: what it answers, and its files."""

    subject = TrustSerializer()
    title = serializers.CharField(source="paper.title")
    as_at = serializers.DateField(source="paper.as_at", allow_null=True)
    withdrawn = serializers.SerializerMethodField(
        help_text="Withdrawn answers are kept, never offered again."
    )
    produced_for = serializers.IntegerField(
        source="produced_for_id", help_text="The request it was made for."
    )
    files = serializers.SerializerMethodField()
    narrative = serializers.CharField(
        source="written.narrative", default="", help_text="What was written for the request, if anything."
    )
    document = serializers.CharField(
        source="written.document_name",
        default="",
        help_text="The document given with it (a PDF or Word file among the files), if any.",
    )

    class Meta:
        model = Answer
        fields = [
            "id",
            "subject",
            "kind",
            "parameters",
            "title",
            "as_at",
            "produced_for",
            "produced_at",
            "withdrawn",
            "narrative",
            "document",
            "files",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_withdrawn(self, answer) -> bool:
        return answer.paper.withdrawn is not None

    @extend_schema_field(AnswerFileSerializer(many=True))
    def get_files(self, answer) -> list:
        return _files_of(answer.paper, lambda f: f"/api/information-answers/{answer.pk}/files/{f.format}/")


class DeliverySerializer(serializers.ModelSerializer):
    shared_with = serializers.CharField(source="shared_with.name", allow_null=True, default=None)

    class Meta:
        model = Delivery
        fields = ["id", "method", "shared_with", "sent_to", "succeeded", "failure", "reused", "delivered_at"]


class RequestSerializer(serializers.ModelSerializer):
    """A request of the register with who asked, what, by when, and the answer it was given (if any)."""

    subject = TrustSerializer()
    asked_by = serializers.CharField(source="body_name", help_text="The body that asked, by name.")
    overdue = serializers.BooleanField(read_only=True)
    answer = AnswerSerializer(allow_null=True)
    deliveries = DeliverySerializer(many=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "subject",
            "asked_by",
            "asked_by_organisation",
            "asked_by_email",
            "their_reference",
            "question",
            "received_on",
            "due_on",
            "kind",
            "parameters",
            "status",
            "overdue",
            "answer",
            "answered_at",
            "answered_by_reuse",
            "deliveries",
            "created_at",
            "version",
        ]


class RequestCreateSerializer(serializers.Serializer):
    subject = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        help_text="The trust the request is about: your own trust, or a trust of your body's portfolio.",
    )
    question = serializers.CharField(max_length=limit_of(InformationRequest, "question"))
    received_on = serializers.DateField()
    due_on = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=RequestKind.choices, help_text="What Wellled holds that answers it."
    )
    parameters = serializers.DictField(
        help_text="plan: {plan, as_at}; measures: {measures: [ids], indicator_codes: [codes], as_at}; "
        "ratings and risks: {as_at}; paper: {paper}; written: {topic} (requests on the same topic share the "
        "answer); terms: {committee}; minutes: {meeting} (approved minutes, public part); chairs_rpt: {report}."
    )
    asked_by_organisation = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="The body that asked, if it uses Wellled (the answer is shared with it there).",
    )
    asked_by_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    asked_by_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    their_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class AnswerWriteSerializer(serializers.Serializer):
    """What is written with the answer (optional; needed for a request of kind 'written'). A document is given
    through the request's page."""

    narrative = serializers.CharField(
        max_length=NARRATIVE_CHARS, required=False, allow_blank=True, default="", trim_whitespace=True
    )


class ReuseSerializer(serializers.Serializer):
    answer = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        help_text="An earlier answer to the same question (/api/information-answers/).",
    )


class OutcomeSerializer(serializers.Serializer):
    """What answering did: the answer, the requests it was given to, and any e-mail that could not be sent."""

    answer = AnswerSerializer()
    delivered_to = serializers.ListField(child=serializers.IntegerField(), help_text="The requests answered.")
    failures = serializers.ListField(child=serializers.CharField())


class SharedSerializer(serializers.ModelSerializer):
    """An answer another organisation shared with yours in Wellled."""

    answered_by = TrustSerializer(source="request.organisation")
    subject = TrustSerializer(source="request.subject")
    their_reference = serializers.CharField(source="request.their_reference")
    question = serializers.CharField(source="request.question")
    title = serializers.CharField(source="answer.paper.title")
    files = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "answered_by",
            "subject",
            "their_reference",
            "question",
            "title",
            "delivered_at",
            "files",
        ]

    @extend_schema_field(AnswerFileSerializer(many=True))
    def get_files(self, delivery) -> list:
        return _files_of(
            delivery.answer.paper, lambda f: f"/api/shared-answers/{delivery.pk}/files/{f.format}/"
        )


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices)
    subject = IdFilter(field_name="subject_id")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lt")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")


class AnswerFilter(django_filters.FilterSet):
    subject = IdFilter(field_name="subject_id")
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices)
