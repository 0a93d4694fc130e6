"""A guardian and a champion in the test trust, a guardian in another trust, and a confidential case."""

from __future__ import annotations

import datetime

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
