"""Information request pages: the register, a request (answer it once, or reuse an earlier answer), the answers'
files, and the answers other organisations shared with this one."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellled.core.formatting import counted
from wellled.core.models import Organisation
from wellled.core.permissions import require, role_allows
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.view_kit import HistoryPage, SignedInRequest, form_page, role, scope
from wellled.reports.models import JobState
from wellled.reports.papers.jobs import paper_jobs_abandoned_fail
from wellled.reports.selectors import TamperedError, verified_content

from . import jobs, selectors, services
from .forms import RequestEditForm, RequestForm, SubjectForm
from .models import InformationRequest, RequestStatus

T = TypeVar("T")
ANSWER_FORMATS = ("xlsx", "csv", "pdf", "docx")  # the answer's files, the paper or document passed on
# A job still waiting after this long says the worker may not be running (as a board paper's job does).
QUEUED_TOO_LONG = datetime.timedelta(seconds=30)


def _may_write(request: SignedInRequest) -> bool:
    return role_allows(role(request), services.write_permission(request.organisation))


def request_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(
        request,
        "information/request_list.jinja",
        {
            "requests": list(selectors.requests_for_register(status=status, **scope(request))),
            "figures": selectors.register_figures(**scope(request)),
            "status": status if status in RequestStatus.values else "",
            "statuses": RequestStatus.choices,
            "may_write": _may_write(request),
        },
    )


def request_create(request: SignedInRequest) -> HttpResponse:
    require(role(request), services.write_permission(request.organisation))
    subjects = selectors.subjects_for_register(**scope(request))
    if not subjects:
        return render(request, "information/no_subjects.jinja", status=200)
    subject = subjects[0] if len(subjects) == 1 else None
    if subject is None:
        chooser = SubjectForm(request.GET if "subject" in request.GET else None, subjects=subjects)
        if not chooser.is_valid():
            return render(
                request,
                "information/subject_form.jinja",
                {"form": chooser},
                status=400 if chooser.is_bound else 200,
            )
        subject = chooser.cleaned_data["subject"]
    assert isinstance(subject, Organisation)
    choices = selectors.parameter_choices(user=request.user, subject=subject)
    form = RequestForm(request.POST or None, bodies=selectors.bodies_in_wellled(**scope(request)), **choices)
    return form_page(
        request,
        form,
        template="information/request_form.jinja",
        save=lambda data: services.request_register(
            organisation=request.organisation,
            by=request.user,
            subject=subject,
            question=data["question"],
            received_on=data["received_on"],
            due_on=data["due_on"],
            kind=data["kind"],
            parameters=form.parameters(),
            asked_by_organisation=data["asked_by_organisation"],
            asked_by_name=data["asked_by_name"],
            asked_by_email=data["asked_by_email"],
            their_reference=data["their_reference"],
        ),
        success_url=lambda created: reverse("information-request-detail", args=[created.pk]),
        message=lambda created: f"Request from {created.body_name} registered.",
        context={"subject": subject, "several": len(subjects) > 1},
    )


def request_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change who asked, what or by when, until the request is answered (each change is in its History)."""
    asked = selectors.request_get(pk=pk, **scope(request))
    require(role(request), services.write_permission(request.organisation))
    if asked.status != RequestStatus.OPEN:
        messages.error(request, services.NOT_EDITABLE.format(status=asked.get_status_display().lower()))
        return redirect("information-request-detail", pk)
    fields = sorted(services.REQUEST_DETAILS)
    form = RequestEditForm(
        request.POST or None,
        initial={**{name: getattr(asked, name) for name in fields}, "version": asked.version},
        bodies=selectors.bodies_in_wellled(**scope(request)),
    )
    return form_page(
        request,
        form,
        template="information/request_edit.jinja",
        save=lambda data: services.request_update(
            request=asked,
            by=request.user,
            expected_version=data.get("version"),
            **{name: data[name] for name in fields},
        ),
        success_url=reverse("information-request-detail", args=[asked.pk]),
        message="Request changed. The change is kept in its history.",
        context={"item": asked, "page_title": f"Change the {asked}"},
    )


def _job_context(job) -> dict:
    """The answer's job as its progress fragment shows it (a job whose worker died shows as failed)."""
    if job is None:
        return {"job": None}
    stalled = job.state == JobState.QUEUED and job.created_at < timezone.now() - QUEUED_TOO_LONG
    return {"job": job, "stalled": stalled, "token": job.progress_token + ("-stalled" if stalled else "")}


