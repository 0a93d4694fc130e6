"""A committee's name as governance teams write it, reduced to what identifies it (ADR 0062): how a typed lead
committee text is matched to a committee, both when the administrator links the BAF's texts (committees.selectors.
links) and when a register workbook names a lead committee. Here, below committees, so the risks app can match
without importing committees (committees are passed in, as any objects with `name` and `short_name`)."""

from __future__ import annotations

import re
from typing import Any

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


def committee_index(committees) -> dict[str, Any]:
    """Each committee under its normalised name and short name; with and without the word 'committee'."""
    index: dict[str, Any] = {}
    for committee in committees:
        for name in (committee.name, committee.short_name):
            key = normalise(name)
            if key:
                index.setdefault(key, committee)
                index.setdefault(key.replace(" committee", "").strip(), committee)
    return index


def match(text: str, index: dict[str, Any]) -> Any:
    key = normalise(text)
    return index.get(key) or index.get(key.replace(" committee", "").strip())
