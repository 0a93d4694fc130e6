"""An oversight region with the test trust in its portfolio, its improvement director and a viewer, and a second
region with nothing to do with the trust."""

from __future__ import annotations

import pytest
from tests.factories import make_person

from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.oversight import services

from .records import days_ago, oversight_records


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
    made = oversight_records(region=region, org=org, director=director, plan=plan)
    note = services.oversight_note_add(
        oversight_body=region,
        trust=org,
        by=director,
        noted_on=days_ago(5),
        text="Private: the chair may step down.",
    )
    return {**made, "note": note}
