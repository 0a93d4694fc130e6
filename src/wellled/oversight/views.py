"""Oversight pages. For an oversight body's people: a trust of its portfolio, with the body's status history, exit
criteria, judgements, evidence, notes and the trust's improvement board meetings, and the forms that write them.
For a trust's people: their own oversight status and exit criteria (read-only) and their improvement board
meetings (written by the trust's governance editors)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wellled.core.middleware import SESSION_ORGANISATION_KEY
from wellled.core.models import Organisation
from wellled.core.permissions import Permission, require
from wellled.core.selectors import membership_get, organisation_people
from wellled.core.view_kit import SignedInRequest, form_page, role, scope

from . import selectors, services
from .forms import (
    AgendaItemForm,
    CriterionForm,
    EvidenceForm,
    JudgementForm,
    MeetingActionForm,
    MeetingForm,
    NoteForm,
    StatusForm,
)


def _trust_url(trust: Organisation | int) -> str:
    return reverse("oversight-trust", args=[trust if isinstance(trust, int) else trust.pk])


# The oversight body's pages --------------------------------------------------------------------------------------


def oversight_home(request: SignedInRequest) -> HttpResponse:
    """In an oversight body: the trusts it oversees today. In a trust: its own oversight page."""
    if request.organisation.is_oversight_body:
        trusts = list(selectors.overseen_trusts(**scope(request)))
        return render(request, "oversight/body_home.jinja", {"trusts": trusts})
    statuses = selectors.trust_statuses(**scope(request))
    meetings = selectors.meetings_for_user(**scope(request))
    return render(
        request,
        "oversight/trust_home.jinja",
        {
            "statuses": statuses,
            "current": selectors.current_status(statuses),
            "criteria": selectors.criterion_rows(selectors.trust_criteria(**scope(request))),
            "meetings": selectors.meeting_rows(meetings),
            "evidence_urls": selectors.EVIDENCE_URL_NAMES,
        },
    )


def trust_oversight(request: SignedInRequest, pk: int) -> HttpResponse:
    """A trust of the body's portfolio: everything the body keeps about it, and the trust's meetings."""
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    statuses = selectors.body_statuses(trust=trust, **scope(request))
    criteria = selectors.body_criteria(**scope(request)).filter(trust=trust)
    meetings = selectors.meetings_for_user(user=request.user, organisation=trust)
    return render(
        request,
        "oversight/trust_oversight.jinja",
        {
            "trust": trust,
            "statuses": statuses,
            "current": selectors.current_status(statuses),
            "criteria": selectors.criterion_rows(criteria),
            "notes": selectors.body_notes(trust=trust, **scope(request)),
            "meetings": selectors.meeting_rows(meetings),
        },
    )


def status_record(request: SignedInRequest, pk: int) -> HttpResponse:
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    # The form starts from the position standing today: a change is usually to one or two of its fields.
    current = selectors.current_status(selectors.body_statuses(trust=trust, **scope(request)))
    initial = {}
    if current is not None:
        fields = ("segment", "programme", "programme_entered_on", "programme_exited_on", "buddy_organisation")
        initial = {f: getattr(current, f) for f in fields}
        initial.update(
            improvement_director=current.improvement_director_id,
            improvement_funding=current.improvement_funding,
        )
    form = StatusForm(request.POST or None, initial=initial, people=organisation_people(**scope(request)))
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.oversight_status_record(
            oversight_body=request.organisation, trust=trust, by=request.user, **data
        ),
        success_url=_trust_url(trust) + "#status",
        message="Oversight status recorded.",
        context={"title": "Record the oversight status", "trust": trust, "button": "Record the status"},
    )


def criterion_create(request: SignedInRequest, pk: int) -> HttpResponse:
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    form = CriterionForm(request.POST or None)
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.exit_criterion_create(
            oversight_body=request.organisation,
            trust=trust,
            by=request.user,
            reference=data["reference"],
            title=data["title"],
            description=data["description"],
            agreed_on=data["agreed_on"],
        ),
        success_url=_trust_url(trust) + "#criteria",
        message=lambda criterion: f"Exit criterion {criterion.reference} added.",
        context={"title": "Add an exit criterion", "trust": trust, "button": "Add the criterion"},
    )


def criterion_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    criterion = selectors.body_criterion_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    initial = {
        "version": criterion.version,
        "reference": criterion.reference,
        "title": criterion.title,
        "description": criterion.description,
        "agreed_on": criterion.agreed_on,
    }
    form = CriterionForm(request.POST or None, initial=initial)
    fields = ("reference", "title", "description", "agreed_on")
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.exit_criterion_update(
            criterion=criterion,
            by=request.user,
            expected_version=data["version"],
            **{f: data[f] for f in fields},
        ),
        success_url=_trust_url(criterion.trust) + "#criteria",
        message="Exit criterion saved.",
        context={
            "title": f"Edit exit criterion {criterion.reference}",
            "trust": criterion.trust,
            "button": "Save the criterion",
        },
    )


def judgement_record(request: SignedInRequest, pk: int) -> HttpResponse:
    criterion = selectors.body_criterion_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    form = JudgementForm(request.POST or None)
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.exit_criterion_judgement_record(
            criterion=criterion, by=request.user, **data
        ),
        success_url=_trust_url(criterion.trust) + f"#criterion-{criterion.pk}",
        message=lambda row: f"{criterion.reference} judged {row.get_judgement_display().lower()}.",
        context={
            "title": f"Judge {criterion.reference}: {criterion.title}",
            "trust": criterion.trust,
            "criterion": criterion,
            "button": "Record the judgement",
        },
    )


def evidence_add(request: SignedInRequest, pk: int) -> HttpResponse:
    criterion = selectors.body_criterion_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    choices = selectors.evidence_choices(user=request.user, trust=criterion.trust)
    form = EvidenceForm(request.POST or None, choices=choices)
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.exit_criterion_evidence_add(
            criterion=criterion, by=request.user, kind=data["evidence"][0], object_id=data["evidence"][1]
        ),
        success_url=_trust_url(criterion.trust) + f"#criterion-{criterion.pk}",
        message=lambda evidence: f"{evidence.label} added as evidence for {criterion.reference}.",
        context={
            "title": f"Add evidence for {criterion.reference}",
            "trust": criterion.trust,
            "criterion": criterion,
            "button": "Add the evidence",
        },
    )


@require_POST
def evidence_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    evidence = selectors.body_evidence_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    trust_id = evidence.criterion.trust_id
    services.exit_criterion_evidence_remove(evidence=evidence, by=request.user)
    messages.success(request, f"{evidence.label} is no longer evidence for {evidence.criterion.reference}.")
    return redirect(_trust_url(trust_id) + f"#criterion-{evidence.criterion_id}")


@require_POST
def evidence_open(request: SignedInRequest, pk: int) -> HttpResponse:
    """Open the trust's record that is evidence: work in the trust (read-only, lent by the portfolio) and go to
    its page, which belongs to the trust rather than to the body."""
    evidence = selectors.body_evidence_get(pk=pk, **scope(request))
    membership = membership_get(user=request.user, organisation=evidence.criterion.trust_id)
    if membership is None:
        raise Http404("Not found.")
    request.session[SESSION_ORGANISATION_KEY] = membership.organisation_id
    return redirect(reverse(selectors.EVIDENCE_URL_NAMES[evidence.kind], args=[evidence.object_id]))


def note_add(request: SignedInRequest, pk: int) -> HttpResponse:
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    form = NoteForm(request.POST or None)
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=lambda data: services.oversight_note_add(
            oversight_body=request.organisation, trust=trust, by=request.user, **data
        ),
        success_url=_trust_url(trust) + "#notes",
        message="Note kept.",
        context={"title": f"Add a note about {trust.name}", "trust": trust, "button": "Keep the note"},
    )


# The trust's improvement board meetings --------------------------------------------------------------------------


def _meeting_url(meeting) -> str:
    return reverse("meeting-detail", args=[meeting.pk])


def meeting_create(request: SignedInRequest) -> HttpResponse:
    if request.organisation.is_oversight_body:
        raise Http404("Not found.")
    require(role(request), Permission.MANAGE_PLANS)
    form = MeetingForm(request.POST or None)
    fields = ("held_on", "status", "chair", "attendees", "minutes")
    return form_page(
        request,
        form,
        template="oversight/meeting_form.jinja",
        save=lambda data: services.meeting_create(
            organisation=request.organisation, by=request.user, **{f: data[f] for f in fields}
        ),
        success_url=_meeting_url,
        message="Improvement board meeting added.",
        context={"title": "Add an improvement board meeting", "button": "Add the meeting"},
    )


def meeting_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    (row,) = selectors.meeting_rows([meeting])
    return render(request, "oversight/meeting_detail.jinja", {"row": row, "meeting": row.meeting})


def meeting_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    fields = ("held_on", "status", "chair", "attendees", "minutes")
    initial = {"version": meeting.version, **{f: getattr(meeting, f) for f in fields}}
    form = MeetingForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        template="oversight/meeting_form.jinja",
        save=lambda data: services.meeting_update(
            meeting=meeting, by=request.user, expected_version=data["version"], **{f: data[f] for f in fields}
        ),
        success_url=_meeting_url(meeting),
        message="Meeting saved.",
        context={"title": f"Edit the {meeting}", "meeting": meeting, "button": "Save the meeting"},
    )


def agenda_item_add(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = AgendaItemForm(request.POST or None)
    return form_page(
        request,
        form,
        template="oversight/meeting_form.jinja",
        save=lambda data: services.agenda_item_add(meeting=meeting, by=request.user, **data),
        success_url=_meeting_url(meeting) + "#agenda",
        message="Agenda item added.",
        context={"title": "Add an agenda item", "meeting": meeting, "button": "Add the item"},
    )


def meeting_action_raise(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = MeetingActionForm(
        request.POST or None,
        plans=selectors.meeting_plans(**scope(request)),
        people=organisation_people(**scope(request)),
    )
    return form_page(
        request,
        form,
        template="oversight/meeting_form.jinja",
        save=lambda data: services.meeting_action_raise(meeting=meeting, by=request.user, **data),
        success_url=_meeting_url(meeting) + "#actions",
        message=lambda action: f"Action {action.reference} raised in {action.plan.name}.",
        context={
            "title": "Raise an action",
            "meeting": meeting,
            "button": "Raise the action",
            "hint": "The action goes into the plan you choose, where its lead updates it like any other.",
        },
    )
