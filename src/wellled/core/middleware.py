"""Request id, sign-in requirement, the current organisation (membership re-checked on every request), headers."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .context import reset_request_id, set_request_id
from .selectors import Workplaces, workplaces_read

SESSION_ORGANISATION_KEY = "wellled_organisation_id"
# When the session last had its end pushed forward (seconds since the epoch), and how often that is written: at
# most once in five minutes, or a tenth of the idle time if that is shorter, so a session still ends after
# WELLLED_SESSION_SECONDS idle (at most a tenth early) and a page costs no database write (issue 24: saving it on
# every request was a write per page).
SESSION_SEEN_KEY = "wellled_seen_at"
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_REFRESH_SHARE = 10  # of the idle time


def session_refresh_seconds() -> int:
    """How long a session's end may stand before a page pushes it forward: five minutes, or a tenth of the idle
    time a short WELLLED_SESSION_SECONDS sets."""
    return max(1, min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // SESSION_REFRESH_SHARE))


# Paths anyone may reach without signing in.
PUBLIC_PATH_PREFIXES = (
    "/accounts/login/",  # with /accounts/login/code/, the second step of a two-factor sign-in
    "/accounts/oidc/",  # the OpenID Connect journey (ADR 0024)
    "/accounts/invitation/",  # the link in an invitation: the token is the credential
    "/static/",
    "/health/",
    "/favicon.ico",
    "/speak-up/anonymous/",  # Freedom to Speak Up's anonymous route: no account, by design (ADR 0054)
    "/calendar/",  # a person's meetings as iCalendar: the secret address is the credential (ADR 0056)
)
# The REST API authenticates each request itself (a token or the session) and answers 401, never a redirect.
API_PATH_PREFIX = "/api/"

# Only our own origin for everything; HTMX and NHS.UK frontend are served locally, no inline scripts but the
# NHS template's one-line class toggle, allowed by its hash.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'sha256-tDOvXJi1PXbg0CWjLCCYSNHRXtps26K4JXkE3M6u/c0='; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def policy_with_form_targets(origins) -> str:
    """The policy, also letting forms go to these origins: the single sign-on buttons post to Wellled, which
    redirects to the organisation's identity provider, and form-action governs that redirect too."""
    extra = " ".join(sorted(set(origins)))
    if not extra:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {extra}")


class RequestIdMiddleware:
    """Give each request an id that the audit records it causes will carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        token = set_request_id(request.request_id)
        try:
            return self.get_response(request)
        finally:
            reset_request_id(token)


# No text field of ours, nor any query parameter, may hold a NUL character: PostgreSQL refuses it in text (a
# server error if it reached a query) and it means nothing in a name or a search.
NUL_REFUSED = "What was sent contains a NUL character (code 0), which no field or search accepts."


class SessionRefreshMiddleware:
    """Keep a person who is using Wellled signed in: push the end of their session forward, written at most once
    every session_refresh_seconds() (a session idle for SESSION_COOKIE_AGE still ends). Only a signed-in
    person's: a visitor's unknown or expired cookie never makes a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)  # read by then on every page but the few refused before sign-in
        if session is not None and user is not None and user.is_authenticated and session.session_key:
            now = int(time.time())
            # Saved anyway (signed in, organisation switched), or due: SessionMiddleware saves it with a new end.
            if session.modified or now - session.get(SESSION_SEEN_KEY, 0) >= session_refresh_seconds():
                session[SESSION_SEEN_KEY] = now
        return response


class MalformedInputMiddleware:
    """Refuse, with a 400 page, a request whose parameters no field could hold, before any view or query sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A body Django cannot parse (too large, too many fields) raises its own 400 here, as it would later.
        values = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        for key, items in values:
            if "\x00" in key or any("\x00" in item for item in items):
                return render(request, "400.jinja", {"reason": NUL_REFUSED}, status=400)
        return self.get_response(request)


class LoginRequiredMiddleware:
    """Every page but sign-in and static files needs a signed-in person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.user.is_authenticated
            and not request.path.startswith(PUBLIC_PATH_PREFIXES)
            and not request.path.startswith(API_PATH_PREFIX)
        ):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class CurrentOrganisationMiddleware:
    """Attach the organisation the person is working in, re-checking their membership on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        request.workplaces = Workplaces([], [])
        if request.user.is_authenticated:
            # Read from the database on every request, so a membership removed a moment ago is not honoured; the
            # trusts an oversight body's portfolio lends its people (read-only) come after their own (ADR 0038).
            places = workplaces_read(user=request.user)
            request.workplaces = places
            membership = places.membership(request.user, request.session.get(SESSION_ORGANISATION_KEY))
            if membership is None:
                membership = places.first(request.user)
                if membership is not None:
                    request.session[SESSION_ORGANISATION_KEY] = membership.organisation_id
            if membership is not None:
                request.membership = membership
                request.organisation = membership.organisation
            elif not request.path.startswith(PUBLIC_PATH_PREFIXES + ("/accounts/",)):
                return render(request, "core/no_organisation.jinja", status=403)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A strict content security policy and no caching of signed-in pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


# Where someone who must still turn on two-factor sign-in may go meanwhile.
TWO_FACTOR_SETUP_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/health/")


class TwoFactorRequiredMiddleware:
    """Someone who signed in with a Wellled password, in an organisation that requires two-factor sign-in, sets up
    an authenticator app before anything else (ADR 0026)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        from .two_factor import PASSWORD_SIGN_IN_KEY, has_two_factor

        if (
            request.user.is_authenticated
            and request.session.get(PASSWORD_SIGN_IN_KEY)
            and request.workplaces.two_factor_required
            and not request.path.startswith(TWO_FACTOR_SETUP_PATHS)
            and not has_two_factor(request.user)
        ):
            return redirect("two-factor-setup")
        return self.get_response(request)
