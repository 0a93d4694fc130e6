"""Published ratings over time: the ratings grid of every location and service, and one subject's timeline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped, scoped_many

from .. import scoring
from ..choices import (
    KEY_QUESTION_COLUMNS,
    AssessorKind,
)
from ..models import (
    Assessment,
    PublishedRating,
)
from .getters import subject_units


def ratings_for_user(*, user: User, organisation: Organisation) -> QuerySet[PublishedRating]:
    """The organisation's published ratings, if the user belongs to it."""
    return scoped(PublishedRating.objects.all(), user=user, organisation=organisation).select_related(
        "location", "service", "assessment", "organisation"
    )


@dataclass
class GridRow:
    """One subject of the ratings grid: its latest rating per key question."""

    location: OrganisationUnit | None
    service: OrganisationUnit | None
    label: str
    cells: dict[str, PublishedRating | None]

    @property
    def query(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(f"location={self.location.pk}")
        if self.service is not None:
            parts.append(f"service={self.service.pk}")
        return "&".join(parts)


def _subject_sort(rating: PublishedRating) -> tuple:
    level = 0 if not rating.location_id and not rating.service_id else (1 if not rating.service_id else 2)
    location = rating.location.name if rating.location is not None else ""
    return (location, level, rating.service.name if rating.service is not None else "")


def ratings_grid(*, user: User, organisation: Organisation, own: bool = False) -> list[GridRow]:
    """The latest rating of each subject's key questions: CQC's (default) or the trust's own assessments."""
    ratings = ratings_for_user(user=user, organisation=organisation)
    ratings = (
        ratings.exclude(assessor_kind=AssessorKind.CQC)
        if own
        else ratings.filter(assessor_kind=AssessorKind.CQC)
    )
    latest: dict[tuple, dict[str, PublishedRating]] = defaultdict(dict)
    first: dict[tuple, PublishedRating] = {}
    for rating in ratings.order_by("rated_on", "id"):
        key = (rating.location_id, rating.service_id)
        latest[key][rating.key_question] = rating  # later dates overwrite earlier ones
        first.setdefault(key, rating)
    rows = [
        GridRow(
            sample.location,
            sample.service,
            sample.subject_label,
            {kq: latest[key].get(kq) for kq in KEY_QUESTION_COLUMNS},
        )
        for key, sample in sorted(first.items(), key=lambda item: _subject_sort(item[1]))
    ]
    return rows


@dataclass
class TimelineCell:
    rating: PublishedRating
    previous: PublishedRating | None

    @cached_property
    def direction(self) -> str:
        """'improved', 'declined', 'unchanged' against the previous rating of the same kind, or '' if none (worked
        out once: a page reads it several times a cell)."""
        if self.previous is None:
            return ""
        now = scoring.Rating.parse(self.rating.rating).score
        before = scoring.Rating.parse(self.previous.rating).score
        return "improved" if now > before else "declined" if now < before else "unchanged"


@dataclass
class TimelineEntry:
    """One dated rating event of a subject: an inspection, an import or a published assessment."""

    rated_on: datetime.date
    assessor_kind: str
    assessor_label: str
    assessment: Assessment | None
    cells: dict[str, TimelineCell | None]


def subject_resolve(
    *, user: User, organisation: Organisation, location: str | None, service: str | None
) -> tuple[OrganisationUnit | None, OrganisationUnit | None]:
    """The units a timeline URL names, each a unit of the organisation of the right kind, or 404."""
    sites, services = subject_units(user=user, organisation=organisation)
    chosen_location = get_or_404(sites, pk=location) if location else None
    chosen_service = get_or_404(services, pk=service) if service else None
    return chosen_location, chosen_service


def subject_timeline(
    *,
    user: User,
    organisation: Organisation,
    location: OrganisationUnit | None,
    service: OrganisationUnit | None,
) -> list[TimelineEntry]:
    """A subject's ratings over time, newest first, each with its direction of travel against the previous
    rating of the same kind of assessor (CQC against CQC, the trust's own against its own)."""
    ratings = (
        ratings_for_user(user=user, organisation=organisation)
        .filter(location=location, service=service)
        .order_by("rated_on", "id")
    )
    groups: dict[tuple, list[PublishedRating]] = {}
    for rating in ratings:
        groups.setdefault((rating.rated_on, rating.assessor_kind, rating.assessment_id), []).append(rating)
    last: dict[tuple[str, str], PublishedRating] = {}
    entries = []
    for (rated_on, kind, _), rows in groups.items():
        series = "cqc" if kind == AssessorKind.CQC else "own"
        cells: dict[str, TimelineCell | None] = dict.fromkeys(KEY_QUESTION_COLUMNS)
        for rating in rows:
            cells[rating.key_question] = TimelineCell(rating, last.get((series, rating.key_question)))
        for rating in rows:
            last[(series, rating.key_question)] = rating
        entries.append(TimelineEntry(rated_on, kind, AssessorKind(kind).label, rows[0].assessment, cells))
    entries.reverse()
    return entries


def timeline_summary(entries: list[TimelineEntry]) -> dict[str, TimelineCell]:
    """The latest CQC rating of each key question with its direction of travel, for the top of a timeline."""
    summary: dict[str, TimelineCell] = {}
    for entry in entries:  # newest first
        if entry.assessor_kind != AssessorKind.CQC:
            continue
        for kq, cell in entry.cells.items():
            if cell is not None and kq not in summary:
                summary[kq] = cell
    return summary


def trust_cqc_timelines(*, user: User, organisations) -> dict[int, list[TimelineEntry]]:
    """CQC's ratings of each organisation as a whole over time, newest first, each with its direction against
    the previous CQC rating: many organisations in one query (an oversight body's portfolio)."""
    ids = [o if isinstance(o, int) else o.pk for o in organisations]
    ratings = (
        scoped_many(
            PublishedRating.objects.filter(location=None, service=None, assessor_kind=AssessorKind.CQC),
            user=user,
            organisations=ids,
        )
        # What a timeline shows: a region's pages read these on every request (issue 24).
        .only("organisation_id", "key_question", "rating", "rated_on", "assessment_id")
        .order_by("organisation_id", "rated_on", "id")
    )
    groups: dict[int, dict[tuple, list[PublishedRating]]] = {pk: {} for pk in ids}
    for rating in ratings:
        groups[rating.organisation_id].setdefault((rating.rated_on, rating.assessment_id), []).append(rating)
    timelines: dict[int, list[TimelineEntry]] = {}
    for pk, events in groups.items():
        last: dict[str, PublishedRating] = {}
        entries = []
        for (rated_on, _), rows in events.items():
            cells: dict[str, TimelineCell | None] = dict.fromkeys(KEY_QUESTION_COLUMNS)
            for rating in rows:
                cells[rating.key_question] = TimelineCell(rating, last.get(rating.key_question))
            for rating in rows:
                last[rating.key_question] = rating
            entries.append(TimelineEntry(rated_on, AssessorKind.CQC, AssessorKind.CQC.label, None, cells))
        entries.reverse()
        timelines[pk] = entries
    return timelines
