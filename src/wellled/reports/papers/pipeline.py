"""Issuing a paper of any kind: check who asks and for which date, build it as at that date, check it survives
its own snapshot, render every format from the frozen record (each chart drawn once), then store it.

Rendering takes seconds (the PDF most), so it happens before the write transaction opens: the database is locked
only for the moment it takes to store the finished paper and its audit record."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.formatting import long_date
from wellled.core.service_kit import permission_require
from wellled.plans.models import Plan

from ..formats import FORMATS
from ..models import IssuedPaper
from ..progress import FORMAT_WEIGHTS, STORE_WEIGHT, ProgressCallback, Step, Tracker, rendering_label
from ..snapshot import canonical_json
from .kind import PaperKind, PaperRequest, RenderContext
from .registry import kind_get
from .store import issued_paper_store

ISSUE_AHEAD = (
    "A paper cannot be issued for {day}: that position has not been reached yet (today is {today}). Issue it on "
    "or after its position date."
)
NO_DATE = "Enter the date the paper's position is as at."
NOT_FROZEN = "The {label} does not survive its JSON snapshot unchanged; nothing was issued."

Stored = Callable[[IssuedPaper, Any], None]


def as_at_check(as_at: Any, *, field: str | None = None) -> datetime.date:
    """A paper is issued for a position that has been reached: a date, never after today (ADR 0034)."""

    def refuse(message: str):
        return ValidationError({field: message} if field else message)

    if not isinstance(as_at, datetime.date) or isinstance(as_at, datetime.datetime):
        raise refuse(NO_DATE)
    today = timezone.localdate()
    if as_at > today:
        raise refuse(ISSUE_AHEAD.format(day=long_date(as_at), today=long_date(today)))
    return as_at


def issue_steps(kind: PaperKind, formats: tuple[str, ...] | None = None) -> list[Step]:
    """The steps of issuing (or producing) a paper of this kind: read, render each format, store."""
    weights = {**FORMAT_WEIGHTS, **kind.format_weights}
    return [
        Step(kind.read_label, kind.read_weight),
        *(Step(rendering_label(fmt), weights.get(fmt, 5)) for fmt in (formats or kind.formats)),
        Step(kind.store_label, STORE_WEIGHT),
    ]


def frozen(kind: PaperKind, paper: Any) -> tuple[dict[str, Any], Any]:
    """The paper's snapshot exactly as the database will give it back, and the paper read from it; refused if a
    field the snapshot cannot hold would make the record lie. Compared as data, so a missing number (NaN, which
    equals nothing) reads back as itself."""
    data = json.loads(canonical_json(kind.to_data(paper)))
    again = kind.from_data(data)
    if again != paper and json.loads(canonical_json(kind.to_data(again))) != data:
        raise ValueError(NOT_FROZEN.format(label=kind.label.lower()))
    return data, again


def render_all(
    kind: PaperKind, paper: Any, context: RenderContext, *, tracker: Tracker | None = None
) -> list[tuple[str, str, bytes]]:
    """Every format of the paper as (format, filename, bytes), sharing one chart cache."""
    files = []
    context.formats = kind.formats
    try:
        for fmt in kind.formats:
            if fmt not in FORMATS:
                raise ValueError(f"The {kind.label} names an unknown format {fmt!r}.")
            if tracker is not None:
                tracker.start(rendering_label(fmt))
            files.append((fmt, kind.filename(paper, fmt), kind.render(paper, fmt, context)))
    finally:
        context.charts.close()
    return files


def issue(
    kind_key: str,
    request: PaperRequest,
    *,
    progress: ProgressCallback | None = None,
    on_stored: Stored | None = None,
) -> IssuedPaper:
    """Issue a paper of a registered kind as asked: every format stored for good with the snapshot it was drawn
    from. `on_stored(issued, paper)` runs in the same transaction as the store (a kind's own records)."""
    kind = kind_get(kind_key)
    permission = kind.issue_permission(request.organisation)
    permission_require(user=request.by, organisation_id=request.organisation.pk, permission=permission)
    if request.as_at is not None:
        as_at_check(request.as_at, field=kind.as_at_field)
    tracker = Tracker(issue_steps(kind), progress)
    tracker.start(kind.read_label)
    data, paper = frozen(kind, kind.build(request))
    context = RenderContext(organisation=request.organisation, by=request.by)
    files = render_all(kind, paper, context, tracker=tracker)
    files += kind.extra_files(paper, request)
    tracker.start(kind.store_label)
    plan = request.subject if isinstance(request.subject, Plan) else None
    with transaction.atomic():
        issued = issued_paper_store(
            organisation=request.organisation,
            kind=kind.key,
            plan=plan,
            cycle=request.cycle,
            as_at=paper.as_at,
            title=kind.title(paper),
            issued_at=paper.generated_at,
            data=data,
            files=files,
            total=kind.total(paper),
            counts=kind.counts(paper),
            by=request.by,
            permission=permission,
            note=kind.note(paper, request),
        )
        if on_stored is not None:
            on_stored(issued, paper)
    tracker.finish("Issued")
    return issued


def frozen_paper(issued: IssuedPaper) -> Any:
    """The paper as issued, read from its snapshot by its kind (check `issued.data_intact` first)."""
    return kind_get(issued.kind).from_data(issued.data)
