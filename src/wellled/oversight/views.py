"""Oversight pages. For an oversight body's people: a trust of its portfolio, with the body's status history, exit
criteria, judgements, evidence, notes and the trust's improvement board meetings, and the forms that write them.
For a trust's people: their own oversight status and exit criteria (read-only) and their improvement board
meetings (written by the trust's governance editors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wellled.core.formatting import long_date
from wellled.core.middleware import SESSION_ORGANISATION_KEY
from wellled.core.models import Organisation
from wellled.core.permissions import Permission, require
from wellled.core.selectors import membership_get, organisation_people, people_who_can_act
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    SignedInRequest,
    chosen,
    form_fields,
    form_page,
    register_upload_page,
    role,
    scope,
    xlsx_download,
)
from wellled.measures.selectors import ASSURANCE_NAMES

from . import register, selectors, services
from .forms import (
    AgendaItemForm,
    CriteriaImportForm,
    CriterionForm,
    DecisionForm,
    EvidenceForm,
    JudgementForm,
    MeetingActionForm,
    MeetingForm,
    NoteForm,
    RecommendationForm,
    RegulatoryActionForm,
    StatusForm,
)
from .models import ExitCriterion, ImprovementBoardMeeting


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
    criteria = selectors.criterion_rows(selectors.trust_criteria(**scope(request)))
    return render(
        request,
        "oversight/trust_home.jinja",
        {
            "statuses": statuses,
            "current": selectors.current_status(statuses),
            "criteria": criteria,
            "measure_summaries": selectors.evidence_measure_summaries(user=request.user, rows=criteria),
            "assurance_names": ASSURANCE_NAMES,
            "regulatory": list(selectors.trust_regulatory_actions(**scope(request))),
            "recommendations": list(selectors.trust_recommendations(**scope(request))),
            "meetings": selectors.meeting_rows(meetings),
            "evidence_urls": selectors.EVIDENCE_URL_NAMES,
        },
    )


def trust_oversight(request: SignedInRequest, pk: int) -> HttpResponse:
    """A trust of the body's portfolio: everything the body keeps about it, and the trust's meetings."""
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    statuses = selectors.body_statuses(trust=trust, **scope(request))
    criteria = selectors.criterion_rows(selectors.body_criteria(**scope(request)).filter(trust=trust))
    meetings = selectors.meetings_for_user(user=request.user, organisation=trust)
    return render(
        request,
        "oversight/trust_oversight.jinja",
        {
            "trust": trust,
            "statuses": statuses,
            "current": selectors.current_status(statuses),
            "criteria": criteria,
            "measure_summaries": selectors.evidence_measure_summaries(user=request.user, rows=criteria),
            "assurance_names": ASSURANCE_NAMES,
            "regulatory": list(selectors.body_regulatory_actions(**scope(request)).filter(trust=trust)),
            "recommendations": list(selectors.body_recommendations(**scope(request)).filter(trust=trust)),
            "notes": selectors.body_notes(trust=trust, **scope(request)),
            "meetings": selectors.meeting_rows(meetings),
        },
    )


def _body_form(
    request: SignedInRequest,
    form: forms.BaseForm,
    *,
    trust: Organisation,
    save: Callable[[dict[str, Any]], Any],
    anchor: str,
    message: str | Callable[[Any], str],
    title: str,
    button: str,
    **context: Any,
) -> HttpResponse:
    """One of the body's forms about a trust: saved through `save`, then back to the trust's page at `anchor`."""
    return form_page(
        request,
        form,
        template="oversight/form.jinja",
        save=save,
        success_url=_trust_url(trust) + anchor,
        message=message,
        context={"title": title, "trust": trust, "button": button, **context},
    )


def _overseen_trust(request: SignedInRequest, pk: int) -> Organisation:
    """A trust of the body's portfolio today, for someone who may manage the body's oversight records."""
    trust = selectors.overseen_trust_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    return trust


def _trust_page(
    form: type[forms.BaseForm],
    service: Callable[..., Any],
    *,
    title: str | Callable[[Organisation], str],
    form_kwargs: Callable[[SignedInRequest, Organisation], dict[str, Any]] = lambda request, trust: {},
    **page: Any,
) -> Callable[[SignedInRequest, int], HttpResponse]:
    """A page adding a record the body keeps about a trust: the form's fields go to `service` with the body, the
    trust and the user, then back to the trust's page."""

    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        trust = _overseen_trust(request, pk)
        return _body_form(
            request,
            form(request.POST or None, **form_kwargs(request, trust)),
            trust=trust,
            save=lambda data: service(
                oversight_body=request.organisation,
                trust=trust,
                by=request.user,
                **chosen(form_fields(form), data),
            ),
            title=title(trust) if callable(title) else title,
            **page,
        )

    return view


