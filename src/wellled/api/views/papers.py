"""Issued board papers and their files, byte for byte as issued."""

from __future__ import annotations

import base64

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from wellled.core.selectors import get_or_404
from wellled.reports import selectors as report_selectors
from wellled.reports.formats import FORMATS
from wellled.reports.models import PaperKind
from wellled.risks import selectors as risk_selectors

from .. import filters, selectors, serializers
from ..authentication import api_scope
from .base import ListRetrieve


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
            stored = get_or_404(files, paper_id=paper.pk, format=fmt)
        else:
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
