"""The pieces every app's views are built from: the person's scope and role, the form page (validate, call the
service, turn its refusals into form errors, say what happened, redirect), the History page (ADR 0015), and the
declared edit, add and History pages built from them (ADR 0045)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .history import history_rows
from .models import Membership, Organisation, User
from .permissions import Permission, require
from .registers import upload_digest, upload_read
from .selectors import Workplaces, audit_for_object
from .service_kit import ConcurrentEditError

M = TypeVar("M", bound=models.Model)


class SignedInRequest(HttpRequest):
    """A request as a view sees it past the middleware: a signed-in person, the organisation they are working in
    and their membership there (for type checking; the middleware sets them on every request)."""

    user: User  # type: ignore[assignment]
    organisation: Organisation
    membership: Membership | None
    workplaces: Workplaces  # where they may work: the organisation switcher's choices
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
    data = cast(Any, form.data).copy()  # a QueryDict's copy can be changed
    data["version"] = exc.instance.version  # type: ignore[attr-defined]
    form.data = data
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


def signed_in(request: HttpRequest) -> SignedInRequest:
    """The request as the middleware leaves it on every page behind sign-in (for the type checker)."""
    return cast(SignedInRequest, request)


def initial_of(instance: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """What an edit form opens with: each named field as the object holds it (a related object by its key, a
    many-to-many field as its keys) and the version it was read at."""
    initial: dict[str, Any] = {}
    for name in names:
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form field the object does not hold (a reason for the change): it opens empty
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
        page["title"] = title
        page.setdefault("page_title", title)  # the context may give the browser tab a shorter one
    return page


def chosen(fields: Sequence[str], data: Mapping[str, Any]) -> dict[str, Any]:
    """The named fields of a form's cleaned data, as a service takes them."""
    return {name: data[name] for name in fields if name in data}


def form_fields(form: type[forms.BaseForm]) -> tuple[str, ...]:
    """The fields a form asks for, its hidden version aside: by default what a declared page passes its service."""
    declared: Mapping[str, Any] = getattr(form, "base_fields", {})
    return tuple(name for name in declared if name != "version")


def page_of(url_name: str, key: str = "pk") -> Callable[[Any], str]:
    """Where a declared page goes after saving: the named page of the record, or of the record its `key` names
    (`"plan_id"`, `"control.risk_id"`)."""
    read = attrgetter(key)
    return lambda record: reverse(url_name, args=[read(record)])


def noun_of(getter: Getter) -> str:
    """The keyword a service takes its object by, read from the getter's name: `plan_get` gives `plan`."""
    return getter.__name__.removesuffix("_get")


@dataclass(frozen=True, kw_only=True)
class _DeclaredForm:
    """What an edit page and an add page both declare: the form and the service it feeds, the role required, the
    template, where to go after saving (for an edit, from the object; for an add, from the new record) and what to
    say. `fields` (by default every field of the form) are passed to the service under their own names, unless
    `changes` turns the cleaned data into its keywords; `form_kwargs` gives the form its scoped choices;
    `context` adds to the page; `title` names it."""

    form: type[forms.BaseForm]
    service: Callable[..., Any]
    permission: Permission
    template: str
    success_url: Callable[[Any], str]
    fields: Sequence[str] | None = None
    title: str | Callable[[Any], str] | None = None
    message: str | Callable[[Any], str] = "Saved."
    form_kwargs: Callable[[SignedInRequest, Any], Mapping[str, Any]] | None = None
    context: Callable[[SignedInRequest, Any], Mapping[str, Any]] | None = None

    @property
    def names(self) -> Sequence[str]:
        return self.fields if self.fields is not None else form_fields(self.form)

    def _page(
        self,
        request: SignedInRequest,
        on: Any,
        initial: Mapping[str, Any] | None,
        save: Callable[..., Any],
        success_url: str | Callable[[Any], str],
        noun: str | None,
    ) -> HttpResponse:
        """Build the form on `on` (the object edited, or the parent added to) and hand it to form_page; the page
        has `on` under its noun (`plan`, `risk`) beside what `context` adds."""
        extra = self.form_kwargs(request, on) if self.form_kwargs is not None else {}
        form = self.form(request.POST or None, initial=dict(initial) if initial else None, **extra)
        title = self.title(on) if callable(self.title) else self.title
        return form_page(
            request,
            form,
            template=self.template,
            save=save,
            success_url=success_url,
            message=self.message,
            context={**({noun: on} if noun else {}), **_page_context(request, on, self.context, title)},
        )


