"""What each role may do: one table, used by views and services alike."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from .choices import Role


class Permission(StrEnum):
    VIEW = "view"
    MANAGE_PLANS = "manage_plans"  # plans, sections, actions, findings, timescales
    MANAGE_CYCLES = "manage_cycles"  # open and close reporting cycles, send reminders
    UPDATE_ANY_ACTION = "update_any_action"  # record progress updates on any action
    UPDATE_OWN_ACTION = "update_own_action"  # record progress updates on actions one leads
    MANAGE_ORGANISATION = "manage_organisation"  # members, structure, delivery-status scale
    VIEW_AUDIT = "view_audit"
    MANAGE_ASSESSMENTS = "manage_assessments"  # assessments, findings, publishing, ratings imports
    SCORE_SELF_ASSESSMENTS = "score_self_assessments"  # score statements of a draft self-assessment
    MANAGE_RISKS = "manage_risks"  # risk registers, any risk's review, the BAF and its papers, imports
    REVIEW_OWN_RISK = "review_own_risk"  # review and re-score risks one owns or handles
    RECORD_WARD_AUDITS = "record_ward_audits"  # audit a ward or team against an accreditation scheme
    MANAGE_ACCREDITATION = "manage_accreditation"  # load schemes, set up wards and teams
    MANAGE_QI = (
        "manage_qi"  # quality improvement projects: any project, its drivers, measures and PDSA cycles
    )
    RECORD_PDSA = "record_pdsa"  # PDSA cycles on projects one leads or is in the team of
    # In an oversight body: trusts' oversight status, exit criteria and judgements, notes, information requests
    MANAGE_OVERSIGHT = "manage_oversight"
    # The governance team: committees, their terms of reference, meetings, agendas, packs and minutes (issue 22);
    # with it a person sees every committee's private items, as the committee's own members do.
    MANAGE_COMMITTEES = "manage_committees"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.GOVERNANCE_EDITOR: frozenset(
        {
            Permission.VIEW,
            Permission.MANAGE_PLANS,
            Permission.MANAGE_CYCLES,
            Permission.UPDATE_ANY_ACTION,
            Permission.UPDATE_OWN_ACTION,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_ASSESSMENTS,
            Permission.SCORE_SELF_ASSESSMENTS,
            Permission.MANAGE_RISKS,
            Permission.REVIEW_OWN_RISK,
            Permission.RECORD_WARD_AUDITS,
            Permission.MANAGE_ACCREDITATION,
            Permission.MANAGE_QI,
            Permission.RECORD_PDSA,
            Permission.MANAGE_OVERSIGHT,
            Permission.MANAGE_COMMITTEES,
        }
    ),
    Role.LEAD: frozenset(
        {
            Permission.VIEW,
            Permission.UPDATE_OWN_ACTION,
            Permission.SCORE_SELF_ASSESSMENTS,
            Permission.REVIEW_OWN_RISK,
            Permission.RECORD_WARD_AUDITS,
            Permission.RECORD_PDSA,
        }
    ),
    Role.VIEWER: frozenset({Permission.VIEW}),
}


def role_allows(role: str | None, permission: Permission) -> bool:
    """True if the role grants the permission."""
    return role is not None and permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str | None, permission: Permission) -> None:
    """Raise PermissionDenied (403) unless the role grants the permission."""
    if not role_allows(role, permission):
        raise PermissionDenied("Your role does not allow this.")
