"""A meeting's papers and packs (ADR 0057): the agenda with each item's papers (late ones flagged), adding a paper
(an upload, a Wellled paper issued for the meeting, or a verbal update) with its cover sheet, asking for the full
or the public pack, its progress while it is built, and its files once issued."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellled.core.permissions import Permission, require, role_allows
from wellled.core.stored_files import stored_download
from wellled.core.view_kit import SignedInRequest, form_fields, form_page, initial_of, role, scope
from wellled.reports.models import IssuedPaperFile, JobState
from wellled.reports.papers.jobs import paper_jobs_abandoned_fail
from wellled.reports.selectors import TamperedError, verified_content

from .. import jobs
from ..access import sees_private
from ..choices import PaperSource
from ..forms.papers import CoverForm, PaperForm
from ..selectors import packs as selectors
from ..services import papers as services

QUEUED_TOO_LONG = datetime.timedelta(seconds=30)  # then the page says the worker may not be running
PACK_FORMATS = ("pdf", "docx")


LENT = (
    "Committees' papers are for the trust's own people: an oversight body sees its issued public packs only."
)


def member_require(request: SignedInRequest) -> None:
    """The trust's own people only: a view lent by an oversight body's portfolio (ADR 0038) does not reach a
    committee's agenda, papers or cycle of business (not found)."""
    require(role(request), Permission.VIEW)
    if getattr(getattr(request, "membership", None), "via", None) is not None:
        raise Http404(LENT)


def _may_manage(request: SignedInRequest) -> bool:
    return role_allows(role(request), Permission.MANAGE_COMMITTEES)


def _papers_url(meeting_id: int) -> str:
    return reverse("committee-meeting-papers", args=[meeting_id])


def meeting_papers(request: SignedInRequest, pk: int) -> HttpResponse:
    """The meeting's agenda with its papers, and its packs: the private part only for those who may see it."""
    member_require(request)
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    paper_jobs_abandoned_fail()
    items: list[dict[str, Any]] = []
    for item in selectors.items_for(meeting=meeting, user=request.user):
        papers = [
            {"paper": paper, "late": paper.late, "author": str(paper.author) if paper.author else ""}
            for paper in item.papers.all()
        ]
        items.append(
            {
                "item": item,
                "presenter": str(item.presenter) if item.presenter else "",
                "risks": [str(r) for r in item.risks.all()],
                "papers": papers,
            }
        )
    packs = list(selectors.packs_for(meeting=meeting, user=request.user))
    return render(
        request,
        "committees/packs/meeting.jinja",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "items": items,
            "packs": packs,
            "may_manage": _may_manage(request),
            "sees_private": sees_private(request.user, meeting.committee),
            "late": sum(paper.late for item in items for paper in item["item"].papers.all()),
        },
    )


