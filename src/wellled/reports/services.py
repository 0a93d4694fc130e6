"""Writes for board papers: issuing a plan's paper as at a cycle's position date (or a date), at once or as a
background job. The issuing itself (build, freeze, render, store, withdraw, the job) is the one pipeline every
paper kind goes through (reports.papers, ADR 0043)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from wellled.core.models import User
from wellled.core.service_kit import permission_require
from wellled.plans.models import Plan, ReportingCycle

from .board_kind import BOARD
from .models import IssuedPaper, PaperJob
from .papers.jobs import (  # noqa: F401  (the board paper's writes, where views and commands look for them)
    paper_job_queue,
    paper_job_retry,
    paper_job_run,
    paper_jobs_abandoned_fail,
)
from .papers.kind import PaperRequest
from .papers.pipeline import as_at_check, issue
from .papers.store import paper_withdraw  # noqa: F401
from .progress import ProgressCallback

# Who may issue a paper: those who run the reporting cycles (governance editors and administrators).
ISSUE_PERMISSION = BOARD.permission


def _request(plan: Plan, cycle_or_as_at: ReportingCycle | datetime.date, by: User) -> PaperRequest:
    """The paper asked for: a cycle's own position date, or a date and its cycle if any; never ahead of today."""
    cycle: ReportingCycle | None
    if isinstance(cycle_or_as_at, ReportingCycle):
        if cycle_or_as_at.plan_id != plan.pk:
            raise ValidationError("The reporting cycle belongs to another plan.")
        cycle, as_at = cycle_or_as_at, cycle_or_as_at.position_as_at
    elif not isinstance(cycle_or_as_at, datetime.date) or isinstance(cycle_or_as_at, datetime.datetime):
        raise ValidationError("Choose a reporting cycle or a position-as-at date.")
    else:
        as_at = cycle_or_as_at
        cycle = plan.cycles.filter(position_as_at=as_at).order_by("-opened_at", "-pk").first()
    as_at_check(as_at)
    return PaperRequest(organisation=plan.organisation, by=by, as_at=as_at, subject=plan, cycle=cycle)


def paper_issue(
    *,
    plan: Plan,
    cycle_or_as_at: ReportingCycle | datetime.date,
    by: User,
    progress: ProgressCallback | None = None,
) -> IssuedPaper:
    """Issue the plan's board paper as at a cycle's position date (or a date): every format, stored for good."""
    permission_require(user=by, organisation_id=plan.organisation_id, permission=ISSUE_PERMISSION)
    return issue(BOARD.key, _request(plan, cycle_or_as_at, by), progress=progress)


def paper_job_start(*, plan: Plan, cycle_or_as_at: ReportingCycle | datetime.date, by: User) -> PaperJob:
    """Queue the issuing of the plan's board paper; the job row shows its progress."""
    permission_require(user=by, organisation_id=plan.organisation_id, permission=ISSUE_PERMISSION)
    return paper_job_queue(kind=BOARD.key, request=_request(plan, cycle_or_as_at, by))
