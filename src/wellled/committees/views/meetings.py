"""Meetings' pages (issue 22, ADR 0056): the diary, a meeting's page (agenda, attendance and quorum, declarations,
minutes, decisions, actions and matters arising), the governance team's pages to run it, the trust's searchable
decisions and each person's meetings as an iCalendar feed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellled.core.permissions import Permission, require, role_allows
from wellled.core.url_kit import site_url
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    HistoryPage,
    SignedInRequest,
    role,
    scope,
)

from ..calendar import meetings_calendar
from ..forms.meetings import (
    ActionForm,
    AttendanceForm,
    DecisionForm,
    DecisionSearchForm,
    DeclarationForm,
    ItemForm,
    MeetingForm,
    MinuteForm,
    MinutesApproveForm,
    meeting_fields,
    meeting_initial,
)
from ..models import AgendaItem, Meeting
from ..selectors import committees as committee_selectors
from ..selectors import meetings as selectors
from ..services import meetings as services

MANAGE = Permission.MANAGE_COMMITTEES


def _page(meeting) -> str:
    return reverse("committee-meeting-detail", args=[meeting.pk])


def meeting_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "committees/meetings/list.jinja",
        {
            "upcoming": list(selectors.meetings_list(upcoming=True, **scope(request))[:50]),
            "past": list(selectors.meetings_list(upcoming=False, **scope(request))[:50]),
        },
    )


meeting_create = CreatePage(
    parent=committee_selectors.committee_get,
    form=MeetingForm,
    service=services.meeting_schedule,
    permission=MANAGE,
    template="committees/meetings/form.jinja",
    success_url=_page,
    message="Meeting scheduled: add its agenda items.",
    changes=meeting_fields,
    context=lambda request, committee: {"title": f"Schedule a meeting of the {committee}"},
)


def meeting_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    page = selectors.meeting_page(meeting=meeting, user=request.user)
    context = {"meeting": meeting, "page": page}
    if role_allows(role(request), MANAGE) and not page.frozen:
        recorded = {a.person_id: a for a in page.attendance}
        members = list(meeting.committee.members.filter(left_on__isnull=True).select_related("person"))
        context["attendance_form"] = AttendanceForm(members=members, recorded=recorded)
        items = meeting.items.order_by("position")
        people = committee_selectors.people_of_trust(**scope(request))
        context["declaration_form"] = DeclarationForm(people=people, items=items)
        context["decision_form"] = DecisionForm(items=items)
        context["action_form"] = ActionForm(people=selectors.action_owners(meeting=meeting), items=items)
        later = meeting.committee.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at")
        context["approve_form"] = MinutesApproveForm(meetings=later)
    return render(request, "committees/meetings/detail.jinja", context)


meeting_edit: EditPage[Meeting] = EditPage(
    get=selectors.meeting_get,
    form=MeetingForm,
    service=services.meeting_update,
    permission=MANAGE,
    template="committees/meetings/form.jinja",
    success_url=_page,
    message="Meeting saved.",
    initial=meeting_initial,
    changes=lambda meeting, data: meeting_fields(data),
    context=lambda request, meeting: {
        "committee": meeting.committee,
        "title": f"Change the meeting of {meeting}",
    },
)


def _act(request: SignedInRequest, meeting, do, message: str) -> HttpResponse:
    """Run a button's service and come back to the meeting, saying what happened or why it was refused."""
    try:
        do()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_page(meeting))


@require_POST
def meeting_cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    return _act(
        request,
        meeting,
        lambda: services.meeting_update(
            meeting=meeting, by=request.user, expected_version=request.POST.get("version"), status="cancelled"
        ),
        "Meeting cancelled.",
    )