def request_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.request_page(pk=pk, **scope(request))
    paper_jobs_abandoned_fail()
    job = selectors.answer_job_get(request=page.request)
    return render(
        request,
        "information/request_detail.jinja",
        {"page": page, "may_write": _may_write(request), **_job_context(job)},
    )


def request_answer_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    """How far producing the answer has got (HTMX asks every second; 204 while nothing has changed)."""
    asked = selectors.request_get(pk=pk, **scope(request))
    paper_jobs_abandoned_fail()
    job = selectors.answer_job_get(request=asked)
    if job is None:
        raise Http404("No answer is being produced for this request.")
    context = {"item": asked, **_job_context(job)}
    if request.htmx and request.GET.get("seen") == context["token"]:
        return HttpResponse(status=204)
    return render(request, "information/_answer_job.jinja", context)


def _said(request: SignedInRequest, outcome: services.Outcome) -> None:
    """Say what answering did: to whom the answer went, and any e-mail that could not be sent."""
    if outcome.delivered:
        names = ", ".join(d.request.body_name for d in outcome.delivered)
        messages.success(request, f"Answer given to {counted(len(outcome.delivered), 'request')}: {names}.")
    for failure in outcome.failures:
        messages.error(request, failure)


def _button(request: SignedInRequest, write: Callable[[], T], said: Callable[[T], None]) -> None:
    """A button's write: a refusal (in words, or a stale version) is said as an error, success by `said`."""
    try:
        outcome = write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConcurrentEditError as exc:
        messages.error(request, str(exc))
    else:
        said(outcome)


def _request_button(
    request: SignedInRequest, pk: int, write: Callable[..., T], said: Callable[[T], None]
) -> HttpResponse:
    """A button on a request's page: the request read in scope, the role checked, `write(asked)`, back to it."""
    asked = selectors.request_get(pk=pk, **scope(request))
    require(role(request), services.write_permission(request.organisation))
    _button(request, lambda: write(asked), said)
    return redirect("information-request-detail", pk)


@require_POST
def request_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    """Queue the answer (information.jobs): the request only queues it; the page shows its progress."""
    return _request_button(
        request,
        pk,
        lambda asked: jobs.answer_job_queue(
            request=asked,
            by=request.user,
            narrative=request.POST.get("narrative", ""),
            document=request.FILES.get("document"),
        ),
        lambda job: messages.success(request, "The answer is being produced: its progress is shown below."),
    )


@require_POST
def request_reuse(request: SignedInRequest, pk: int, answer_pk: int) -> HttpResponse:
    def share(asked):
        answer = selectors.answer_get(pk=answer_pk, **scope(request))
        return services.answer_share(request=asked, answer=answer, by=request.user)

    return _request_button(request, pk, share, lambda outcome: _said(request, outcome))


@require_POST
def request_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    return _request_button(
        request,
        pk,
        lambda asked: services.request_withdraw(
            request=asked, by=request.user, expected_version=request.POST.get("version")
        ),
        lambda _: messages.success(request, "Request withdrawn."),
    )


request_history = HistoryPage[InformationRequest](
    get=selectors.request_get,
    title=lambda asked: f"History of the {asked}",
    back_url=lambda asked: reverse("information-request-detail", args=[asked.pk]),
)


def _file_response(file) -> HttpResponse:
    try:
        content = verified_content(file)
    except TamperedError as exc:
        return HttpResponse(
            f"{exc} no longer matches the checksum it was produced with, so it is not served.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@require_POST
def answer_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_get(pk=pk, **scope(request))
    require(role(request), services.write_permission(request.organisation))
    back = request.POST.get("request", "")
    _button(
        request,
        lambda: services.answer_withdraw(
            answer=answer, by=request.user, reason=request.POST.get("reason", "")
        ),
        lambda _: messages.success(
            request, "Answer withdrawn: it is kept as it was given, and no longer offered for reuse."
        ),
    )
    if back.isdigit():
        return redirect("information-request-detail", int(back))
    return redirect("information-request-list")


def _format_check(fmt: str) -> None:
    if fmt not in ANSWER_FORMATS:
        raise Http404("No such format.")


def answer_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    _format_check(fmt)
    return _file_response(selectors.answer_file_get(pk=pk, fmt=fmt, **scope(request)))


def shared_list(request: SignedInRequest) -> HttpResponse:
    deliveries = list(selectors.shared_with_us(**scope(request)))
    files = selectors.shared_files(deliveries=deliveries)
    return render(request, "information/shared_list.jinja", {"deliveries": deliveries, "files": files})


def shared_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    _format_check(fmt)
    return _file_response(selectors.shared_file_get(pk=pk, fmt=fmt, **scope(request)))
