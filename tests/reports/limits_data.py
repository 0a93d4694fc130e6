"""A plan whose every text is at its limit (docs/limits.md), for the paper, worker and fuzz tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from tests.factories import make_person, status

from wellled.core import limits
from wellled.core.choices import Role
from wellled.plans import services
from wellled.plans.choices import FindingType, PlanKind, PlanOrganisedBy


def text_of(length: int, end: str) -> str:
    """Words up to `length` characters, ending in a marker a test can look for."""
    body = ("Wards report weekly to the committee and the audit follows. " * (length // 60 + 1))[
        : length - len(end) - 1
    ]
    return f"{body.rstrip()} {end}"[:length].ljust(length, ".")


def unbroken_of(length: int, end: str) -> str:
    """One token of `length` characters with no space to break at (a pasted link or reference list), ending in a
    marker."""
    return ("https://example.org/?" + "a=1&b=<2>;" * length)[: length - len(end)] + end


def plan_at_limits(org, editor, actions: int = 2, filler: Callable[[int, str], str] = text_of):
    """A plan whose every text is at its limit: finding, planned action, success measure, progress update."""
    as_at = timezone.localdate()
    lead = make_person(org, role=Role.LEAD, initials="PL")
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Limits plan",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
        description=filler(limits.PLAN_DESCRIPTION_CHARS, "END-DESCRIPTION"),
    )
    section = services.section_create(plan=plan, by=editor, code="W1", title="Leadership")
    finding = services.finding_create(
        plan=plan,
        by=editor,
        text=filler(limits.FINDING_TEXT_CHARS, "END-FINDING"),
        finding_type=FindingType.MUST_DO,
    )
    for index in range(actions):
        action = services.action_create(
            plan=plan,
            by=editor,
            reference=f"L{index}",
            title=filler(limits.ACTION_TITLE_CHARS, f"END-TITLE-{index}"),
            success_measure=filler(limits.SUCCESS_MEASURE_CHARS, f"END-MEASURE-{index}"),
            section=section,
            lead=lead,
            due_date=as_at + datetime.timedelta(days=60),
            findings=[finding],
        )
        services.progress_update_record(
            action=action,
            by=lead,
            narrative=filler(limits.PROGRESS_NARRATIVE_CHARS, f"END-UPDATE-{index}"),
            status=status(org, "R"),
            expected_version=None,
            update_date=as_at - datetime.timedelta(days=5),
        )
    return plan, as_at