@dataclass(frozen=True, kw_only=True)
class EditPage(_DeclaredForm, Generic[M]):
    """An edit page declared: the object read through its scoped getter, the role required, the form opened on the
    object's fields and version, and a POST saved through the update service as
    `service(<noun>=object, by=person, expected_version=version read, **fields)`, the noun read from the getter's
    name unless given. `initial(object)` adds to or replaces what the form opens with."""

    get: Getter
    noun: str = ""
    initial: Callable[[M], Mapping[str, Any]] | None = None
    changes: Callable[[M, Mapping[str, Any]], Mapping[str, Any]] | None = None

    def __call__(self, request: HttpRequest, pk: int) -> HttpResponse:
        request = signed_in(request)
        instance: M = self.get(pk=pk, **scope(request))
        require(role(request), self.permission)
        initial = {**initial_of(instance, self.names), **(self.initial(instance) if self.initial else {})}
        noun = self.noun or noun_of(self.get)

        def save(data: dict[str, Any]) -> Any:
            given = self.changes(instance, data) if self.changes is not None else chosen(self.names, data)
            return self.service(
                **{noun: instance}, by=request.user, expected_version=data.get("version"), **given
            )

        return self._page(request, instance, initial, save, self.success_url(instance), noun)


@dataclass(frozen=True, kw_only=True)
class CreatePage(_DeclaredForm):
    """An add page declared: within a parent read through its scoped getter (a plan's section) or, with no
    `parent`, within the person's organisation; the role required; a POST saved through the add service as
    `service(<noun>=parent or organisation, by=person, **fields)` and sent to `success_url(the new record)`."""

    parent: Getter | None = None
    noun: str = ""
    initial: Callable[[SignedInRequest], Mapping[str, Any]] | None = None
    changes: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None

    def __call__(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        request = signed_in(request)
        parent = self.parent(pk=pk, **scope(request)) if self.parent is not None else request.organisation
        require(role(request), self.permission)
        noun = self.noun or (noun_of(self.parent) if self.parent is not None else "organisation")

        def save(data: dict[str, Any]) -> Any:
            given = self.changes(data) if self.changes is not None else chosen(self.names, data)
            return self.service(**{noun: parent}, by=request.user, **given)

        initial = self.initial(request) if self.initial else None
        return self._page(request, parent, initial, save, self.success_url, noun if self.parent else None)


@dataclass(frozen=True, kw_only=True)
class HistoryPage(Generic[M]):
    """An object's History page declared: read through its scoped getter, titled (by default "History of" the
    object as it names itself), with a way back."""

    get: Getter
    back_url: Callable[[M], str]
    title: Callable[[M], str] = lambda instance: f"History of {instance}"

    def __call__(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance: M = self.get(pk=pk, **scope(request))
        return history_page(request, instance, title=self.title(instance), back_url=self.back_url(instance))


def register_import_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    run: Callable[[Any, bool], Sequence[Any]],
    template: str,
    context: Mapping[str, Any],
    success_url: str,
    noun: str,
) -> HttpResponse:
    """A register's import page (core.registers): 'Check the file' is the dry run, showing each sheet's
    differences row by row or its problems; 'Import these changes', with the same file (named by its digest from
    the check, so a different file is never imported unchecked), writes every change or none.
    `run(upload, dry_run)` returns the comparisons."""
    results: Sequence[Any] = []
    checked = refused = ""
    if request.method == "POST" and form.is_valid():
        upload = upload_read(form.cleaned_data["file"])
        checked = upload_digest(upload)
        wanted = request.POST.get("do") == "import"
        confirmed = wanted and request.POST.get("checked") == checked
        if wanted and not confirmed:
            refused = "This is not the file you checked: check it first, then import it."
        results = run(upload, not confirmed)
        if results and all(r.applied for r in results):
            messages.success(request, "Imported: " + "; ".join(r.summary() for r in results) + ".")
            return redirect(success_url)
    ok = bool(results) and all(r.ok for r in results)
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "results": results,
            "ready": ok,
            "checked": checked,
            "refused": refused,
            "noun": noun,
        },
        status=400 if results and not ok else 200,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(request: HttpRequest, content: bytes, stem: str) -> HttpResponse:
    """A workbook as a download named after what it holds, the organisation and the day: 'qi-projects-ZNM-2026-12-06
    .xlsx', so that the files of several exports stay apart."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"{stem}-{signed_in(request).organisation.ods_code}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def register_upload_page(
    request: HttpRequest,
    form_class: type[forms.BaseForm],
    importer: Callable[..., Sequence[Any]],
    *,
    template: str,
    title: str,
    success_url: str,
    noun: str,
) -> HttpResponse:
    """register_import_page for an app's importer, called as importer(organisation=, by=, file=, dry_run=)."""
    signed = signed_in(request)
    return register_import_page(
        request,
        form_class(request.POST or None, request.FILES or None),
        run=lambda upload, dry_run: importer(
            organisation=signed.organisation, by=signed.user, file=upload, dry_run=dry_run
        ),
        template=template,
        context={"page_title": title},
        success_url=success_url,
        noun=noun,
    )