def paper_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """Add a paper to an agenda item: an upload, a Wellled paper issued today, or a verbal update."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    item = selectors.item_get(pk=pk, **scope(request))
    issued = selectors.attachable_papers(**scope(request))
    form = PaperForm(request.POST or None, request.FILES or None, issued=issued)

    def save(data: dict[str, Any]):
        cover = {name: data[name] for name in ("title", "summary", "considered_before", "assurance_sought")}
        if data["source"] == PaperSource.UPLOAD:
            return services.paper_upload(item=item, upload=data.get("file"), by=request.user, **cover)
        if data["source"] == PaperSource.WELLLED and data.get("issued") is not None:
            return services.paper_issued_attach(item=item, issued=data["issued"], by=request.user, **cover)
        if data["source"] == PaperSource.WELLLED:
            return services.paper_wellled_issue(item=item, kind=data["kind"], by=request.user, **cover)
        return services.paper_verbal(item=item, by=request.user, **cover)

    return form_page(
        request,
        form,
        template="committees/packs/paper_form.jinja",
        save=save,
        success_url=_papers_url(item.meeting_id),
        message=lambda paper: f"Paper added: {paper.title}" + (" (late)" if paper.late else "") + ".",
        context={"item": item, "meeting": item.meeting, "page_title": f"Add a paper to {item.title}"},
    )


def paper_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change a paper's title and cover sheet."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    paper = selectors.paper_get(pk=pk, **scope(request))
    initial = initial_of(paper, form_fields(CoverForm))
    form = CoverForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        template="committees/packs/cover_form.jinja",
        save=lambda data: services.paper_cover_update(
            paper=paper,
            by=request.user,
            expected_version=data.get("version"),
            title=data["title"] or paper.title,
            summary=data["summary"],
            considered_before=data["considered_before"],
            assurance_sought=data["assurance_sought"],
        ),
        success_url=_papers_url(paper.item.meeting_id),
        message="Cover sheet saved.",
        context={
            "paper": paper,
            "meeting": paper.item.meeting,
            "page_title": f"Cover sheet of {paper.title}",
        },
    )


@require_POST
def paper_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    require(role(request), Permission.MANAGE_COMMITTEES)
    paper = selectors.paper_get(pk=pk, **scope(request))
    meeting_id = paper.item.meeting_id
    try:
        services.paper_remove(paper=paper, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Paper taken off the agenda: {paper.title}.")
    return redirect(_papers_url(meeting_id))


def paper_file(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """An uploaded paper's file, as uploaded (its item's rule decides who may read it)."""
    member_require(request)
    paper = selectors.paper_get(pk=pk, **scope(request))
    name = paper.file.name or "" if paper.file else ""
    if paper.source != PaperSource.UPLOAD or not name:
        raise Http404("This paper has no uploaded file.")
    # Streamed through the one download helper: checked against its SHA-256, a safe name, 503 if the store is down.
    return stored_download(paper.file, filename=paper.file_name or name, sha256=paper.file_sha256)


@require_POST
def pack_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """Ask for the meeting's pack (the public one if `public` is sent); its page shows the progress."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    try:
        pack = jobs.pack_request(meeting=meeting, public=request.POST.get("public") == "1", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_papers_url(meeting.pk))
    return redirect("committee-pack-detail", pk=pack.pk)


def _pack(request: SignedInRequest, pk: int):
    """The pack, if the person may read it: someone lent a view by an oversight body reads issued public packs."""
    pack = selectors.pack_get(pk=pk, **scope(request))
    lent = getattr(getattr(request, "membership", None), "via", None) is not None
    if lent and not (pack.public and pack.paper_id is not None):
        raise Http404(LENT)
    return pack


def _job_context(pack) -> dict:
    job = pack.job
    stalled = job.state == JobState.QUEUED and job.created_at < timezone.now() - QUEUED_TOO_LONG
    return {"job": job, "stalled": stalled, "token": job.progress_token + ("-stalled" if stalled else "")}


def pack_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The pack: its progress while it is built (HTMX asks every second; 204 while nothing moved), then its files."""
    require(role(request), Permission.VIEW)
    paper_jobs_abandoned_fail()
    pack = _pack(request, pk)
    files = []
    if pack.paper_id is not None:
        files = list(
            IssuedPaperFile.objects.filter(paper_id=pack.paper_id)
            .only("format", "filename", "size", "sha256")
            .order_by("id")
        )
    context = {"pack": pack, "meeting": pack.meeting, "files": files, **_job_context(pack)}
    if request.htmx:
        if request.GET.get("seen") == context["token"]:
            return HttpResponse(status=204)
        return render(request, "committees/packs/_progress.jinja", context)
    return render(request, "committees/packs/pack.jinja", context)


def pack_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """The issued pack's PDF or Word file, byte for byte as frozen, its checksum verified first."""
    require(role(request), Permission.VIEW)
    pack = _pack(request, pk)
    if fmt not in PACK_FORMATS or pack.paper_id is None:
        raise Http404("No such file.")
    file = IssuedPaperFile.objects.filter(paper_id=pack.paper_id, format=fmt).first()
    if file is None:
        raise Http404("No such file.")
    try:
        content = verified_content(file)
    except TamperedError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response
