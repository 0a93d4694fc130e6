"""An oversight region with the test trust in its portfolio, its improvement director and a viewer, and a second
region with nothing to do with the trust."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.factories import make_person

from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.oversight import services


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def region(db):
    return organisation_create(
        name="NHS England Test Region", ods_code="ZR001", by=None, kind=OrganisationKind.OVERSIGHT
    )


@pytest.fixture
def other_region(db):
    return organisation_create(name="Other Test ICB", ods_code="ZR002", by=None, kind=OrganisationKind.ICB)


@pytest.fixture
def director(region):
    """The improvement director: a governance editor of the region, nothing in any trust."""
    return make_person(
        region, role=Role.GOVERNANCE_EDITOR, username="director", first_name="Dana", last_name="Ibe"
    )


@pytest.fixture
def region_viewer(region):
    return make_person(region, role=Role.VIEWER, username="regionviewer")


@pytest.fixture
def other_director(other_region):
    return make_person(other_region, role=Role.ADMINISTRATOR, username="otherdirector")


@pytest.fixture
def entry(region, org):
    return portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=days_ago(400))


@pytest.fixture
def records(region, org, director, entry, plan):
    """A status, a criterion with one judgement and one piece of evidence (an action), and a note."""
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
    note = services.oversight_note_add(
        oversight_body=region,
        trust=org,
        by=director,
        noted_on=days_ago(5),
        text="Private: the chair may step down.",
    )
    return {
        "status": status,
        "criterion": criterion,
        "judgement": judgement,
        "evidence": evidence,
        "note": note,
        "action": action,
    }
