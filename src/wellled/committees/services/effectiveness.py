"""Recording a committee's annual effectiveness review (ADR 0063): its chair or the governance team answers the
framework file's questions; every save audited and guarded by the review's version."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.models import User
from wellled.core.service_kit import ExpectedVersion, fields_update, record_create

from ..models import Committee, EffectivenessReview
from ..selectors.effectiveness import RATINGS, questions
from .reports import may_report

# A comment on one question: a paragraph or two (the review is read by the board beside the facts).
COMMENT_CHARS = 2_000
# The first year a review can be for (Wellled's committees records begin in 2020) and the latest: this year.
FIRST_YEAR = 2020


@transaction.atomic
def effectiveness_review_save(
    *,
    committee: Committee,
    year: int,
    answers: Mapping[str, Mapping[str, str]],
    by: User,
    expected_version: ExpectedVersion = None,
) -> EffectivenessReview:
    """Save the committee's answers for a year: a rating (met, partly met, not met) and a comment by question."""
    if not may_report(by, committee):
        raise PermissionDenied("Only the committee's chair or the governance team records its review.")
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": f"Choose a year from {FIRST_YEAR} to this year."})
    codes = {q.code for q in questions()}
    clean: dict[str, dict[str, str]] = {}
    for code, answer in answers.items():
        if code not in codes:
            raise ValidationError({"answers": f"{code} is not a question of the review."})
        rating = str(answer.get("rating") or "")
        comment = str(answer.get("comment") or "").strip()
        if rating and rating not in RATINGS:
            raise ValidationError({f"rating_{code}": "Choose met, partly met or not met."})
        if len(comment) > COMMENT_CHARS:
            raise ValidationError({f"comment_{code}": f"Keep the comment to {COMMENT_CHARS:,} characters."})
        if rating or comment:
            clean[code] = {"rating": rating, "comment": comment}
    review = EffectivenessReview.objects.select_for_update().filter(committee=committee, year=year).first()
    if review is None:
        return record_create(
            instance=EffectivenessReview(committee=committee, year=year, answers=clean, updated_by=by),
            by=by,
            organisation=committee.organisation,
            permission=None,
        )
    return fields_update(
        instance=review,
        by=by,
        organisation=committee.organisation,
        permission=None,
        expected_version=expected_version,
        allowed=("answers", "updated_by"),
        changes={"answers": clean, "updated_by": by},
    )
