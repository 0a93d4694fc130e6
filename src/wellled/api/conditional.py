"""Optimistic locking over HTTP: an object's ETag is its `version`; a change must send it back in If-Match
(RFC 9110 §13.1.1), so a client that read a stale copy is refused (412) rather than overwriting (ADR 0006, 0028)."""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.request import Request
from rest_framework.response import Response


class PreconditionRequired(APIException):
    """RFC 6585: the change must say which version it was made from."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the If-Match header with the ETag you read (GET the object first), so a change made by someone "
        "else since then is not overwritten."
    )
    default_code = "precondition_required"


def etag_for(instance) -> str:
    """The strong ETag of an object with a `version`: its version, quoted."""
    return f'"{instance.version}"'


def with_etag(response: Response, instance) -> Response:
    response["ETag"] = etag_for(instance)
    return response


def if_match_version(request: Request, *, required: bool = True) -> int | None:
    """The version named by the request's If-Match header; 428 when it is required and missing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return None
    # A weak tag is taken as its strong twin: proxies that compress answers weaken ETags on the way (nginx does).
    tag = header.removeprefix("W/").strip().strip('"')
    if not tag.isdigit() or len(tag) > 9:
        raise ParseError('If-Match must be one ETag as returned by GET, e.g. If-Match: "3".')
    return int(tag)
