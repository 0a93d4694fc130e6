"""The cycle of business pages (ADR 0057): each committee's items and year month by month, the year's plan made
from its meetings, a draft agenda made from the items due, deferral with a reason, and the year-end view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellled.core.formatting import month_year
from wellled.core.permissions import Permission, require, role_allows
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.view_kit import CreatePage, EditPage, SignedInRequest, role, scope

from ..forms.cycle import CycleItemForm, DeferForm
from ..models import CycleEntry, CycleItem
from ..selectors import cycle as selectors
from ..selectors.packs import meeting_get
from ..services import cycle as services
from .packs import member_require

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the financial years a page may be asked for


def _may_manage(request: SignedInRequest) -> bool:
    return role_allows(role(request), Permission.MANAGE_COMMITTEES)


def _year(request: SignedInRequest) -> int:
    """The financial year asked for (?year=2026 for 2026-27), else the current one."""
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or "")
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = selectors.financial_year(timezone.localdate())
    return year


def _cycle_url(committee_id: int, year: int | None = None) -> str:
    url = reverse("committee-cycle", args=[committee_id])
    return f"{url}?year={year}" if year else url


def _said(request: SignedInRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def cycle_index(request: SignedInRequest) -> HttpResponse:
    """The trust's committees, each leading to its cycle of business."""
    member_require(request)
    committees = list(selectors.committees_for(**scope(request)))
    return render(request, "committees/cycle/index.jinja", {"committees": committees})


def committee_cycle(request: SignedInRequest, pk: int) -> HttpResponse:
    """A committee's cycle of business for a financial year: its items, month by month, and its meetings."""
    member_require(request)
    committee = selectors.committee_get(pk=pk, **scope(request))
    year = selectors.cycle_year(committee=committee, year=_year(request), user=request.user)
    return render(
        request,
        "committees/cycle/year.jinja",
        {"view": year, "committee": committee, "may_manage": _may_manage(request)},
    )


def cycle_year_end(request: SignedInRequest, pk: int) -> HttpResponse:
    """The year's plan against what was delivered: counts, and the items deferred or not done."""
    member_require(request)
    committee = selectors.committee_get(pk=pk, **scope(request))
    year = selectors.cycle_year(committee=committee, year=_year(request), user=request.user)
    return render(request, "committees/cycle/year_end.jinja", {"view": year, "committee": committee})


cycle_item_create = CreatePage(
    parent=selectors.committee_get,
    form=CycleItemForm,
    service=services.cycle_item_create,
    permission=Permission.MANAGE_COMMITTEES,
    template="committees/cycle/item_form.jinja",
    success_url=lambda item: _cycle_url(item.committee_id),
    message="Item added to the cycle of business. Make the year's plan to schedule it.",
    context=lambda request, committee: {"page_title": f"Add an item to the cycle of business of {committee}"},
)


cycle_item_edit: EditPage[CycleItem] = EditPage(
    get=selectors.cycle_item_get,
    noun="item",
    form=CycleItemForm,
    service=services.cycle_item_update,
    permission=Permission.MANAGE_COMMITTEES,
    template="committees/cycle/item_form.jinja",
    success_url=lambda item: _cycle_url(item.committee_id),
    message="Cycle of business item changed.",
    initial=lambda item: {"months": [str(m) for m in item.months]},  # the choices are text
    context=lambda request, item: {"committee": item.committee, "page_title": f"Change {item.title}"},
)


@require_POST
def cycle_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    """Make the year's entries from the items and the meetings."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    committee = selectors.committee_get(pk=pk, **scope(request))
    year = _year(request)
    made = services.cycle_year_plan(committee=committee, year=year, by=request.user)
    messages.success(request, f"{len(made)} entries planned for {year}-{(year + 1) % 100:02d}.")
    return redirect(_cycle_url(committee.pk, year))


cycle_entry_defer: EditPage[CycleEntry] = EditPage(
    get=selectors.cycle_entry_get,
    noun="entry",
    form=DeferForm,
    service=services.cycle_entry_defer,
    permission=Permission.MANAGE_COMMITTEES,
    template="committees/cycle/defer.jinja",
    success_url=lambda entry: _cycle_url(
        entry.cycle_item.committee_id, selectors.financial_year(entry.due_month)
    ),
    message=lambda entry: f"Deferred to {month_year(entry.deferred_to)}.",
    context=lambda request, entry: {"committee": entry.cycle_item.committee, "page_title": f"Defer {entry}"},
)


@require_POST
def agenda_draft(request: SignedInRequest, pk: int) -> HttpResponse:
    """Make the meeting's draft agenda from the cycle of business items due in its month."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    meeting = meeting_get(pk=pk, **scope(request))
    try:
        made = services.agenda_draft_make(meeting=meeting, by=request.user)
    except ValidationError as exc:
        _said(request, exc)
    else:
        messages.success(request, f"{len(made)} items from the cycle of business put on the agenda.")
    return redirect("committee-meeting-papers", pk=meeting.pk)


@require_POST
def cycle_held(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark done the cycle's items taken at a meeting that has been held."""
    require(role(request), Permission.MANAGE_COMMITTEES)
    meeting = meeting_get(pk=pk, **scope(request))
    try:
        done = services.cycle_meeting_held(meeting=meeting, by=request.user)
    except (ValidationError, ConcurrentEditError) as exc:
        _said(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
    else:
        messages.success(request, f"{done} cycle of business items marked done.")
    year = selectors.financial_year(timezone.localtime(meeting.starts_at).date())
    return redirect(_cycle_url(meeting.committee_id, year))
