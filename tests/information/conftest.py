"""An NHS England region with Northmoor in its portfolio, its improvement director, an ICB that uses Wellled, and
requests from two bodies asking the same thing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def region(db):
    from wellled.core.choices import OrganisationKind
    from wellled.core.services import organisation_create

    return organisation_create(
        name="NHS England Test Region", ods_code="ZR001", by=None, kind=OrganisationKind.OVERSIGHT
    )


@pytest.fixture
def icb(db):
    from wellled.core.choices import OrganisationKind
    from wellled.core.services import organisation_create

    return organisation_create(
        name="Moorland Integrated Care Board", ods_code="ZQ001", by=None, kind=OrganisationKind.ICB
    )


@pytest.fixture
def director(region):
    """The improvement director: a governance editor in the region, nothing of their own in any trust."""
    from tests.factories import make_person

    from wellled.core.choices import Role

    return make_person(region, role=Role.GOVERNANCE_EDITOR, username="director")


@pytest.fixture
def icb_person(icb):
    from tests.factories import make_person

    from wellled.core.choices import Role

    return make_person(icb, role=Role.VIEWER, username="icbperson")


@pytest.fixture
def entry(region, org):
    from wellled.core.services import portfolio_trust_add

    return portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=timezone.localdate())


@pytest.fixture
def as_at():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def register(region, director, entry, org, plan, icb, as_at):
    """Register a request in the region's register about Northmoor's plan position (keyword overrides)."""
    from wellled.information import services

    def _register(**overrides):
        fields = {
            "organisation": region,
            "by": director,
            "subject": org,
            "question": "Your improvement plan's position at month end.",
            "received_on": timezone.localdate(),
            "due_on": timezone.localdate() + datetime.timedelta(days=14),
            "kind": "plan",
            "parameters": {"plan": plan.pk, "as_at": as_at},
            "asked_by_organisation": icb,
        }
        fields.update(overrides)
        return services.request_register(**fields)

    return _register
