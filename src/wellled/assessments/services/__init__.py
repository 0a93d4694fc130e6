"""Writes for assessments: each checks the role and the state, saves, and writes its audit record in one
transaction. A published assessment is frozen: every service that would change it refuses.

Workflow (decided here; docs/assessments.md explains it to users):

- draft: governance editors and administrators edit anything; for a self-assessment, leads (the teams)
  score statements, write what they found and add evidence, then submit it for review.
- submitted for review: the governance team reviews; it can still correct scores, return the assessment
  to the team with a comment (back to draft), or publish it. Leads can no longer change it.
- published: frozen. The key question ratings, their working and the overall rating are stored as
  snapshots and become published ratings for the ratings grid and timelines.

A CQC assessment, mock inspection or peer review is recorded by the governance team alone and may be
published straight from draft.

The writes live in `checks`, `workflow`, `statements` and `findings`; this package names them all.
"""

from .checks import FROZEN_MESSAGE, user_may_manage, user_may_score
from .findings import FINDING_SOURCE_BY_KIND, assessment_finding_create, finding_to_action
from .statements import (
    DEFAULT_EVIDENCE_MAX_BYTES,
    EVIDENCE_EXTENSIONS,
    evidence_add,
    evidence_max_bytes,
    statement_score,
)
from .workflow import (
    ASSESSMENT_EDITABLE,
    assessment_create,
    assessment_publish,
    assessment_return,
    assessment_submit,
    assessment_update,
)

__all__ = [
    "ASSESSMENT_EDITABLE",
    "DEFAULT_EVIDENCE_MAX_BYTES",
    "EVIDENCE_EXTENSIONS",
    "FINDING_SOURCE_BY_KIND",
    "FROZEN_MESSAGE",
    "assessment_create",
    "assessment_finding_create",
    "assessment_publish",
    "assessment_return",
    "assessment_submit",
    "assessment_update",
    "evidence_add",
    "evidence_max_bytes",
    "finding_to_action",
    "statement_score",
    "user_may_manage",
    "user_may_score",
]
