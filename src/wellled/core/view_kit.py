"""The pieces every app's views are built from: the person's scope and role, the form page (validate, call the
service, turn its refusals into form errors, say what happened, redirect), the History page (ADR 0015), and the
declared edit, add and History pages built from them (ADR 0045)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .history import history_rows
from .models import Membership, Organisation, User
from .permissions import Permission, require
from .selectors import audit_for_object
from .service_kit import ConcurrentEditError

M = TypeVar("M", bound=models.Model)


class SignedInRequest(HttpRequest):
    """A request as a view sees it past the middleware: a signed-in person, the organisation they are working in
    and their membership there (for type checking; the middleware sets them on every request)."""

    user: User  # type: ignore[assignment]
    organisation: Organisation
    membership: Membership | None
    memberships: list[Membership]
    htmx: Any  # django-htmx's account of an htmx request (falsy for an ordinary one)


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
            # The version is a hidden field: its error belongs at the top of the form, where the person sees it.
            on_field = field in form.fields and field != "version"
            form.add_error(field if on_field else None, errors)
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


# Declared pages -------------------------------------------------------------------------------------------------

Getter = Callable[..., Any]  # a scoped selector: getter(pk=..., user=..., organisation=...) or Http404
Context = Callable[[Any], Mapping[str, Any]]


def signed_in(request: HttpRequest) -> SignedInRequest:
    """The request as the middleware leaves it on every page behind sign-in (for the type checker)."""
    return cast(SignedInRequest, request)


def initial_of(instance: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """What an edit form opens with: each named field as the object holds it (a related object by its key, a
    many-to-many field as its keys) and the version it was read at."""
    initial: dict[str, Any] = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            initial[name] = [item.pk for item in getattr(instance, name).all()]
        elif model_field.is_relation:
            initial[name] = getattr(instance, model_field.attname)  # type: ignore[union-attr]
        else:
            initial[name] = getattr(instance, name)
    initial["version"] = instance.version  # type: ignore[attr-defined]
    return initial


def _page_context(
    request: SignedInRequest,
    instance: Any,
    context: Callable[[SignedInRequest, Any], Mapping[str, Any]] | None,
    title: str | None,
) -> dict[str, Any]:
    page = dict(context(request, instance)) if context is not None else {}
    if title is not None:
        page.update(title=title, page_title=title)
    return page


def chosen(fields: Sequence[str], data: Mapping[str, Any]) -> dict[str, Any]:
    """The named fields of a form's cleaned data, as a service takes them."""
    return {name: data[name] for name in fields if name in data}


@dataclass(frozen=True, kw_only=True)
class EditPage(Generic[M]):
    """An edit page declared: the object read through its scoped getter, the role required, the form opened on the
    object's fields and version, and a POST saved through the update service as
    `service(<noun>=object, by=person, expected_version=version read, **fields)` (form_page does the rest).

    `changes(object, cleaned_data)` replaces the plain "these fields as typed" when the service takes other
    keywords; `form_kwargs` gives the form its scoped choices; `context` adds to the page; `title` names it."""

    get: Getter
    form: type[forms.BaseForm]
    service: Callable[..., Any]
    noun: str
    fields: Sequence[str]
    permission: Permission
    template: str
    success_url: Callable[[M], str]
    title: Callable[[M], str] | None = None
    message: str | Callable[[Any], str] = "Saved."
    initial: Callable[[M], Mapping[str, Any]] | None = None
    form_kwargs: Callable[[SignedInRequest, M], Mapping[str, Any]] | None = None
    changes: Callable[[M, Mapping[str, Any]], Mapping[str, Any]] | None = None
    context: Callable[[SignedInRequest, M], Mapping[str, Any]] | None = None

    def __call__(self, request: HttpRequest, pk: int) -> HttpResponse:
        request = signed_in(request)
        instance: M = self.get(pk=pk, **scope(request))
        require(role(request), self.permission)
        initial = initial_of(instance, self.fields)
        if self.initial is not None:
            initial.update(self.initial(instance))
        extra = self.form_kwargs(request, instance) if self.form_kwargs is not None else {}
        form = self.form(request.POST or None, initial=initial, **extra)

        def save(data: dict[str, Any]) -> Any:
            given = self.changes(instance, data) if self.changes is not None else chosen(self.fields, data)
            return self.service(
                **{self.noun: instance}, by=request.user, expected_version=data.get("version"), **given
            )

        return form_page(
            request,
            form,
            template=self.template,
            save=save,
            success_url=self.success_url(instance),
            message=self.message,
            context=_page_context(
                request, instance, self.context, self.title(instance) if self.title else None
            ),
        )


@dataclass(frozen=True, kw_only=True)
class CreatePage:
    """An add page declared: within a parent read through its scoped getter (a plan's section) or, with no
    `parent`, within the person's organisation; the role required; a POST saved through the add service as
    `service(<noun>=parent or organisation, by=person, **fields)` and sent to `success_url(the new record)`."""

    form: type[forms.BaseForm]
    service: Callable[..., Any]
    fields: Sequence[str]
    permission: Permission
    template: str
    success_url: Callable[[Any], str]
    title: str | None = None
    parent: Getter | None = None
    noun: str = "organisation"
    message: str | Callable[[Any], str] = "Added."
    initial: Callable[[SignedInRequest], Mapping[str, Any]] | None = None
    form_kwargs: Callable[[SignedInRequest, Any], Mapping[str, Any]] | None = None
    changes: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    context: Callable[[SignedInRequest, Any], Mapping[str, Any]] | None = None

    def __call__(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        request = signed_in(request)
        parent = self.parent(pk=pk, **scope(request)) if self.parent is not None else request.organisation
        require(role(request), self.permission)
        extra = self.form_kwargs(request, parent) if self.form_kwargs is not None else {}
        initial = dict(self.initial(request)) if self.initial is not None else None
        form = self.form(request.POST or None, initial=initial, **extra)

        def save(data: dict[str, Any]) -> Any:
            given = self.changes(data) if self.changes is not None else chosen(self.fields, data)
            return self.service(**{self.noun: parent}, by=request.user, **given)

        return form_page(
            request,
            form,
            template=self.template,
            save=save,
            success_url=self.success_url,
            message=self.message,
            context=_page_context(request, parent, self.context, self.title),
        )


@dataclass(frozen=True, kw_only=True)
class HistoryPage(Generic[M]):
    """An object's History page declared: read through its scoped getter, titled, with a way back."""

    get: Getter
    title: Callable[[M], str]
    back_url: Callable[[M], str]

    def __call__(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance: M = self.get(pk=pk, **scope(request))
        return history_page(request, instance, title=self.title(instance), back_url=self.back_url(instance))
