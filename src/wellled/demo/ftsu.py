"""Demo step: Freedom to Speak Up in the demo trust: a guardian and a champion appointed, and a year of invented
cases put together from the phrases in `data/ftsu.yaml` with seeded random numbers (issue 23)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction

from wellled.core.models import User
from wellled.ftsu import services
from wellled.ftsu.choices import Feedback, WorkerGroup
from wellled.ftsu.models import Case
from wellled.ftsu.periods import Quarter, quarter_of

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_trust

CONTENT: dict[str, Any] = data("ftsu.yaml")
OPENNESS = ["open", "confidential", "confidential", "confidential", "anonymous"]
ROUTES = ["in_person", "in_person", "phone", "email", "champion"]


def _case(organisation, guardian: User, champion: User, received: datetime.date, rng: random.Random) -> Case:
    elements = rng.sample(list(CONTENT["concerns"]), rng.choice([1, 1, 2]))
    openness = rng.choice(OPENNESS)
    route = "online" if openness == "anonymous" and rng.random() < 0.6 else rng.choice(ROUTES)
    by = champion if route == "champion" else guardian
    case = services.case_create(
        organisation=organisation,
        by=by,
        received_on=received,
        route=route,
        openness=openness,
        worker_group=rng.choice([g for g in WorkerGroup.values if g != WorkerGroup.VOLUNTEERS]),
        area=rng.choice(CONTENT["areas"]),
        elements=elements,
        detriment=rng.choice(["no", "no", "no", "not_known", "yes"]),
        concern=rng.choice(CONTENT["concerns"][elements[0]]),
        name="" if openness == "anonymous" else f"Demo worker {rng.randrange(100, 999)}",
        contact_details="" if openness == "anonymous" else "Through the guardian's office",
    )
    if route == "online":
        services.contact_add(
            case=case, by=guardian, on=received, kind="to_worker", text=rng.choice(CONTENT["replies"])
        )
    else:
        services.contact_add(
            case=case,
            by=guardian,
            on=received + datetime.timedelta(days=2),
            kind="meeting",
            text="Met to hear the concern in full and agree what happens next.",
        )
    return case


def ftsu_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Appoint the demo trust's guardian and champion and record a year of cases, once; returns the number."""
    say = say_to(stdout)
    dates = dates or DemoDates()
    organisation = demo_trust(say, missing="no Freedom to Speak Up cases added")
    if organisation is None:
        return 0
    if Case.objects.filter(organisation=organisation).exists():
        say("Demo speak-up cases are already loaded; nothing changed.")
        return 0
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[CONTENT[k] for k in ("guardian", "champion", "appointed_by")]
        )
    }
    guardian, champion = people[CONTENT["guardian"]], people[CONTENT["champion"]]
    rng = random.Random(CONTENT["seed"])
    with transaction.atomic():
        by = people[CONTENT["appointed_by"]]
        services.speak_up_role_set(organisation=organisation, person=guardian, role="guardian", by=by)
        services.speak_up_role_set(organisation=organisation, person=champion, role="champion", by=by)
        days = sorted(rng.randrange(1, 366) for _ in range(CONTENT["cases"]))
        for back in reversed(days):
            received = dates.today - datetime.timedelta(days=back)
            case = _case(organisation, guardian, champion, received, rng)
            closed = received + datetime.timedelta(days=rng.randrange(14, 90))
            if closed < dates.today - datetime.timedelta(days=10):
                services.case_close(
                    case=case,
                    by=guardian,
                    expected_version=case.version,
                    closed_on=closed,
                    outcome=rng.choice(CONTENT["outcomes"]),
                    learning=rng.choice(CONTENT["learning"]),
                    feedback=rng.choice(
                        [Feedback.YES, Feedback.YES, Feedback.MAYBE, Feedback.NO_RESPONSE, Feedback.NO]
                    ),
                )
    this = quarter_of(dates.today)
    last = Quarter(this.year - 1, 4) if this.number == 1 else Quarter(this.year, this.number - 1)
    services.return_issue(organisation=organisation, quarter=last, by=guardian)
    say(
        f"Recorded {len(days)} demo speak-up cases for {organisation.name}, and issued the {last.label} return."
    )
    return len(days)
