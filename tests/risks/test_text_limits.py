"""Risk text is bounded like every other text (docs/limits.md): the services refuse text over its limit whoever
calls them, and an import names the row and column of an over-long cell and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wellled.core import limits
from wellled.risks import services
from wellled.risks.models import Control, Risk, RiskReview
from wellled.risks.spreadsheet import register_import

from .conftest import make_risk
from .test_import import GOOD_ROWS, workbook

pytestmark = pytest.mark.django_db


def test_risk_refused_when_its_cause_is_over_the_limit(org, editor):
    with pytest.raises(ValidationError) as refused:
        make_risk(org, editor, cause="x" * (limits.RISK_DESCRIPTION_CHARS + 1))
    assert "4,000 characters" in refused.value.message_dict["cause"][0]
    assert not Risk.objects.exists()
    make_risk(org, editor, cause="x" * limits.RISK_DESCRIPTION_CHARS)  # exactly at the limit is fine


def test_risk_refused_with_the_control_named_when_a_control_is_over_the_limit(org, editor):
    with pytest.raises(ValidationError) as refused:
        make_risk(org, editor, controls=["Daily huddle", "y" * (limits.RISK_CONTROL_CHARS + 1)])
    assert refused.value.message_dict["controls"][0].startswith("Control 2:")
    assert not Risk.objects.exists() and not Control.objects.exists()


def test_control_assurance_and_review_refused_over_their_limits(risk, editor, lead):
    with pytest.raises(ValidationError) as refused:
        services.control_add(risk=risk, by=editor, description="c" * (limits.RISK_CONTROL_CHARS + 1))
    assert "description" in refused.value.message_dict
    control = risk.controls.get()
    with pytest.raises(ValidationError) as refused:
        services.assurance_add(
            control=control,
            by=editor,
            source="s" * (limits.RISK_CONTROL_CHARS + 1),
            line="first",
            level="reasonable",
        )
    assert "source" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.risk_review_record(
            risk=risk,
            by=lead,
            reviewed_on=datetime.date(2026, 2, 1),
            narrative="n" * (limits.RISK_REVIEW_CHARS + 1),
            likelihood=3,
            consequence=4,
            expected_version=risk.version,
        )
    assert "6,000" in refused.value.message_dict["narrative"][0]
    assert not RiskReview.objects.exists()
    assert control.assurances.count() == 0 and risk.controls.count() == 1


def test_import_names_row_and_column_of_an_over_long_cell_and_writes_nothing(org, editor, lead, category):
    from wellled.core.choices import UnitKind
    from wellled.core.models import OrganisationUnit

    OrganisationUnit.objects.create(organisation=org, kind=UnitKind.DIRECTORATE, name="Medicine")
    lead.first_name, lead.last_name = "Lead", "Person"
    lead.save()
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][2] = "t" * 301  # the title column
    rows[1][10], rows[1][11] = "Closed", "r" * (limits.RISK_STATUS_REASON_CHARS + 1)
    result = register_import(organisation=org, by=editor, file=workbook(rows))
    found = {(p.row, p.column.strip()): p.message for p in result.problems}
    assert "more than the 300 allowed" in found[(5, "Risk Title / Description")]
    assert "more than the 2,000 allowed" in found[(6, "Closure reason")]
    assert not Risk.objects.exists()
