"""What an oversight body keeps about a trust in its portfolio, made through the services: the record the oversight
tests and the API's tests both start from."""

from __future__ import annotations

import datetime

from django.utils import timezone

from wellled.oversight import services


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def oversight_records(*, region, org, director, plan) -> dict:
    """A status (segment 4, in the recovery programme), an exit criterion judged partly met once, and one of the
    plan's actions as its evidence."""
    status = services.oversight_status_record(
        oversight_body=region,
        trust=org,
        by=director,
        effective_from=days_ago(300),
        segment=4,
        programme="recovery_support",
        programme_entered_on=days_ago(300),
        improvement_director=director,
    )
    criterion = services.exit_criterion_create(
        oversight_body=region,
        trust=org,
        by=director,
        reference="EC1",
        title="A stable board with substantive executives",
        agreed_on=days_ago(290),
    )
    judgement = services.exit_criterion_judgement_record(
        criterion=criterion,
        by=director,
        judgement="partly_met",
        judged_on=days_ago(100),
        rationale="Two posts filled.",
    )
    action = plan.actions.order_by("pk").first()
    evidence = services.exit_criterion_evidence_add(
        criterion=criterion, by=director, kind="action", object_id=action.pk
    )
    return {
        "status": status,
        "criterion": criterion,
        "judgement": judgement,
        "evidence": evidence,
        "action": action,
    }


def oversight_exit_records(*, region, org, director) -> dict:
    """A CQC warning notice in force, and an exit recommendation awaiting its decision (made directly: the service
    refuses until every criterion is sustained, which tests/oversight/test_exit_from_support.py tries)."""
    from wellled.oversight.models import ExitRecommendation

    regulatory = services.regulatory_action_record(
        oversight_body=region,
        trust=org,
        by=director,
        kind="warning_notice",
        summary="Staffing of the emergency department",
        issued_on=days_ago(60),
    )
    recommendation = ExitRecommendation.objects.create(
        oversight_body=region, trust=org, recommended_on=days_ago(0), recommended_by=director, reason="Ready."
    )
    return {"regulatory": regulatory, "recommendation": recommendation}
