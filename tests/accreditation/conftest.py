"""Wards of the test trust and an audit of one of them."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def wards(org):
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    return [
        organisation_unit_create(organisation=org, kind=UnitKind.WARD, name=name, by=None)
        for name in ("Ward 7 (acute medicine)", "Larch ward")
    ]


@pytest.fixture
def scheme(db):
    from wellled.accreditation.models import AccreditationScheme

    return AccreditationScheme.objects.get(key="wellled-ward-accreditation")


@pytest.fixture
def audit_day():
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=3)


@pytest.fixture
def draft(org, wards, scheme, lead, audit_day):
    from wellled.accreditation.services import ward_audit_start

    return ward_audit_start(organisation=org, unit=wards[0], scheme=scheme, audited_on=audit_day, by=lead)


def all_met(scheme, **changes):
    answers = {standard.code: "met" for standard in scheme.scheme.standards()}
    answers.update(changes)
    return answers
