"""Recording a committee's review or deep dive of a principal risk (ADR 0062): when, the assurance it took and the
score it proposed; the BAF reads the latest as "last reviewed by … on …"."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.models import User
from wellled.core.permissions import Permission
from wellled.core.service_kit import record_create
from wellled.risks.models import Risk

from ..choices import AssuranceLevel
from ..models import Committee, Meeting, RiskReview

MATRIX_SIDE = 5  # the NHS 5 x 5 risk matrix (risks.models.SCALE)
NOT_PRINCIPAL = "Only a principal risk on the BAF is reviewed by a committee."
IN_FUTURE = "A review is recorded once it has happened: enter a date up to today."
OTHER_TRUST = "Choose one of your own trust's records."
HALF_A_SCORE = "Propose both a likelihood and a consequence, or neither."
OFF_SCALE = "Choose a likelihood and consequence from 1 to {top}."
WRONG_MEETING = "Choose a meeting of the reviewing committee."


@transaction.atomic
def risk_review_record(
    *,
    committee: Committee,
    risk: Risk,
    by: User,
    reviewed_on: datetime.date,
    assurance: str,
    deep_dive: bool = False,
    proposed_likelihood: int | None = None,
    proposed_consequence: int | None = None,
    note: str = "",
    meeting: Meeting | None = None,
) -> RiskReview:
    """Record that the committee reviewed (or took a deep dive into) a principal risk; the governance team records
    it, usually from the meeting's minutes."""
    errors = {}
    if risk.organisation_id != committee.organisation_id:
        errors["risk"] = OTHER_TRUST
    elif not risk.principal:
        errors["risk"] = NOT_PRINCIPAL
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = IN_FUTURE
    if assurance not in AssuranceLevel.values:
        errors["assurance"] = "Choose the level of assurance the committee took."
    if (proposed_likelihood is None) != (proposed_consequence is None):
        errors["proposed_likelihood"] = HALF_A_SCORE
    top = MATRIX_SIDE
    for name, value in (
        ("proposed_likelihood", proposed_likelihood),
        ("proposed_consequence", proposed_consequence),
    ):
        if value is not None and not 1 <= value <= top:
            errors[name] = OFF_SCALE.format(top=top)
    if meeting is not None and meeting.committee_id != committee.pk:
        errors["meeting"] = WRONG_MEETING
    if errors:
        raise ValidationError(errors)
    return record_create(
        instance=RiskReview(
            committee=committee,
            risk=risk,
            meeting=meeting,
            reviewed_on=reviewed_on,
            deep_dive=deep_dive,
            assurance=assurance,
            proposed_likelihood=proposed_likelihood,
            proposed_consequence=proposed_consequence,
            note=note.strip(),
            recorded_by=by,
        ),
        by=by,
        organisation=committee.organisation,
        permission=Permission.MANAGE_COMMITTEES,
    )
