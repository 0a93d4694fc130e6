"""Chair's reports, escalation and committee reviews of principal risks (ADR 0062). Pages of one trust's
committees: anyone outside the trust (another trust, an oversight body) gets 404; writing is for the committee's
chair or the governance team, checked again by the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from wellled.core.access import current_role
from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, form_page, role, scope
from wellled.risks.selectors import principal_risks

from ..access import sees_private
from ..forms.reports import ChairsReportForm, EscalationForm, IssueForm, RiskReviewForm
from ..selectors import committees as committee_selectors
from ..selectors import reports as selectors
from ..selectors.meetings import meeting_get
from ..services import escalations, reports, risk_reviews


def member_require(request: SignedInRequest) -> None:
    """Committee pages are for the trust's own members: an oversight body or another trust sees nothing (404)."""
    if (
        current_role(user=request.user, organisation_id=request.organisation.pk) is None
    ):  # a lent (oversight) seat
        raise Http404("Not found.")


def _may_write(request: SignedInRequest, committee) -> None:
    if not reports.may_report(request.user, committee):
        raise PermissionDenied("Only the committee's chair or the governance team writes its report.")


@require_GET
def report_list(request: SignedInRequest) -> HttpResponse:
    """Held meetings of the trust's committees, each with its chair's report and where that stands."""
    member_require(request)
    meetings = list(selectors.report_meetings(**scope(request))[:100])
    rows = [(m, selectors.report_of(m)) for m in meetings]
    return render(request, "committees/reports/list.jinja", {"rows": rows, "page_title": "Chair's reports"})


def report_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """The chair writes the report of a meeting: the sections, the alert candidates to add, and confirmation."""
    member_require(request)
    meeting = meeting_get(**scope(request), pk=pk)
    _may_write(request, meeting.committee)
    report = selectors.report_of(meeting)
    titles = selectors.section_titles(meeting.committee)
    candidates = selectors.alert_candidates(user=request.user, meeting=meeting)
    initial = (
        {"alert": report.alert, "advise": report.advise, "assure": report.assure, "version": report.version}
        if report
        else {}
    )
    form = ChairsReportForm(request.POST or None, initial=initial, titles=titles, candidates=candidates)

    def save(data):
        return reports.chairs_report_save(
            meeting=meeting,
            by=request.user,
            expected_version=data.get("version"),
            alert=data["alert"],
            advise=data["advise"],
            assure=data["assure"],
            candidates=form.chosen(),
            confirm=data["confirm"],
        )

    return form_page(
        request,
        form,
        template="committees/reports/edit.jinja",
        save=save,
        success_url=lambda r: reverse("committee-report-detail", args=[r.pk]),
        message="Chair's report saved.",
        context={
            "meeting": meeting,
            "report": report,
            "decisions": selectors.delegated_decisions(user=request.user, meeting=meeting),
            "referred": selectors.referred_items(user=request.user, meeting=meeting),
            "page_title": f"Chair's report: {meeting}",
        },
    )


@require_GET
def report_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    member_require(request)
    report = selectors.report_get(**scope(request), pk=pk)
    meeting = report.meeting
    return render(
        request,
        "committees/reports/detail.jinja",
        {
            "report": report,
            "meeting": meeting,
            "titles": selectors.section_titles(meeting.committee),
            "decisions": selectors.delegated_decisions(user=request.user, meeting=meeting),
            "referred": selectors.referred_items(user=request.user, meeting=meeting),
            "may_write": reports.may_report(request.user, meeting.committee),
            "form": IssueForm(initial={"version": report.version}),
            "page_title": f"Chair's report: {meeting}",
        },
    )


@require_POST
def report_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    """Issue the confirmed report onto the next agenda of the body the committee reports to."""
    member_require(request)
    report = selectors.report_get(**scope(request), pk=pk)
    _may_write(request, report.meeting.committee)
    try:
        issued = reports.chairs_report_issue(report=report, by=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            f"Issued: {issued.title}. It is on the next agenda of {report.meeting.committee.reports_to}.",
        )
    return redirect("committee-report-detail", pk=report.pk)


def escalation_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """Refer an item of a meeting up or across, with a reason."""
    member_require(request)
    meeting = meeting_get(**scope(request), pk=pk)
    _may_write(request, meeting.committee)
    item_key = request.GET.get("item") or request.POST.get("item") or ""
    item = meeting.items.filter(pk=item_key).first() if item_key.isdigit() else None
    if item is not None and item.private and not sees_private(request.user, meeting.committee):
        raise Http404("Not found.")
    form = EscalationForm(
        request.POST or None,
        initial={"title": item.title if item else ""},
        committees=committee_selectors.committees_for_user(**scope(request)).exclude(pk=meeting.committee_id),
    )
    return form_page(
        request,
        form,
        template="committees/reports/escalate.jinja",
        save=lambda data: escalations.escalation_raise(
            from_committee=meeting.committee,
            by=request.user,
            from_item=item,
            raised_on=timezone.localdate(meeting.starts_at),
            **data,
        ),
        success_url=reverse("committee-escalation-list"),
        message=lambda e: (
            f"Referred to {e.to_committee}"
            + (
                " and placed on its next agenda."
                if e.received_item_id
                else ": it goes on its next agenda once planned."
            )
        ),
        context={"meeting": meeting, "item": item, "page_title": "Refer an item"},
    )


@require_GET
def escalation_list(request: SignedInRequest) -> HttpResponse:
    member_require(request)
    return render(
        request,
        "committees/reports/escalations.jinja",
        {"escalations": selectors.escalations_for_user(**scope(request)), "page_title": "Items referred"},
    )


@require_POST
def escalation_place(request: SignedInRequest, pk: int) -> HttpResponse:
    """Place the items waiting for this committee onto its next planned meeting."""
    member_require(request)
    committee = committee_selectors.committee_get(**scope(request), pk=pk)
    _may_write(request, committee)
    placed = escalations.escalations_place(committee=committee, by=request.user)
    messages.success(
        request, f"{placed} referred item{'' if placed == 1 else 's'} placed on the next agenda."
    )
    return redirect("committee-escalation-list")


def risk_review_create(request: SignedInRequest) -> HttpResponse:
    """Record a committee's review or deep dive of a principal risk (the governance team, from the minutes)."""
    member_require(request)
    require(role(request), Permission.MANAGE_COMMITTEES)
    initial: dict[str, Any] = {"reviewed_on": timezone.localdate()}
    for name in ("risk", "committee"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = RiskReviewForm(
        request.POST or None,
        initial=initial,
        committees=committee_selectors.committees_for_user(**scope(request)).filter(active=True),
        risks=principal_risks(**scope(request)),
    )
    return form_page(
        request,
        form,
        template="committees/reports/form.jinja",
        save=lambda data: risk_review_record(request, data),
        success_url=lambda review: reverse("risk-detail", args=[review.risk_id]),
        message="Committee review recorded: the BAF shows it.",
        context={
            "page_title": "Record a committee review of a principal risk",
            "title": "Record a committee review",
        },
    )


def risk_review_record(request: SignedInRequest, data):
    return risk_reviews.risk_review_record(by=request.user, **data)
