"""Sign-in, switching organisation, the organisation page and its audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import SESSION_ORGANISATION_KEY
from .permissions import Permission, require
from .selectors import audit_for_organisation, delivery_statuses, membership_get, organisation_units

AUDIT_PAGE_SIZE = 50


class SignInView(auth_views.LoginView):
    """Sign in with a username or e-mail address and a password."""

    template_name = "core/login.jinja"
    redirect_authenticated_user = True


def sign_out(request: HttpRequest) -> HttpResponse:
    """Ask to confirm on GET (the header links here); sign out on POST, which carries the CSRF token."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "core/logout.jinja")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404 page: the same for objects that do not exist and those of another organisation."""
    return render(request, "404.jinja", status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403 page: the person's role does not allow what they tried."""
    return render(request, "403.jinja", status=403)


@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Work in another organisation the person belongs to; anything else is 404."""
    raw = request.POST.get("organisation", "")
    membership = membership_get(user=request.user, organisation=int(raw)) if raw.isdigit() else None
    if membership is None:
        raise Http404("Not found.")
    request.session[SESSION_ORGANISATION_KEY] = membership.organisation_id
    messages.success(request, f"You are now working in {membership.organisation.name}.")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def organisation_detail(request: HttpRequest) -> HttpResponse:
    """The organisation's structure, its people and roles, and its delivery-status scale."""
    organisation = request.organisation
    memberships = organisation.memberships.select_related("user").order_by("user__last_name", "user__first_name")
    return render(request, "core/organisation.jinja", {
        "organisation": organisation,
        "units": organisation_units(user=request.user, organisation=organisation),
        "memberships": memberships,
        "statuses": delivery_statuses(organisation=organisation, include_inactive=True),
    })


def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded change in the organisation, newest first (read-only: there is no way to edit it)."""
    require(request.membership.role if request.membership else None, Permission.VIEW_AUDIT)
    records = audit_for_organisation(user=request.user, organisation=request.organisation)
    page = Paginator(records, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.jinja", {"page": page})


def health(request: HttpRequest) -> HttpResponse:
    """A liveness check for load balancers."""
    return HttpResponse("ok", content_type="text/plain")
