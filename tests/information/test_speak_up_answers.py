"""An information request answered with Freedom to Speak Up figures: the last four complete quarters, every count as
the suppressed return shows it (the answer leaves the trust), and only for a trust the person may see."""

from __future__ import annotations

import datetime

import pytest

from wellled.ftsu.periods import Quarter
from wellled.ftsu.returns import quarter_return
from wellled.information import services
from wellled.information.answer import answer_build
from wellled.reports.models import IssuedPaperFile
from wellled.reports.papers.pipeline import frozen_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org, editor, people):
    """Eleven cases in 2024/25 Q1 (of one worker group mostly), three in Q2: small cells to protect."""
    from tests.factories import make_person

    from wellled.ftsu.services import case_create, speak_up_role_set

    guardian = make_person(org, role="viewer", username="answer_guardian")
    speak_up_role_set(organisation=org, person=guardian, role="guardian", by=people["administrator"])
    for n in range(14):
        case_create(
            organisation=org,
            by=guardian,
            received_on=datetime.date(2024, 4, 2) + datetime.timedelta(days=n if n < 11 else 100 + n),
            route="phone",
            openness="anonymous" if n in (0, 11) else "open",
            worker_group="medical" if n in (1, 2) else "nursing",
            elements=["patient_safety"],
            concern=f"Invented concern {n}",
        )
    return guardian


def test_the_answer_holds_only_suppressed_counts(register, director, cases, org):
    asked = register(kind="speak_up", parameters={"as_at": datetime.date(2025, 3, 31)})
    outcome = services.answer_produce(request=asked, by=director)
    csv = bytes(IssuedPaperFile.objects.get(paper=outcome.answer.paper, format="csv").content).decode(
        "utf-8-sig"
    )
    assert "2024/25 Q1" in csv and "2024/25 Q4" in csv
    assert "fewer than 5" in csv and "Invented concern" not in csv
    q1 = quarter_return(user=None, organisation=org, quarter=Quarter(2024, 1), suppressed=True)
    anonymous = next(c for c in q1.cells if c.code == "anonymous")
    assert anonymous.count == 1 and anonymous.shown == "fewer than 5"
    frozen = frozen_paper(outcome.answer.paper)
    assert [t.columns[1:] for t in frozen.tables] == [
        ("2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4")
    ] * 5
    for table in frozen.tables:
        for row in table.rows:
            for cell in row[1:]:
                assert not (cell.isdigit() and 0 < int(cell) < 5), (table.heading, row)


def test_a_person_who_cannot_see_the_trust_gets_no_figures(other_org, org, cases):
    from django.core.exceptions import ValidationError
    from tests.factories import make_person

    outsider = make_person(other_org, role="administrator", username="answer_outsider")
    with pytest.raises(ValidationError):
        answer_build(
            user=outsider,
            answering=other_org,
            subject=org,
            kind="speak_up",
            parameters={"as_at": "2025-03-31"},
        )
