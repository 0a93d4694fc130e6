"""A guardian and a champion in the test trust, a guardian in another trust, and a confidential case."""

from __future__ import annotations

import datetime
import random

import pytest

NAME = "Zebedee Quillfeather"
EMAIL = "zebedee.quillfeather@example.org"
CONCERN = "Night shift handovers on the marigold ward are skipped when agency staff cover."


@pytest.fixture
def guardian(org, people):
    from tests.factories import make_person

    from wellled.ftsu.services import speak_up_role_set

    person = make_person(org, role="viewer", username="guardian")
    speak_up_role_set(organisation=org, person=person, role="guardian", by=people["administrator"])
    return person


@pytest.fixture
def champion(org, people):
    from tests.factories import make_person

    from wellled.ftsu.services import speak_up_role_set

    person = make_person(org, role="lead", username="champion")
    speak_up_role_set(organisation=org, person=person, role="champion", by=people["administrator"])
    return person


@pytest.fixture
def other_guardian(other_org):
    from tests.factories import make_person

    from wellled.ftsu.services import speak_up_role_set

    admin = make_person(other_org, role="administrator", username="other_admin")
    person = make_person(other_org, role="viewer", username="other_guardian")
    speak_up_role_set(organisation=other_org, person=person, role="guardian", by=admin)
    return person


@pytest.fixture
def case(org, guardian):
    from wellled.ftsu.services import case_create

    return case_create(
        organisation=org,
        by=guardian,
        received_on=datetime.date(2024, 5, 14),
        route="in_person",
        openness="confidential",
        concern=CONCERN,
        worker_group="nursing",
        area="Surgery",
        elements=["patient_safety"],
        name=NAME,
        contact_details=EMAIL,
    )


GROUPS = ["nursing", "medical", "admin", "estates", "nursing_support"]
ELEMENTS = ["patient_safety", "worker_safety", "bullying", "behaviours"]


@pytest.fixture
def year_of_cases(org, guardian):
    """Seventy invented cases over 2024/25, the first quarter's made large enough to show exact counts."""
    from wellled.ftsu.services import case_create

    rng = random.Random(23)
    made = []
    for n in range(70):
        day = datetime.date(2024, 4, 1) + datetime.timedelta(
            days=rng.randrange(364) if n >= 30 else rng.randrange(91)
        )
        spec = {
            "received_on": day,
            "openness": rng.choice(["open", "confidential", "confidential", "anonymous"]),
            "worker_group": rng.choice(GROUPS),
            "elements": rng.sample(ELEMENTS, rng.randint(1, 2)),
            "detriment": rng.choice(["yes", "no", "no", "not_known"]),
        }
        case_create(organisation=org, by=guardian, route="phone", concern=f"Invented concern {n}", **spec)
        made.append(spec)
    return made
