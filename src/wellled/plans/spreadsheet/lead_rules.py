"""Leads written as initials, names or several of either, matched to the organisation's people or invited."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from wellled.core.models import User

from .limits import MAX_INITIALS_LENGTH

LEAD_SEPARATOR_RE = re.compile(r"\s*(?:/|,|;|&|\+|\n|\band\b)\s*", re.IGNORECASE)
LEAD_NOTES = frozenset(
    {
        "varied",
        "various",
        "all",
        "all leads",
        "all directors",
        "all executives",
        "all execs",
        "exec team",
        "executive team",
        "executives",
        "board",
        "tbc",
        "tba",
        "n/a",
        "multiple",
        "shared",
    }
)
INITIALS_RE = re.compile(r"^[A-Za-z][A-Za-z'’.\-]{0,7}$")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z'’.\-]*(?: [A-Za-z][A-Za-z'’.\-]*){1,2}$")  # two or three names
BRACKETED_RE = re.compile(r"\(([^()]*)\)")  # '(Estates team)': a note about who leads, not a person


def split_leads(text: str) -> tuple[list[str], str]:
    """The lead tokens in the order written ('DMc / AK / MS'), or a note when no single person leads ('Varied')."""
    text = text.strip()
    if text.lower().strip(".") in LEAD_NOTES:
        return [], text
    notes = [n.strip() for n in BRACKETED_RE.findall(text) if n.strip()]
    tokens: list[str] = []
    note = notes[0] if notes else ""
    for part in LEAD_SEPARATOR_RE.split(BRACKETED_RE.sub(" ", text)):
        part = " ".join(part.split())
        if not part:
            continue
        if part.lower() in LEAD_NOTES:
            note = note or part
        elif part.casefold() not in (t.casefold() for t in tokens):
            tokens.append(part)
    return tokens, note


@dataclass
class Invitee:
    """Someone a file names as a lead who is not in the organisation: they are invited (a lead, no password)."""

    token: str
    initials: str
    first_name: str = ""
    last_name: str = ""
    rows: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.token.casefold()

    @property
    def display(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.initials})" if name else self.initials


def invitee_for(token: str) -> Invitee | None:
    """Who to invite for an unknown lead: initials as written, or a name with its initials; None if neither."""
    if NAME_RE.match(token) and len(token) <= 150:
        first, last = token.split(" ", 1)
        initials = "".join(w[0] for w in token.split()).upper()[:MAX_INITIALS_LENGTH]
        return Invitee(token=token, initials=initials, first_name=first, last_name=last)
    if INITIALS_RE.match(token):
        return Invitee(token=token, initials=token)
    return None


class PeopleIndex:
    """The organisation's people, found by initials (as boards print them), full name, username or e-mail."""

    def __init__(self, people: list[User]):
        self._by_key: dict[str, list[User]] = defaultdict(list)
        for person in people:
            keys = {
                person.display_initials.casefold(),
                person.get_full_name().casefold(),
                person.username.casefold(),
                (person.email or "").casefold(),
            }
            for key in keys - {""}:
                self._by_key[key].append(person)

    def find(self, token: str) -> list[User]:
        """Everyone the token could mean; several only if it is ambiguous even with case taken into account."""
        found = self._by_key.get(" ".join(token.split()).casefold(), [])
        if len(found) > 1:
            exact = [p for p in found if p.display_initials == token]
            return exact if len(exact) == 1 else found
        return found
