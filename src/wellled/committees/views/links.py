"""Linking the risks' lead committee texts to committees (ADR 0062): the administrator sees each distinct text with
the committee it matches, changes any match, and confirms."""

from __future__ import annotations

from django.http import HttpResponse

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, form_page, role, scope

from ..forms.reports import LinkRisksForm
from ..selectors.committees import committees_for_user
from ..selectors.links import link_proposals
from ..services.links import risks_link
from .reports import member_require


def link_risks(request: SignedInRequest) -> HttpResponse:
    member_require(request)
    require(role(request), Permission.MANAGE_ORGANISATION)
    proposals = link_proposals(**scope(request))
    form = LinkRisksForm(
        request.POST or None,
        proposals=proposals,
        committees=committees_for_user(**scope(request)).filter(active=True),
    )
    return form_page(
        request,
        form,
        template="committees/reports/link_risks.jinja",
        save=lambda data: risks_link(
            organisation=request.organisation, by=request.user, chosen=form.chosen()
        ),
        success_url=request.path,
        message=lambda n: f"Linked {n} risk{'' if n == 1 else 's'} to their committees.",
        context={"proposals": proposals, "page_title": "Link risks to committees"},
    )
