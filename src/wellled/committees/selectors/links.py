"""The lead committee texts typed on risks before committees existed, each with the committee it matches (ADR 0062):
what the administrator confirms before the texts become links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count

from wellled.core.models import Organisation, User
from wellled.core.selectors import scoped
from wellled.risks.models import Risk

from ..models import Committee

# Abbreviations governance teams write for the words in committee names, as they appear in trusts' BAFs.
ABBREVIATIONS = {
    "cttee": "committee",
    "ctte": "committee",
    "cttees": "committee",
    "cmte": "committee",
    "comm": "committee",
    "ctee": "committee",
    "grp": "group",
    "subcommittee": "sub committee",
    "perf": "performance",
    "fin": "finance",
}
# Words that do not tell one committee from another.
IGNORED = frozenset({"the", "of", "trust", "s"})


def normalise(text: str) -> str:
    """A committee name reduced to what identifies it: '&' read as 'and', case, punctuation and abbreviations
    ignored ('Quality & Safety Cttee' and 'quality and safety committee' are the same)."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split()
    expanded = " ".join(ABBREVIATIONS.get(w, w) for w in words).split()
    return " ".join(w for w in expanded if w not in IGNORED)


@dataclass(frozen=True)
class LinkProposal:
    """One distinct text, how many risks carry it unlinked, and the committee it matches (None: no match)."""

    text: str
    risks: int
    committee: Committee | None


def committee_index(committees) -> dict[str, Committee]:
    """Each committee under its normalised name and short name; with and without the word 'committee'."""
    index: dict[str, Committee] = {}
    for committee in committees:
        for name in (committee.name, committee.short_name):
            key = normalise(name)
            if key:
                index.setdefault(key, committee)
                index.setdefault(key.replace(" committee", "").strip(), committee)
    return index


def match(text: str, index: dict[str, Committee]) -> Committee | None:
    key = normalise(text)
    return index.get(key) or index.get(key.replace(" committee", "").strip())


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
