"""Issued board papers and their files, byte for byte as issued."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action as endpoint

from wellled.core.selectors import get_or_404
from wellled.reports import selectors as report_selectors
from wellled.reports.formats import FORMATS
from wellled.reports.models import PaperKind
from wellled.risks import selectors as risk_selectors

from .. import filters, selectors, serializers
from ..authentication import api_scope
from .base import ListRetrieve, issued_file_response


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
        if paper.kind == PaperKind.BAF:  # a paper of the whole organisation, read as the BAF's pages read it
            files = risk_selectors.baf_paper_files(**scope).select_related("paper")
            return issued_file_response(get_or_404(files, paper_id=paper.pk, format=fmt))
        return issued_file_response(report_selectors.issued_file_get(pk=paper.pk, fmt=fmt, **scope))
