"""The pieces every app's views are built from: the person's scope and role, the form page (validate, call the
service, turn its refusals into form errors, say what happened, redirect) and the History page (ADR 0015)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .history import history_rows
from .models import Membership, Organisation, User
from .selectors import audit_for_object
from .service_kit import ConcurrentEditError


class SignedInRequest(HttpRequest):
    """A request as a view sees it past the middleware: a signed-in person, the organisation they are working in
    and their membership there (for type checking; the middleware sets them on every request)."""

    user: User  # type: ignore[assignment]
    organisation: Organisation
    membership: Membership | None
    memberships: list[Membership]


def scope(request: HttpRequest) -> dict[str, Any]:
    """The keyword arguments every selector takes: who is asking, in which organisation."""
    return {"user": request.user, "organisation": request.organisation}  # type: ignore[attr-defined]


def role(request: HttpRequest) -> str | None:
    """The signed-in person's role in the current organisation (set by the middleware on every request)."""
    membership = getattr(request, "membership", None)
    return membership.role if membership else None


def errors_apply(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form's fields, or on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def stale_refuse(form: forms.BaseForm, exc: ConcurrentEditError) -> None:
    """Say someone else saved first, keeping what the person typed; the form now carries the current version,
    so saving again (having been told) is a deliberate choice rather than refused for ever."""
    form.data = form.data.copy()
    form.data["version"] = exc.instance.version  # type: ignore[attr-defined]
    form.add_error(None, str(exc))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str,
    save: Callable[[dict[str, Any]], Any],
    success_url: str | Callable[[Any], str],
    message: str | Callable[[Any], str] | None = None,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    on_stale: Callable[[forms.BaseForm, ConcurrentEditError], forms.BaseForm | None] | None = None,
) -> HttpResponse:
    """The form-view pattern: on a valid POST call `save(cleaned_data)` (a service); a stale version or a
    validation error goes back onto the form, success says `message` and redirects to `success_url`.

    `context` may be a function, called only when the page is shown, for pages whose context must be read
    after `on_stale` has refreshed the object."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ConcurrentEditError as exc:
            replaced = on_stale(form, exc) if on_stale is not None else None
            if replaced is not None:
                form = replaced
            else:
                stale_refuse(form, exc)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            if message:
                messages.success(request, message(result) if callable(message) else message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    extra = context() if callable(context) else context
    return render(request, template, {**(extra or {}), "form": form})


def history_page(request: HttpRequest, instance: models.Model, *, title: str, back_url: str) -> HttpResponse:
    """An object's audit records in words, limited like every read to the person's organisation."""
    rows = history_rows(audit_for_object(instance=instance, **scope(request)))
    return render(
        request,
        "core/history.jinja",
        {
            "object": instance,
            "records": [row.record for row in rows],
            "rows": rows,  # each record with its changed fields in words
            "title": title,
            "back_url": back_url,
        },
    )