def _trust_edit_page(
    get: Callable[..., Any],
    form: type[forms.BaseForm],
    service: Callable[..., Any],
    *,
    noun: str,
    anchor: str,
    title: Callable[[Any], str],
    message: str | Callable[[Any], str],
    button: str,
) -> EditPage[Any]:
    """A page changing a record the body keeps about a trust (it has a `trust`), for someone who may manage the
    body's oversight records; saved, back to the trust's page at `anchor`."""
    return EditPage[Any](
        get=get,
        form=form,
        service=service,
        noun=noun,
        permission=Permission.MANAGE_OVERSIGHT,
        template="oversight/form.jinja",
        title=title,
        success_url=lambda record: _trust_url(record.trust) + anchor,
        message=message,
        context=lambda request, record: {"trust": record.trust, "button": button},
    )


def _criterion(request: SignedInRequest, pk: int) -> ExitCriterion:
    """One of the body's exit criteria, for someone who may manage the body's oversight records."""
    criterion = selectors.body_criterion_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_OVERSIGHT)
    return criterion


def _status_start(request: SignedInRequest, trust: Organisation) -> dict[str, Any]:
    """The status form starts from the position standing today: a change is usually to one or two of its fields."""
    current = selectors.current_status(selectors.body_statuses(trust=trust, **scope(request)))
    initial = {}
    if current is not None:
        fields = (
            "segment",
            "programme",
            "programme_entered_on",
            "programme_exited_on",
            "buddy_organisation",
            "financial_override",
        )
        initial = {f: getattr(current, f) for f in fields}
        initial.update(
            improvement_director=current.improvement_director_id,
            improvement_funding=current.improvement_funding,
        )
    return {"initial": initial, "people": organisation_people(**scope(request))}


status_record = _trust_page(
    StatusForm,
    services.oversight_status_record,
    form_kwargs=_status_start,
    anchor="#status",
    message="Oversight status recorded.",
    title="Record the oversight status",
    button="Record the status",
)


criterion_create = _trust_page(
    CriterionForm,
    services.exit_criterion_create,
    anchor="#criteria",
    message=lambda criterion: f"Exit criterion {criterion.reference} added.",
    title="Add an exit criterion",
    button="Add the criterion",
)


criterion_edit = _trust_edit_page(
    selectors.body_criterion_get,
    CriterionForm,
    services.exit_criterion_update,
    noun="criterion",
    anchor="#criteria",
    title=lambda criterion: f"Edit exit criterion {criterion.reference}",
    message="Exit criterion saved.",
    button="Save the criterion",
)


def judgement_record(request: SignedInRequest, pk: int) -> HttpResponse:
    """Judge a criterion, with its evidence measures' SPC summaries and its run of "met" so far in view."""
    criterion = _criterion(request, pk)
    rows = selectors.criterion_rows(selectors.body_criteria(**scope(request)).filter(pk=criterion.pk))
    summaries = selectors.evidence_measure_summaries(user=request.user, rows=rows)
    return _body_form(
        request,
        JudgementForm(request.POST or None),
        trust=criterion.trust,
        save=lambda data: services.exit_criterion_judgement_record(
            criterion=criterion, by=request.user, **data
        ),
        anchor=f"#criterion-{criterion.pk}",
        message=lambda row: f"{criterion.reference} judged {row.get_judgement_display().lower()}.",
        title=f"Judge {criterion.reference}: {criterion.title}",
        button="Record the judgement",
        criterion=criterion,
        sustained=rows[0].now if rows else None,
        evidence_spc=[(e, summaries[e.pk]) for e in (rows[0].evidence if rows else ()) if e.pk in summaries],
        assurance_names=ASSURANCE_NAMES,
    )


