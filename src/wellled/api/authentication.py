"""Who is calling the API and in which organisation: a personal access token (Bearer) or the browser's session
(with Django's CSRF check), and the scope every selector takes (ADR 0027)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from wellled.core.models import Organisation

from .models import ApiToken
from .selectors import token_authenticate

BEARER = "bearer"
MALFORMED = "Send the token as Authorization: Bearer <token>."


def authorization_parts(request: Request) -> list[str]:
    """The words of the Authorization header. A header a client could never send over HTTP (a character above
    U+00FF, which only a test client or a misbehaving proxy passes on) is refused with 401, never a server error;
    other characters are read as Latin-1, as HTTP reads header bytes, so nothing here can fail to decode."""
    raw = request._request.headers.get("authorization", "")
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    if any(ord(character) > 0xFF for character in raw):
        raise exceptions.AuthenticationFailed(MALFORMED)
    return raw.split()


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer wl_…`: the token's person, in the token's organisation, with their current role."""

    def authenticate(self, request: Request):
        parts = authorization_parts(request)
        if not parts or parts[0].lower() != BEARER:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED)
        token = token_authenticate(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is not valid: it may have been revoked, or its person may no longer belong to the "
                "organisation."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="wellled"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser's session, with Django's CSRF check on every write; answers 401, not a redirect."""

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="wellled"'


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes the Bearer token in the OpenAPI schema."""

    target_class = "wellled.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from the API tokens page or `wellled token create`.",
        }


class SessionScheme(SpectacularSessionScheme):
    """Describes the session cookie in the OpenAPI schema."""

    target_class = "wellled.api.authentication.SessionAuthentication"


def api_scope(request: Request) -> dict[str, Any]:
    """The keyword arguments every selector takes: the person and the token's (or the session's) organisation."""
    organisation: Organisation | None
    if isinstance(request.auth, ApiToken):
        organisation = request.auth.organisation
    else:
        organisation = getattr(request._request, "organisation", None)
    if not request.user or not request.user.is_authenticated:
        raise exceptions.NotAuthenticated()
    if organisation is None:
        raise exceptions.PermissionDenied("You do not belong to an organisation in Wellled.")
    return {"user": request.user, "organisation": organisation}


def api_role(request: Request) -> str | None:
    """The person's role in the scope's organisation, read afresh (as services do)."""
    from wellled.core.service_kit import membership_role

    scope = api_scope(request)
    return membership_role(user=scope["user"], organisation_id=scope["organisation"].pk)
