"""The lead committee texts typed on risks before committees existed, each with the committee it matches (ADR 0062):
what the administrator confirms before the texts become links."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from wellled.core.models import Organisation, User
from wellled.core.selectors import scoped
from wellled.risks.committee_names import committee_index, match, normalise
from wellled.risks.models import Risk

from ..models import Committee


@dataclass(frozen=True)
class LinkProposal:
    """One distinct text, how many risks carry it unlinked, and the committee it matches (None: no match)."""

    text: str
    risks: int
    committee: Committee | None


def link_proposals(*, user: User, organisation: Organisation) -> list[LinkProposal]:
    """Every distinct lead committee text on risks not yet linked to a committee, with its match."""
    committees = scoped(Committee.objects.filter(active=True), user=user, organisation=organisation)
    index = committee_index(committees)
    texts = (
        scoped(Risk.objects.filter(committee__isnull=True), user=user, organisation=organisation)
        .exclude(lead_committee="")
        .values("lead_committee")
        .annotate(n=Count("pk"))
        .order_by("lead_committee")
    )
    return [
        LinkProposal(row["lead_committee"], row["n"], match(row["lead_committee"], index)) for row in texts
    ]


__all__ = ["LinkProposal", "committee_index", "link_proposals", "match", "normalise"]
