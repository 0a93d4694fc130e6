"""Import published ratings from a CSV shaped like CQC's ratings data: all rows or none.

Columns (the header row names them; case, spaces and underscores do not matter, and the order is free):
location id, location name, service, key question, rating, date. See docs/assessments.md.

- `location id` is a site's ODS code in the organisation's structure, or the organisation's own ODS code
  for a rating of the whole trust (the provider).
- `service` is blank (or "Overall") for a rating of the location itself; otherwise a service name. A
  service not yet in the structure is added to it (reported).
- `key question` is Safe, Effective, Caring, Responsive, Well-led or Overall.
- `rating` is Outstanding, Good, Requires improvement or Inadequate; rows rated "Not rated" or
  "Insufficient evidence to rate" are skipped and counted.
- `date` is the publication date, as 2024-07-24 or 24/07/2024.

Every row is checked before anything is saved; one bad row means nothing is saved, and every problem is
reported with its row number (the header is row 1) and column.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import cast

from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction, UnitKind
from wellled.core.formatting import (
    ISO_OR_NUMERIC_DATE_FORMATS,
    implausible_date,
    numeric_date,
    typed_date,
)
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.services import organisation_unit_create

from . import scoring
from .choices import KEY_QUESTION_COLUMNS, AssessorKind, RatingSource
from .models import PublishedRating

COLUMNS = ("location id", "location name", "service", "key question", "rating", "date")
NOT_RATED = {"not rated", "insufficient evidence to rate", "no rating"}
LOCATION_LEVEL_SERVICES = {"", "overall", "location", "overall location"}
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024  # CQC's whole national file of a trust's ratings is a small part of this
_KEY_QUESTIONS = {label.lower().replace("-", " "): code for code, label in KEY_QUESTION_COLUMNS.items()}


class RatingsImportError(ValueError):
    """The file was refused; `errors` lists every problem found, each naming its row and column."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    skipped_not_rated: int = 0
    services_added: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        parts = [
            f"{self.rows} row{'s' if self.rows != 1 else ''} read: {self.created} rating"
            f"{'s' if self.created != 1 else ''} {verb} added"
        ]
        if self.unchanged:
            parts.append(f"{self.unchanged} already recorded")
        if self.skipped_not_rated:
            parts.append(f"{self.skipped_not_rated} not rated and skipped")
        if self.services_added:
            parts.append(f"services {verb} added to the structure: {', '.join(self.services_added)}")
        return "; ".join(parts) + "."


def _header_key(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("\ufeff", "").strip().lower().split())


def _parse_date(text: str) -> datetime.date:
    day = typed_date(text, ISO_OR_NUMERIC_DATE_FORMATS)
    if day is None:
        raise ValueError
    return day


@dataclass
class _Row:
    number: int
    location: OrganisationUnit | None
    location_name: str
    service_name: str
    key_question: str
    rating: scoring.Rating
    rated_on: datetime.date


