"""Helpers shared by the assessment tests."""

from __future__ import annotations

from wellled.core.service_kit import AS_IT_STANDS


def score(assessment, by, scores: dict[str, int | None]):
    """Score statements by code through the service."""
    from wellled.assessments import services
    from wellled.assessments.models import StatementAssessment

    for code, value in scores.items():
        statement = StatementAssessment.objects.get(assessment=assessment, element__code=code)
        services.statement_score(statement=statement, by=by, expected_version=AS_IT_STANDS, score=value)


WELL_LED_24 = {"W1": 3, "W2": 3, "W3": 4, "W4": 3, "W5": 2, "W6": 3, "W7": 3, "W8": 3}