@require_POST
def meeting_held(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record the meeting as held: inquorate when its attendance did not meet the quorum."""
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    try:
        saved = services.meeting_record_held(
            meeting=meeting, by=request.user, expected_version=request.POST.get("version")
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        quorum = services.meeting_quorum(saved)
        if saved.status == "held":
            messages.success(request, f"Recorded as held. {quorum.message}")
        else:
            messages.warning(request, f"Recorded as inquorate. {quorum.message}")
    return redirect(_page(meeting))


@require_POST
def meeting_attendance(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    members = list(meeting.committee.members.filter(left_on__isnull=True).select_related("person"))
    form = AttendanceForm(request.POST, members=members, recorded={})
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(_page(meeting))
    rows = [
        services.Attended(member.person, form.cleaned_data[key], form.cleaned_data[deputy])
        for member, key, deputy in form.rows
    ]
    return _act(
        request,
        meeting,
        lambda: services.attendance_record(meeting=meeting, by=request.user, rows=rows),
        "Attendance recorded.",
    )


def _small_form(request: SignedInRequest, meeting, form, save, message: str) -> HttpResponse:
    """A form on the meeting page: saved and back, or its problems said at the top of the meeting page."""
    if form.is_valid():
        return _act(request, meeting, lambda: save(form.cleaned_data), message)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else str(text))
    return redirect(_page(meeting))


def _meeting_form_post(
    form_class: type[BaseForm],
    form_kwargs: Callable[[SignedInRequest, Meeting], dict[str, Any]],
    service: Callable[..., Any],
    message: str,
) -> Callable[[SignedInRequest, int], HttpResponse]:
    """A governance team's form posted from the meeting page: the form's fields passed to the service by name."""

    @require_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        meeting = selectors.meeting_get(pk=pk, **scope(request))
        require(role(request), MANAGE)
        form = form_class(request.POST, **form_kwargs(request, meeting))
        save = lambda data: service(meeting=meeting, by=request.user, **data)  # noqa: E731
        return _small_form(request, meeting, form, save, message)

    return view


meeting_declare = _meeting_form_post(
    DeclarationForm,
    lambda request, meeting: {
        "people": committee_selectors.people_of_trust(**scope(request)),
        "items": meeting.items.all(),
    },
    services.declaration_record,
    "Declaration recorded.",
)
meeting_decide = _meeting_form_post(
    DecisionForm,
    lambda request, meeting: {"items": meeting.items.all()},
    services.decision_record,
    "Decision recorded.",
)
meeting_act = _meeting_form_post(
    ActionForm,
    lambda request, meeting: {
        "people": selectors.action_owners(meeting=meeting),
        "items": meeting.items.all(),
    },
    services.action_raise,
    "Action added to the action log.",
)
meeting_approve = _meeting_form_post(
    MinutesApproveForm,
    lambda request, meeting: {"meetings": meeting.committee.meetings.filter(starts_at__gt=meeting.starts_at)},
    services.minutes_approve,
    "Minutes approved: they are now frozen.",
)

meeting_history: HistoryPage[Meeting] = HistoryPage(get=selectors.meeting_get, back_url=_page)


# The agenda -------------------------------------------------------------------------------------------------------


def _item_form_kwargs(request: SignedInRequest, on: Any = None) -> dict[str, Any]:
    """The people who may present and the principal risks an agenda item may name, both of this trust."""
    return {
        "people": committee_selectors.people_of_trust(**scope(request)),
        "risks": committee_selectors.principal_risks_of(**scope(request)),
    }


item_create = CreatePage(
    parent=selectors.meeting_get,
    form=ItemForm,
    service=services.item_add,
    permission=MANAGE,
    template="committees/meetings/item_form.jinja",
    success_url=lambda item: _page(item.meeting),
    message=lambda item: f"Item {item.position} added to the agenda.",
    form_kwargs=_item_form_kwargs,
    context=lambda request, meeting: {"title": "Add an agenda item"},
)


item_edit: EditPage[AgendaItem] = EditPage(
    get=selectors.item_get,
    form=ItemForm,
    service=services.item_update,
    permission=MANAGE,
    template="committees/meetings/item_form.jinja",
    success_url=lambda item: _page(item.meeting),
    message="Agenda item saved.",
    form_kwargs=_item_form_kwargs,
    context=lambda request, item: {"meeting": item.meeting, "title": f"Change item {item.position}"},
)


@require_POST
def item_move(request: SignedInRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    up = request.POST.get("direction") != "down"
    return _act(
        request,
        item.meeting,
        lambda: services.item_move(item=item, by=request.user, up=up),
        f"{item.title} moved {'up' if up else 'down'}.",
    )


@require_POST
def item_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    return _act(
        request,
        item.meeting,
        lambda: services.item_remove(item=item, by=request.user),
        f"{item.title} taken off the agenda.",
    )


item_minute: EditPage[AgendaItem] = EditPage(
    get=selectors.item_get,
    form=MinuteForm,
    service=services.minute_record,
    permission=MANAGE,
    template="committees/meetings/minute_form.jinja",
    success_url=lambda item: _page(item.meeting) + f"#item-{item.pk}",
    message="Minute saved.",
    context=lambda request, item: {
        "meeting": item.meeting,
        "title": f"Minute of item {item.position}: {item.title}",
    },
)


# Decisions --------------------------------------------------------------------------------------------------------


def decision_list(request: SignedInRequest) -> HttpResponse:
    """The trust's decisions, searchable; a decision on a private item only for those who may see it."""
    form = DecisionSearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    decisions = list(selectors.decisions_search(text=text, **scope(request))[:200])
    return render(
        request, "committees/meetings/decisions.jinja", {"form": form, "decisions": decisions, "q": text}
    )


# Each person's meetings as an iCalendar feed ------------------------------------------------------------------------

# How far back the feed goes: the last quarter's meetings stay in a calendar, older ones drop out.
FEED_HISTORY = datetime.timedelta(days=92)


def meeting_calendar(request: SignedInRequest) -> HttpResponse:
    """The person's calendar address: made (shown once), made afresh or stopped."""
    address = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.calendar_feed_revoke(
                person=request.user, organisation=request.organisation, by=request.user
            )
            messages.success(request, "Your calendar address no longer works.")
            return redirect("meeting-calendar")
        _feed, raw = services.calendar_feed_create(
            person=request.user, organisation=request.organisation, by=request.user
        )
        address = site_url(reverse("meeting-calendar-feed", args=[raw]))
    active = selectors.calendar_feed_active(**scope(request))
    return render(request, "committees/meetings/calendar.jinja", {"address": address, "active": active})


def meeting_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings of the committees a person sits on, as iCalendar: the secret address is the credential."""
    now = timezone.now()
    meetings = selectors.calendar_feed_meetings(
        digest=services.feed_token_digest(token), since=now - FEED_HISTORY
    )
    if meetings is None:
        raise Http404("Not found.")
    body = meetings_calendar(
        meetings, host=request.get_host().split(":")[0], now=now, page_url=lambda m: site_url(_page(m))
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