def _read(text: str) -> tuple[list[dict[str, str | None]], list[str]]:
    if len(text) > MAX_BYTES:
        raise RatingsImportError(
            [f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it and import each part."]
        )
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise RatingsImportError(
            ["The file is empty: expected a header row naming the columns " + ", ".join(COLUMNS) + "."]
        )
    except csv.Error as exc:
        raise RatingsImportError([f"Row 1: not readable as CSV ({exc})."])
    keys = [_header_key(h) for h in header]
    missing = [c for c in COLUMNS if c not in keys]
    repeated = sorted({k for k in keys if k and keys.count(k) > 1})
    errors = []
    if missing:
        errors.append(
            f"Row 1: the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}."
        )
    if repeated:
        errors.append(
            f"Row 1: the column{'s' if len(repeated) > 1 else ''} {', '.join(map(repr, repeated))} "
            "appear more than once."
        )
    if errors:
        raise RatingsImportError(errors)
    rows: list[dict[str, str | None]] = []
    try:
        for values in reader:
            if len(rows) >= MAX_ROWS:  # blank rows count too: the file is read no further than the limit
                raise RatingsImportError([f"The file has more than {MAX_ROWS} rows; split it."])
            if not any(v.strip() for v in values):
                rows.append({})
                continue
            rows.append({k: (values[i].strip() if i < len(values) else None) for i, k in enumerate(keys)})
    except csv.Error as exc:
        raise RatingsImportError([f"Row {reader.line_num}: not readable as CSV ({exc})."])
    return rows, keys


def parse_ratings(*, organisation: Organisation, text: str) -> tuple[list[_Row], int, list[str]]:
    """Check every row; returns the good rows, how many were skipped as not rated, and every error."""
    rows, _ = _read(text)
    sites = {
        u.code.upper(): u
        for u in OrganisationUnit.objects.filter(organisation=organisation, kind=UnitKind.SITE)
        if u.code
    }
    errors: list[str] = []
    good: list[_Row] = []
    skipped = 0
    seen: dict[tuple, int] = {}
    for index, read in enumerate(rows, start=2):
        if not read:
            continue
        problems = []
        if any(v is None for v in read.values()):
            errors.append(f"Row {index}: it has fewer values than the header has columns.")
            continue
        raw = cast(dict[str, str], read)  # every cell is there: checked just above
        rating_text = raw["rating"]
        if rating_text.strip().lower() in NOT_RATED:
            skipped += 1
            continue
        location_id = raw["location id"].upper()
        location = None
        if not location_id:
            problems.append(
                f"Row {index}, column 'location id': it is empty; give a site's ODS code, or "
                f"{organisation.ods_code} for the whole trust."
            )
        elif location_id != organisation.ods_code:
            location = sites.get(location_id)
            if location is None:
                problems.append(
                    f"Row {index}, column 'location id': {raw['location id']!r} is not the ODS code of "
                    f"one of {organisation.name}'s sites (nor the trust's own, {organisation.ods_code})."
                )
        service_name = raw["service"]
        if service_name.lower() in LOCATION_LEVEL_SERVICES:
            service_name = ""
        if location_id == organisation.ods_code and service_name:
            problems.append(
                f"Row {index}, column 'service': a rating of the whole trust has no service; "
                "give the site's ODS code for a service's rating."
            )
        key_question = _KEY_QUESTIONS.get(raw["key question"].lower().replace("-", " ").replace("_", " "))
        if key_question is None:
            problems.append(
                f"Row {index}, column 'key question': {raw['key question']!r} is not a key question; "
                "expected Safe, Effective, Caring, Responsive, Well-led or Overall."
            )
        try:
            rating = scoring.Rating.parse(rating_text)
        except scoring.ScoringError:
            rating = None
            problems.append(
                f"Row {index}, column 'rating': {rating_text!r} is not a rating; expected Outstanding, "
                "Good, Requires improvement or Inadequate (or Not rated)."
            )
        try:
            rated_on = _parse_date(raw["date"])
        except ValueError:
            rated_on = None
            problems.append(
                f"Row {index}, column 'date': {raw['date']!r} is not a date; write it as 2024-07-24 "
                "or 24/07/2024."
            )
        if rated_on and rated_on > timezone.localdate():
            problems.append(f"Row {index}, column 'date': {numeric_date(rated_on)} is in the future.")
        elif rated_on and (implausible := implausible_date(rated_on, today=timezone.localdate())):
            problems.append(f"Row {index}, column 'date': {implausible}")
        if problems or key_question is None or rating is None or rated_on is None:  # each None is a problem
            errors.extend(problems)
            continue
        key = (location_id, service_name.lower(), key_question, rated_on)
        if key in seen:
            errors.append(
                f"Row {index}: it repeats row {seen[key]} (same location, service, key question and date)."
            )
            continue
        seen[key] = index
        good.append(_Row(index, location, raw["location name"], service_name, key_question, rating, rated_on))
    return good, skipped, errors


def ratings_import(
    *, organisation: Organisation, text: str, by: User | None, dry_run: bool = False
) -> ImportResult:
    """Check the whole file, then (unless a dry run) save every rating in one transaction, audited."""
    rows, skipped, errors = parse_ratings(organisation=organisation, text=text)
    services = {
        u.name.lower(): u
        for u in OrganisationUnit.objects.filter(organisation=organisation, kind=UnitKind.SERVICE)
    }
    result = ImportResult(rows=len(rows) + skipped, skipped_not_rated=skipped, dry_run=dry_run)
    new_services = sorted(
        {r.service_name for r in rows if r.service_name and r.service_name.lower() not in services},
        key=str.lower,
    )
    # Ratings already recorded for the same subject, key question and date must agree with the file.
    to_create = []
    for row in rows:
        service = services.get(row.service_name.lower()) if row.service_name else None
        existing = None
        if not row.service_name or service is not None:
            existing = PublishedRating.objects.filter(
                organisation=organisation,
                location=row.location,
                service=service,
                key_question=row.key_question,
                rated_on=row.rated_on,
                assessor_kind=AssessorKind.CQC,
            ).first()
        if existing is not None:
            if existing.rating == row.rating.value:
                result.unchanged += 1
            else:
                errors.append(
                    f"Row {row.number}, column 'rating': {existing} is already recorded; the file says "
                    f"{row.rating.text}. Correct the file or the earlier rating."
                )
            continue
        to_create.append(row)
    if errors:
        raise RatingsImportError(errors)
    result.created = len(to_create)
    result.services_added = new_services
    if dry_run:
        return result
    with transaction.atomic():
        for name in new_services:
            unit = organisation_unit_create(
                organisation=organisation, kind=UnitKind.SERVICE, name=name, by=by
            )
            services[name.lower()] = unit
        for row in to_create:
            rating = PublishedRating(
                organisation=organisation,
                location=row.location,
                service=services[row.service_name.lower()] if row.service_name else None,
                key_question=row.key_question,
                rating=row.rating.value,
                rated_on=row.rated_on,
                assessor_kind=AssessorKind.CQC,
                source=RatingSource.IMPORTED,
                location_name=row.location_name[:200],
                created_by=by,
            )
            rating.full_clean()
            rating.save()
            audit_record(
                by=by,
                organisation=organisation,
                action=AuditAction.CREATE,
                instance=rating,
                note="Imported from a ratings file",
            )
    return result
