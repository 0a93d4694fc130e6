"""Committees' pages (issue 22, ADR 0056): the trust's tree of committees, a committee's page with its members,
terms of reference and meetings, and the governance team's pages to add and change them."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    HistoryPage,
    SignedInRequest,
    chosen,
    form_fields,
    form_page,
    initial_of,
    page_of,
    role,
    scope,
)

from ..forms.committees import CommitteeForm, MemberAddForm, MemberForm, TermsApproveForm, TermsForm
from ..models import Committee, CommitteeMember, TermsOfReference
from ..selectors import committees as selectors
from ..selectors import meetings as meeting_selectors
from ..services import committees as services

MANAGE = Permission.MANAGE_COMMITTEES


def committee_list(request: SignedInRequest) -> HttpResponse:
    """The trust's committees as a tree, the board at the top."""
    return render(
        request, "committees/committees/list.jinja", {"nodes": selectors.committee_tree(**scope(request))}
    )


def committee_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(pk=pk, **scope(request))
    page = selectors.committee_page(committee=committee, today=timezone.localdate())
    return render(request, "committees/committees/detail.jinja", {"committee": committee, "page": page})


def _committee_choices(request: SignedInRequest, exclude: int | None = None):
    rows = selectors.committees_for_user(**scope(request))
    return (rows.exclude(pk=exclude) if exclude is not None else rows).order_by("name")


committee_create = CreatePage(
    form=CommitteeForm,
    service=services.committee_create,
    permission=MANAGE,
    template="committees/committees/form.jinja",
    success_url=page_of("committee-detail"),
    message=lambda committee: f"{committee} added.",
    form_kwargs=lambda request, organisation: {"committees": _committee_choices(request)},
    context=lambda request, organisation: {"title": "Add a committee"},
)


committee_edit: EditPage[Committee] = EditPage(
    get=selectors.committee_get,
    form=CommitteeForm,
    service=services.committee_update,
    permission=MANAGE,
    template="committees/committees/form.jinja",
    success_url=page_of("committee-detail"),
    message="Committee saved.",
    form_kwargs=lambda request, committee: {"committees": _committee_choices(request, committee.pk)},
    context=lambda request, committee: {"title": f"Change {committee}"},
)


committee_history: HistoryPage[Committee] = HistoryPage(
    get=selectors.committee_get, back_url=lambda committee: reverse("committee-detail", args=[committee.pk])
)


def committee_actions(request: SignedInRequest, pk: int) -> HttpResponse:
    """The committee's rolling action log: owner, due date, status from the plan's position."""
    committee = selectors.committee_get(pk=pk, **scope(request))
    rows = meeting_selectors.action_log(committee=committee, user=request.user)
    return render(request, "committees/meetings/action_log.jinja", {"committee": committee, "rows": rows})


# Members ----------------------------------------------------------------------------------------------------------


member_add = CreatePage(
    parent=selectors.committee_get,
    form=MemberAddForm,
    service=services.member_add,
    permission=MANAGE,
    template="committees/committees/member_form.jinja",
    success_url=page_of("committee-detail", "committee_id"),
    message=lambda member: f"{member.person} seated on {member.committee}.",
    form_kwargs=lambda request, committee: {"people": selectors.people_of_trust(**scope(request))},
    context=lambda request, committee: {"title": f"Add a member to {committee}"},
)


member_edit: EditPage[CommitteeMember] = EditPage(
    get=selectors.member_get,
    form=MemberForm,
    service=services.member_update,
    permission=MANAGE,
    template="committees/committees/member_form.jinja",
    success_url=page_of("committee-detail", "committee_id"),
    message="Member saved.",
    context=lambda request, member: {
        "committee": member.committee,
        "title": f"Change {member.person}'s place",
    },
)


# Terms of reference -----------------------------------------------------------------------------------------------


def terms_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """Draft the next version, opened on the latest one's text so only the changes need typing."""
    committee = selectors.committee_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    latest = committee.terms.order_by("-number").first()
    names = form_fields(TermsForm)
    initial = initial_of(latest, names) if latest else {}
    initial.pop("version", None)
    initial.pop("next_review_on", None)
    form = TermsForm(
        request.POST or None, initial=initial, risks=selectors.principal_risks_of(**scope(request))
    )
    return form_page(
        request,
        form,
        template="committees/committees/terms_form.jinja",
        save=lambda data: services.terms_draft(committee=committee, by=request.user, **chosen(names, data)),
        success_url=lambda terms: reverse("committee-terms-detail", args=[terms.pk]),
        message=lambda terms: f"Version {terms.number} drafted: it is in force once the board approves it.",
        context={"committee": committee, "title": f"Draft new terms of reference for {committee}"},
    )


def terms_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A version of the terms of reference with what changed since the version before."""
    terms = selectors.terms_get(pk=pk, **scope(request))
    before = terms.committee.terms.filter(number__lt=terms.number).order_by("-number").first()
    return render(
        request,
        "committees/committees/terms_detail.jinja",
        {
            "terms": terms,
            "committee": terms.committee,
            "before": before,
            "changes": selectors.terms_compare(before, terms),
            "risks": list(terms.risks.all()),
            "versions": list(terms.committee.terms.order_by("-number")),
        },
    )


terms_edit: EditPage[TermsOfReference] = EditPage(
    get=selectors.terms_get,
    form=TermsForm,
    service=services.terms_update,
    permission=MANAGE,
    template="committees/committees/terms_form.jinja",
    success_url=page_of("committee-terms-detail"),
    message="Draft saved.",
    form_kwargs=lambda request, terms: {"risks": selectors.principal_risks_of(**scope(request))},
    context=lambda request, terms: {
        "committee": terms.committee,
        "title": f"Change draft version {terms.number} of the terms of reference",
    },
)


def terms_approve(request: SignedInRequest, pk: int) -> HttpResponse:
    terms = selectors.terms_get(pk=pk, **scope(request))
    require(role(request), MANAGE)
    board = selectors.committees_for_user(**scope(request)).filter(kind="board").first()
    form = TermsApproveForm(
        request.POST or None,
        initial={"version": terms.version, "approved_by": board.pk if board else None},
        committees=_committee_choices(request),
    )
    return form_page(
        request,
        form,
        template="committees/committees/terms_approve.jinja",
        save=lambda data: services.terms_approve(
            terms=terms,
            by=request.user,
            expected_version=data.get("version"),
            **chosen(form_fields(TermsApproveForm), data),
        ),
        success_url=reverse("committee-terms-detail", args=[pk]),
        message="Approval recorded: this version is now frozen.",
        context={
            "terms": terms,
            "committee": terms.committee,
            "title": f"Record the board's approval of {terms}",
        },
    )
