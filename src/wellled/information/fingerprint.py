"""What "the same thing" means: a request's parameters in one canonical form, and its fingerprint (ADR 0041).

Two requests ask the same thing when they are about the same trust, answered from the same kind of data, with
the same parameters once written canonically: dates as ISO 8601, ids and codes sorted and without repeats,
indicator codes in capitals, a written answer's topic in lower case with single spaces, no parameter the kind does
not take. The fingerprint is the SHA-256 of that."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from wellled.reports.snapshot import checksum

from .models import RequestKind

# The parameters each kind takes; every kind but an issued paper is "as at" a date.
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    RequestKind.PLAN: ("plan", "as_at"),
    RequestKind.MEASURES: ("measures", "indicator_codes", "as_at"),
    RequestKind.RATINGS: ("as_at",),
    RequestKind.RISKS: ("as_at",),
    RequestKind.PAPER: ("paper",),
    RequestKind.WRITTEN: ("topic",),
    RequestKind.SPEAK_UP: ("as_at",),
    RequestKind.TERMS: ("committee",),
    RequestKind.MINUTES: ("meeting",),
    RequestKind.CHAIRS_REPORT: ("report",),
}
# A committee record's one parameter, and what to say when it is missing.
RECORD_PARAMETERS: dict[str, tuple[str, str]] = {
    RequestKind.TERMS: ("committee", "Choose the committee whose terms of reference are asked for."),
    RequestKind.MINUTES: ("meeting", "Choose the meeting whose minutes are asked for."),
    RequestKind.CHAIRS_REPORT: ("report", "Choose the chair's report asked for."),
}
INDICATOR_CODE_CHARS = 40  # measures.Measure.indicator_code
TOPIC_CHARS = 200  # what a written answer is about, in a line: "the safeguarding training policy"


def _date(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    raise ValidationError({"as_at": "Enter the date the information should be as at."})


def _id(value: Any, field: str, message: str) -> int:
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool) or not isinstance(pk, int | str):
        raise ValidationError({field: message})
    try:
        return int(pk)
    except ValueError:
        raise ValidationError({field: message}) from None


def _ids(values: Iterable[Any], field: str) -> list[int]:
    return sorted({_id(value, field, "Choose the measures from the list.") for value in values})


def indicator_codes_parse(text: str | Iterable[str]) -> list[str]:
    """Indicator codes written with commas, spaces or one a line, as a sorted list in capitals without repeats."""
    parts = text.replace(",", " ").split() if isinstance(text, str) else [str(part).strip() for part in text]
    codes = sorted({part.upper() for part in parts if part})
    too_long = [code for code in codes if len(code) > INDICATOR_CODE_CHARS]
    if too_long:
        raise ValidationError(
            {
                "indicator_codes": f"An indicator code is at most {INDICATOR_CODE_CHARS} characters: {too_long[0][:50]}."
            }
        )
    return codes


def parameters_canonical(kind: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a request of this kind in their one canonical form (raises ValidationError naming the
    field that is missing or wrong)."""
    if kind not in KIND_PARAMETERS:
        raise ValidationError({"kind": "Choose what the request is answered from."})
    canonical: dict[str, Any] = {}
    if "as_at" in KIND_PARAMETERS[kind]:
        canonical["as_at"] = _date(parameters.get("as_at"))
    if kind == RequestKind.PLAN:
        if not parameters.get("plan"):
            raise ValidationError({"plan": "Choose the plan whose position is asked for."})
        canonical["plan"] = _id(parameters["plan"], "plan", "Choose the plan from the list.")
    elif kind == RequestKind.MEASURES:
        canonical["measures"] = _ids(parameters.get("measures") or (), "measures")
        canonical["indicator_codes"] = indicator_codes_parse(parameters.get("indicator_codes") or ())
        if not canonical["measures"] and not canonical["indicator_codes"]:
            raise ValidationError(
                {"measures": "Choose the measures asked for, or enter their indicator codes."}
            )
    elif kind == RequestKind.WRITTEN:
        topic = " ".join(str(parameters.get("topic") or "").split()).casefold()
        if not topic:
            raise ValidationError({"topic": "Say in a line what the written answer is about."})
        if len(topic) > TOPIC_CHARS:
            raise ValidationError({"topic": f"Say what it is about in at most {TOPIC_CHARS} characters."})
        canonical["topic"] = topic
    elif kind == RequestKind.PAPER:
        if not parameters.get("paper"):
            raise ValidationError({"paper": "Choose the issued paper asked for."})
        canonical["paper"] = _id(parameters["paper"], "paper", "Choose the paper from the list.")
    elif kind in RECORD_PARAMETERS:
        field, message = RECORD_PARAMETERS[kind]
        if not parameters.get(field):
            raise ValidationError({field: message})
        canonical[field] = _id(parameters[field], field, message)
    return canonical


def fingerprint(*, subject_id: int, kind: str, parameters: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the subject trust, the kind and the canonical parameters: equal exactly when two requests
    ask the same thing."""
    return checksum(
        {"subject": int(subject_id), "kind": str(kind), "parameters": parameters_canonical(kind, parameters)}
    )
