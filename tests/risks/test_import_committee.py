"""The register workbook's "Lead committee" column (issue 22, ADR 0063): a name is matched to one of the trust's
committees as the BAF's texts are linked; an unknown name is named by row and column and nothing is written; a
workbook without the column still imports; an export reads back unchanged."""

from __future__ import annotations

import datetime

import pytest
from tests.committees.builders import build_board
from tests.factories import make_person

from wellled.committees.models import Committee
from wellled.core.choices import Role
from wellled.core.registers import Upload as SpreadsheetFile
from wellled.risks.models import Risk
from wellled.risks.selectors import RegisterFilters, risk_register
from wellled.risks.spreadsheet import register_export, register_import

from .test_import import GOOD_ROWS, HEADERS, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    b = build_board()
    editor = make_person(b.org, Role.GOVERNANCE_EDITOR)
    make_person(
        b.org, Role.LEAD, username="lead", first_name="Lead", last_name="Person", email="lead@example.org"
    )
    from wellled.core.choices import UnitKind
    from wellled.core.models import OrganisationUnit
    from wellled.risks.models import RiskCategory

    for name in ("Medicine", "Surgery"):
        OrganisationUnit.objects.create(organisation=b.org, kind=UnitKind.DIRECTORATE, name=name)
    RiskCategory.objects.create(organisation=b.org, name="Workforce")
    return b, editor


def _rows(*committees):
    return [[*row, committee] for row, committee in zip(GOOD_ROWS, committees, strict=True)]


def test_lead_committee_names_written_loosely_link_the_trusts_committee(trust):
    b, editor = trust
    rows = _rows("Quality Cttee.", "the quality committee", "")
    result = register_import(organisation=b.org, by=editor, file=workbook(rows, [*HEADERS, "Lead committee"]))
    assert result.ok, [str(p) for p in result.problems]
    linked = dict(Risk.objects.values_list("title", "committee"))
    assert linked["Delays in ambulance handover"] == b.quality.pk
    assert linked["Sepsis screening missed in triage"] == b.quality.pk
    assert linked["Theatre list cancellations"] is None


def test_an_unknown_committee_is_named_by_row_and_column_and_nothing_is_written(trust):
    b, editor = trust
    rows = _rows("Quality Committee", "Estates Committee", "")
    result = register_import(organisation=b.org, by=editor, file=workbook(rows, [*HEADERS, "Lead committee"]))
    assert not result.ok
    problem = result.problems[0]
    assert (problem.row, problem.column) == (6, "Lead committee"), str(problem)
    assert "Estates Committee" in problem.message and "Quality Committee" in problem.message
    assert not Risk.objects.exists()


def test_another_trusts_committee_is_not_matched(trust):
    b, editor = trust
    Committee.objects.filter(pk=b.quality.pk).update(name="Quality Committee (old)")
    build_board()  # another trust with a "Quality Committee"
    rows = _rows("Quality Committee", "", "")
    result = register_import(organisation=b.org, by=editor, file=workbook(rows, [*HEADERS, "Lead committee"]))
    assert not result.ok and result.problems[0].column == "Lead committee"


def test_an_older_workbook_without_the_column_still_imports_and_the_export_reads_back(trust):
    b, editor = trust
    assert register_import(organisation=b.org, by=editor, file=workbook(GOOD_ROWS)).ok
    Risk.objects.filter(title="Delays in ambulance handover").update(committee=b.quality)
    content = register_export(
        risks=risk_register(
            user=editor, organisation=b.org, filters=RegisterFilters(status="all"), on=datetime.date.today()
        )
    )
    again = register_import(
        organisation=b.org, by=editor, file=SpreadsheetFile("export.xlsx", content), dry_run=True
    )
    assert again.ok, [str(p) for p in again.problems]
    assert {r.action for r in again.rows} == {"same"}
