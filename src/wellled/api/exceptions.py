"""The API's errors as JSON: the services' refusals keep their words, with the field they concern."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from wellled.core.service_kit import ConcurrentEditError

from .conditional import etag_for

STALE_MESSAGE = (
    "Someone else changed this since the version you sent in If-Match, so nothing was saved and nothing of theirs "
    "was overwritten. GET it again, check what changed, and send your change with the new ETag."
)


def api_exception_handler(exc, context):
    """DRF's handler, plus: a service's ValidationError is 400 with its messages by field; a stale version 412."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
            detail = " ".join(m for messages in errors.values() for m in messages)
            return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages), "errors": {}}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConcurrentEditError):
        response = Response({"detail": STALE_MESSAGE}, status=status.HTTP_412_PRECONDITION_FAILED)
        instance = getattr(exc, "instance", None)
        if hasattr(instance, "version"):
            response["ETag"] = etag_for(instance)
        return response
    return exception_handler(exc, context)
