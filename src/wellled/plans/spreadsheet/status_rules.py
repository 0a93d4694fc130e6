"""Delivery statuses in any common spelling (codes, colours, labels) and "UPDATE AWAITED"."""

from __future__ import annotations

import re

from wellled.core.models import DeliveryStatus

from .problems import STATUS_NOT_IN_USE, STATUS_UNKNOWN

COLOUR_LETTERS = {"red": "R", "amber": "A", "green": "G", "blue": "B", "r": "R", "a": "A", "g": "G", "b": "B"}
STATUS_FILLER = frozenset({"complete", "completed", "status", "rag", "delivered", "assured", "and", "rated"})
NO_STATUS = frozenset({"-", "–", "—", "n/a", "na", "tbc", "none"})


class StatusError(ValueError):
    """A status that is not on the organisation's scale; the message says which are."""


def status_key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def match_status(text: str, scale: list[DeliveryStatus], organisation_name: str) -> DeliveryStatus | None:
    """The scale's status for 'A/G', 'AG', 'Amber/Green', 'amber-green', 'G', 'green', 'Blue/complete', a label
    ('On track'), or None for a blank; raises StatusError for anything else or a status no longer in use."""
    text = " ".join(text.split())
    if not text or text.lower() in NO_STATUS:
        return None
    by_key = {status_key(s.code): s for s in scale}
    found = by_key.get(status_key(text))
    if found is None:
        words = [w for w in re.split(r"[\s/\-–—+&,]+", text.lower()) if w]
        letters = [COLOUR_LETTERS[w] for w in words if w in COLOUR_LETTERS]
        if letters and all(w in COLOUR_LETTERS or w in STATUS_FILLER for w in words):
            found = by_key.get("".join(letters))
    if found is None:
        found = next((s for s in scale if s.label.lower() == text.lower()), None)
    active = ", ".join(s.code for s in scale if s.active)
    if found is None:
        raise StatusError(STATUS_UNKNOWN.format(text=text, organisation=organisation_name, codes=active))
    if not found.active:
        raise StatusError(
            STATUS_NOT_IN_USE.format(code=found.code, organisation=organisation_name, codes=active)
        )
    return found


UPDATE_AWAITED_RE = re.compile(r"\bupdate\s+awaited\b[.!]?", re.IGNORECASE)


def split_update_awaited(text: str) -> tuple[str, bool]:
    """The progress text without the "UPDATE AWAITED" marker, and whether it was there."""
    if not UPDATE_AWAITED_RE.search(text):
        return text, False
    return re.sub(r"[ \t]{2,}", " ", UPDATE_AWAITED_RE.sub(" ", text)).strip(), True
