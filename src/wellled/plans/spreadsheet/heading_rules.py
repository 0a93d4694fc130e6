"""Heading rows ("W1 Is there a clear vision…", "Part B: CQC findings"), references, and the numbered
findings a cell names."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from wellled.core.formatting import day_text, month_year

from .limits import MAX_SECTION_TITLE_LENGTH
from .read import MonthCell

PART_RE = re.compile(r"^part\s+([a-z0-9]{1,3})\b[\s:.\-–—]*(.*)$", re.IGNORECASE)
LABEL_RE = re.compile(
    r"^(kloe|key line of enquiry|key question|section|workstream|work stream|theme|domain|standard)\b"
    r"\s*[:.\-–—]?\s*(.*)$",
    re.IGNORECASE,
)
LABEL_CODES = {
    "kloe": "KLOE",
    "key line of enquiry": "KLOE",
    "key question": "KQ",
    "section": "S",
    "workstream": "WS",
    "work stream": "WS",
    "theme": "T",
    "domain": "D",
    "standard": "S",
}
CODE_RE = re.compile(r"^([A-Za-z]{1,4}\d{1,3}[a-z]?(?:\.\d{1,3})?)(?:\s*[:.\-–—)]\s*|\s+)(.+)$")
CODE_ONLY_RE = re.compile(r"^[A-Za-z]{1,4}\d{1,3}[a-z]?(?:\.\d{1,3})?$")
PLAIN_CODE_RE = re.compile(r"^([^\s:]{1,20}):\s+(.+)$")  # 'Governance: …', a code as a trust wrote it
NUMBER_RE = re.compile(r"^(\d{1,3})(?:\s*[:.\-–—)]\s*|\s+|$)(.*)$")
RULE_RE = re.compile(r"^[\s\-_=*.~]+$")  # a line of dashes or underscores drawn between parts of a table
LEGEND_START_RE = re.compile(r"^(status|key|rag key|status key|legend|rag)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """A section as a file names it: a code (W1, WS2, Part B) when it has one, and a title."""

    code: str
    title: str
    text: str

    @property
    def key(self) -> str:
        return (self.code or self.title).casefold()


def parse_heading(text: str) -> Heading:
    """'KLOE W1: Is there…' → W1; 'W2 Is there…' → W2; 'Part B: CQC findings' → Part B; else a title only."""
    text = " ".join(str(text).split())
    m = PART_RE.match(text)
    if m:
        code = f"Part {m[1].upper()}"
        return Heading(code, m[2].strip() or code, text)
    rest, label = text, None
    m = LABEL_RE.match(text)
    if m:
        label, rest = m[1].lower(), m[2]
    m = CODE_RE.match(rest)
    if m:
        return Heading(_code(m[1]), m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    if CODE_ONLY_RE.match(rest):
        return Heading(_code(rest), "", text)
    m = NUMBER_RE.match(rest)
    if label and m:
        return Heading(f"{LABEL_CODES[label]}{m[1]}", m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    m = PLAIN_CODE_RE.match(text)
    if m and not label:
        return Heading(m[1], m[2].strip()[:MAX_SECTION_TITLE_LENGTH], text)
    return Heading("", text[:MAX_SECTION_TITLE_LENGTH], text)


def _code(code: str) -> str:
    leading = re.match(r"[A-Za-z]*", code)
    letters = leading[0] if leading else ""
    return letters.upper() + code[len(letters) :]


def as_text(value) -> str:
    """A cell as text ('' for blank); dates as boards write them."""
    if value is None:
        return ""
    if isinstance(value, MonthCell):
        return month_year(datetime.date(value.year, value.month, 1))
    if isinstance(value, datetime.date):
        return day_text(value)
    return str(value)


def reference_of(value) -> str | None:
    """The reference in a ref cell ('W1a', '1.' → '1'), or None if the cell does not hold one."""
    text = as_text(value).strip()
    if not text or any(c.isspace() for c in text) or not any(c.isdigit() for c in text) or len(text) > 40:
        return None
    return text.rstrip(".:") or None


def word_reference_of(value) -> str | None:
    """A reference without a digit ('QS'), as the form allows (plans.models.REFERENCE_RE): read as one only on a
    row that is plainly an action (it has a lead, status, timescale, update or section cell), never a heading."""
    text = as_text(value).strip()
    if not text or any(c.isspace() for c in text) or len(text) > 40 or not any(c.isalnum() for c in text):
        return None
    return text.rstrip(".:") or None


FINDING_NUMBER_RE = re.compile(r"^(\d{1,4})[.)]\s+(.+)$", re.DOTALL)


def parse_findings(text: str, reference: str) -> list[tuple[int | None, str]]:
    """The findings a cell names: '3. Leaders were…' lines (as Wellled exports them), or one unnumbered text
    whose number is the action's reference when that is a number (Part B tables number each finding)."""
    parts = [p.strip() for p in re.split(r"\n(?=\d{1,4}[.)]\s)", text) if p.strip()]
    found: list[tuple[int | None, str]] = []
    for part in parts:
        m = FINDING_NUMBER_RE.match(part)
        if m:
            found.append((int(m[1]), m[2].strip()))
        else:
            found.append((int(reference) if reference.isdigit() and len(parts) == 1 else None, part))
    return found