def evidence_add(request: SignedInRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    choices = selectors.evidence_choices(user=request.user, trust=criterion.trust)
    return _body_form(
        request,
        EvidenceForm(request.POST or None, choices=choices),
        trust=criterion.trust,
        save=lambda data: services.exit_criterion_evidence_add(
            criterion=criterion, by=request.user, kind=data["evidence"][0], object_id=data["evidence"][1]
        ),
        anchor=f"#criterion-{criterion.pk}",
        message=lambda evidence: f"{evidence.label} added as evidence for {criterion.reference}.",
        title=f"Add evidence for {criterion.reference}",
        button="Add the evidence",
        criterion=criterion,
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


# Regulatory action and exit ----------------------------------------------------------------------------------


regulatory_action_record = _trust_page(
    RegulatoryActionForm,
    services.regulatory_action_record,
    anchor="#regulatory",
    message=lambda action: f"{action.get_kind_display()} recorded.",
    title=lambda trust: f"Record regulatory action against {trust.name}",
    button="Record the action",
)


regulatory_action_edit = _trust_edit_page(
    selectors.body_regulatory_action_get,
    RegulatoryActionForm,
    services.regulatory_action_update,
    noun="action",
    anchor="#regulatory",
    title=lambda action: f"Change the {action.get_kind_display()} of {long_date(action.issued_on)}",
    message="Regulatory action saved.",
    button="Save the action",
)


exit_recommend = _trust_page(
    RecommendationForm,
    services.exit_recommend,
    anchor="#exit",
    message="Exit recommended: record the decision when it is made.",
    title=lambda trust: f"Recommend that {trust.name} leave intensive support",
    button="Record the recommendation",
)


exit_decide = _trust_edit_page(
    selectors.body_recommendation_get,
    DecisionForm,
    services.exit_decide,
    noun="recommendation",
    anchor="#exit",
    title=lambda rec: f"Decide on the exit recommended for {rec.trust.name}",
    message=lambda rec: f"Exit {rec.get_decision_display().lower()}.",
    button="Record the decision",
)


note_add = _trust_page(
    NoteForm,
    services.oversight_note_add,
    anchor="#notes",
    message="Note kept.",
    title=lambda trust: f"Add a note about {trust.name}",
    button="Keep the note",
)


# The trust's improvement board meetings --------------------------------------------------------------------------


def _meeting_url(meeting: ImprovementBoardMeeting) -> str:
    return reverse("meeting-detail", args=[meeting.pk])


def meeting_create(request: SignedInRequest) -> HttpResponse:
    if request.organisation.is_oversight_body:
        raise Http404("Not found.")
    require(role(request), Permission.MANAGE_PLANS)
    form = MeetingForm(request.POST or None)
    return form_page(
        request,
        form,
        template="oversight/meeting_form.jinja",
        save=lambda data: services.meeting_create(
            organisation=request.organisation, by=request.user, **chosen(form_fields(MeetingForm), data)
        ),
        success_url=_meeting_url,
        message="Improvement board meeting added.",
        context={"title": "Add an improvement board meeting", "button": "Add the meeting"},
    )


def meeting_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    (row,) = selectors.meeting_rows([meeting])
    return render(request, "oversight/meeting_detail.jinja", {"row": row, "meeting": row.meeting})


meeting_edit = EditPage[ImprovementBoardMeeting](
    get=selectors.meeting_get,
    form=MeetingForm,
    service=services.meeting_update,
    permission=Permission.MANAGE_PLANS,
    template="oversight/meeting_form.jinja",
    title=lambda meeting: f"Edit the {meeting}",
    success_url=_meeting_url,
    message="Meeting saved.",
    context=lambda request, meeting: {"button": "Save the meeting"},
)

agenda_item_add = CreatePage(
    parent=selectors.meeting_get,
    form=AgendaItemForm,
    service=services.agenda_item_add,
    permission=Permission.MANAGE_PLANS,
    template="oversight/meeting_form.jinja",
    title="Add an agenda item",
    success_url=lambda item: _meeting_url(item.meeting) + "#agenda",
    message="Agenda item added.",
    context=lambda request, meeting: {"button": "Add the item"},
)


def meeting_action_raise(request: SignedInRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = MeetingActionForm(
        request.POST or None,
        plans=selectors.meeting_plans(**scope(request)),
        # Who may lead the action: people who can act on actions they lead (core.selectors.people_who_can_act).
        people=people_who_can_act(**scope(request), permissions=[Permission.UPDATE_OWN_ACTION]),
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


def _body_only(request: SignedInRequest) -> None:
    if not request.organisation.is_oversight_body:
        raise Http404("Only an oversight body keeps exit criteria for its trusts.")


def criteria_export(request: SignedInRequest) -> HttpResponse:
    """The body's exit criteria and their evidence as a workbook, in the layout the import reads."""
    _body_only(request)
    require(role(request), Permission.VIEW)
    content = register.criteria_export(user=request.user, organisation=request.organisation)
    return xlsx_download(request, content, "exit-criteria")


def criteria_import(request: SignedInRequest) -> HttpResponse:
    """Upload the exit criteria workbook: check it (the differences sheet by sheet, row by row), then import it."""
    _body_only(request)
    require(role(request), Permission.MANAGE_OVERSIGHT)
    return register_upload_page(
        request,
        CriteriaImportForm,
        register.criteria_import,
        template="oversight/criteria_import.jinja",
        title="Import exit criteria and evidence",
        success_url=reverse("oversight-home"),
        noun="exit criterion",
    )
