"""Sign-in, switching organisation, the organisation page and its audit log."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .auth import address_slowed
from .forms import DeliveryScaleForm
from .middleware import SESSION_ORGANISATION_KEY
from .permissions import Permission, require
from .selectors import (
    audit_for_organisation,
    delivery_statuses,
    membership_get,
    organisation_memberships,
    organisation_units,
    word_template_get,
)
from .services import WordTemplateError, delivery_scale_update, word_template_remove, word_template_set
from .stored_files import storage_kind
from .view_kit import SignedInRequest, role, scope
from .worker import worker_alive, worker_needed

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Checked before the file is read; the service checks again (wellled.core.services.WORD_TEMPLATE_MAX_BYTES).
WORD_TEMPLATE_UPLOAD_LIMIT = 5 * 1024 * 1024

AUDIT_PAGE_SIZE = 50


class SignInView(auth_views.LoginView):
    """Sign in with a username or e-mail address and a password; an address that has failed too often, across
    any usernames, is refused for a while before any password is checked (ADR 0023)."""

    template_name = "core/login.jinja"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from .sign_on import enabled_sign_ons

        return {**super().get_context_data(**kwargs), "sign_ons": enabled_sign_ons()}

    def render_to_response(self, context, **kwargs):
        from .middleware import policy_with_form_targets
        from .sign_on import issuer_origins

        response = super().render_to_response(context, **kwargs)
        response["Content-Security-Policy"] = policy_with_form_targets(issuer_origins(context["sign_ons"]))
        return response

    def form_valid(self, form):
        """A right password signs in, unless the person has an authenticator app: then its code is asked first."""
        from .two_factor import PASSWORD_SIGN_IN_KEY, password_step_done

        second_step = password_step_done(self.request, form.get_user(), self.get_success_url())
        if second_step is not None:
            return second_step
        response = super().form_valid(form)
        self.request.session[PASSWORD_SIGN_IN_KEY] = True
        return response

    def post(self, request, *args, **kwargs):
        if address_slowed(request):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            context = self.get_context_data(
                form=AuthenticationForm(request, data=None),
                locked_out=SIGNIN_ADDRESS_SLOWED.format(minutes=minutes),
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


SIGNIN_ADDRESS_SLOWED = (
    "Too many failed sign-ins have come from your network recently. Wait up to {minutes} minutes and try "
    "again, or ask your Wellled administrator for help."
)
SIGNIN_LOCKED_OUT = (
    "Too many sign-in attempts with this username. Wait {minutes} minutes and try again, or ask "
    "your Wellled administrator to reset your password."
)


def signin_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page again, saying why it refuses (django-axes calls this once the failure limit is reached)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, data=None)
    return render(
        request,
        "core/login.jinja",
        {"form": form, "locked_out": SIGNIN_LOCKED_OUT.format(minutes=minutes)},
        status=429,
    )


def sign_out(request: HttpRequest) -> HttpResponse:
    """Ask to confirm on GET (the header links here); sign out on POST, which carries the CSRF token."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "core/logout.jinja")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """400 page: something sent could not be read (a malformed parameter or body)."""
    return render(request, "400.jinja", status=400)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404 page: the same for objects that do not exist and those of another organisation."""
    return render(request, "404.jinja", status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """403 page: the person's role does not allow what they tried."""
    return render(request, "403.jinja", status=403)


@require_POST
def organisation_switch(request: SignedInRequest) -> HttpResponse:
    """Work in another organisation the person belongs to; anything else is 404."""
    raw = request.POST.get("organisation", "")
    membership = membership_get(user=request.user, organisation=int(raw)) if raw.isdigit() else None
    if membership is None:
        raise Http404("Not found.")
    request.session[SESSION_ORGANISATION_KEY] = membership.organisation_id
    messages.success(request, f"You are now working in {membership.organisation.name}.")
    return redirect(_page_after_switch(request, request.POST.get("next", "/")))


def _page_after_switch(request: HttpRequest, target: str) -> str:
    """The same page in the other organisation when it is a list (plans, measures); one object's page belongs to
    the organisation just left, so the dashboard instead. Never another site."""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return "/"
    return "/" if match.kwargs else target


def organisation_detail(request: SignedInRequest) -> HttpResponse:
    """The organisation's structure, its people and roles, and its delivery-status scale."""
    organisation = request.organisation
    memberships = organisation_memberships(**scope(request))
    return render(
        request,
        "core/organisation.jinja",
        {
            "organisation": organisation,
            "units": list(organisation_units(user=request.user, organisation=organisation)),
            "memberships": memberships,
            "statuses": delivery_statuses(organisation=organisation, include_inactive=True),
            "word_template": word_template_get(user=request.user, organisation=organisation),
        },
    )


def delivery_scale(request: SignedInRequest) -> HttpResponse:
    """An administrator words the organisation's delivery statuses and chooses which are in use (audited)."""
    require(role(request), Permission.MANAGE_ORGANISATION)
    who = scope(request)
    statuses = delivery_statuses(organisation=who["organisation"], include_inactive=True)
    form = DeliveryScaleForm(request.POST or None, statuses=statuses)
    if request.method == "POST" and form.is_valid():
        try:
            changed = delivery_scale_update(
                organisation=who["organisation"], by=who["user"], changes=form.changes()
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"Delivery status scale saved ({len(changed)} changed).")
            return redirect("organisation-detail")
    return render(
        request,
        "core/delivery_scale.jinja",
        {"form": form, "page_title": "Delivery status scale"},
        status=400 if form.errors else 200,
    )


def word_template(request: SignedInRequest) -> HttpResponse:
    """Upload (or replace) the organisation's Word template for board papers."""
    require(role(request), Permission.MANAGE_PLANS)
    current = word_template_get(user=request.user, organisation=request.organisation)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a Word document (.docx) to upload."
        elif (upload.size or 0) > WORD_TEMPLATE_UPLOAD_LIMIT:
            error = f"‘{upload.name}’ is too large: a template can be at most 5 MB."
        else:
            try:
                word_template_set(
                    organisation=request.organisation,
                    by=request.user,
                    filename=upload.name or "template.docx",
                    content=upload.read(),
                )
            except WordTemplateError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Board papers in Word now use the styles of ‘{upload.name}’.")
                return redirect("organisation-detail")
    return render(
        request,
        "core/word_template.jinja",
        {"current": current, "error": error},
        status=400 if error else 200,
    )


@require_POST
def word_template_delete(request: SignedInRequest) -> HttpResponse:
    """Go back to Wellled's own styles for board papers in Word."""
    require(role(request), Permission.MANAGE_PLANS)
    if word_template_remove(organisation=request.organisation, by=request.user):
        messages.success(request, "Board papers in Word now use Wellled's own styles.")
    return redirect("organisation-detail")


def word_template_download(request: SignedInRequest) -> HttpResponse:
    """The organisation's Word template as it was uploaded."""
    require(role(request), Permission.VIEW)
    template = word_template_get(user=request.user, organisation=request.organisation)
    if template is None:
        raise Http404("This organisation has no Word template.")
    response = HttpResponse(bytes(template.content), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(template.filename)}"'
    return response


def _safe_filename(name: str) -> str:
    """A file name safe inside a Content-Disposition header."""
    cleaned = "".join(c if c.isalnum() or c in "-_. " else "_" for c in name).strip() or "template.docx"
    return cleaned if cleaned.lower().endswith(".docx") else cleaned + ".docx"


def audit_log(request: SignedInRequest) -> HttpResponse:
    """Every recorded change in the organisation, newest first (read-only: there is no way to edit it)."""
    require(role(request), Permission.VIEW_AUDIT)
    records = audit_for_organisation(user=request.user, organisation=request.organisation)
    page = Paginator(records, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read here: the template only lays the records out
    return render(request, "core/audit_log.jinja", {"page": page})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: 200 "ok" when the database answers and (if tasks are queued in it) the
    background worker's heartbeat is recent; otherwise 503, saying which is down (ADR 0022)."""
    lines, healthy = [], True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        lines.append("database: ok")
    except DatabaseError:
        healthy = False
        lines.append("database: down (it does not answer)")
    if not worker_needed():
        lines.append("worker: not used (tasks run in the request)")
    elif healthy:
        alive, age = worker_alive()
        if alive:
            lines.append(f"worker: ok (last heartbeat {age:.0f} s ago)")
        else:
            healthy = False
            lines.append(
                "worker: down (no heartbeat yet)"
                if age is None
                else f"worker: down (last heartbeat {age:.0f} s ago)"
            )
    else:
        lines.append("worker: unknown (the database is down)")
    # Not contacted here: a store that cannot be reached is said when a file is stored or read (ADR 0058), and a
    # machine whose database answers still serves every page but the downloads.
    lines.append(
        f"files: {storage_kind(default_storage)} (not checked here)"
    )  # no path or bucket named to all
    body = "\n".join(["ok" if healthy else "unhealthy", *lines]) + "\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8", status=200 if healthy else 503)
