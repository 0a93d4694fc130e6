"""Importing published ratings: CQC's CSV shape, every row or none, errors naming row and column."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wellled.assessments.importers import RatingsImportError, ratings_import
from wellled.assessments.models import PublishedRating
from wellled.core.models import AuditLog, OrganisationUnit

pytestmark = pytest.mark.django_db

HEADER = "location id,location name,service,key question,rating,date\n"
NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=366)
GOOD = HEADER + (
    "ZNT01,Northmoor Test Trust,,Well-led,Requires improvement,2022-11-09\n"
    "ZNT11,Northmoor Test General,,Overall,Good,09/11/2022\n"
    "ZNT11,Northmoor Test General,Urgent and emergency care,Safe,Inadequate,2022-11-09\n"
    "ZNT11,Northmoor Test General,Urgent and emergency care,Caring,Not rated,2022-11-09\n"
)


def test_a_good_file_is_imported_with_services_added_and_audited(org, site, editor):
    result = ratings_import(organisation=org, text=GOOD, by=editor)
    assert (result.rows, result.created, result.skipped_not_rated) == (4, 3, 1)
    assert result.services_added == ["Urgent and emergency care"]
    service = OrganisationUnit.objects.get(organisation=org, kind="service", name="Urgent and emergency care")
    rows = {(r.location_id, r.service_id, r.key_question): r.rating for r in PublishedRating.objects.all()}
    assert rows == {
        (None, None, "well_led"): "requires_improvement",
        (site.pk, None, "overall"): "good",
        (site.pk, service.pk, "safe"): "inadequate",
    }
    assert all(r.source == "imported" and r.assessor_kind == "cqc" for r in PublishedRating.objects.all())
    assert AuditLog.objects.filter(content_type__model="publishedrating", actor=editor).count() == 3
    again = ratings_import(organisation=org, text=GOOD, by=editor)
    assert (again.created, again.unchanged) == (0, 3) and PublishedRating.objects.count() == 3


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(org, site, editor):
    text = HEADER + (
        "ZNT11,General,,Safe,Good,2022-11-09\n"
        "ZZZ99,Elsewhere,,Safe,Good,2022-11-09\n"
        "ZNT11,General,,Kind,Good,2022-11-09\n"
        "ZNT11,General,,Caring,Gud,2022-11-09\n"
        "ZNT11,General,,Effective,Good,31/02/2022\n"
        "ZNT01,Trust,Maternity,Safe,Good,2022-11-09\n"
        "ZNT11,General,,Safe,Good,2022-11-09\n"
        ",General,,Safe,Good,2022-11-09\n"
        "ZNT11,General\n"
        f"ZNT11,General,,Responsive,Good,{NEXT_YEAR:%Y-%m-%d}\n"
    )
    with pytest.raises(RatingsImportError) as caught:
        ratings_import(organisation=org, text=text, by=editor)
    assert caught.value.errors == [
        "Row 3, column 'location id': 'ZZZ99' is not the ODS code of one of Northmoor Test Trust's sites "
        "(nor the trust's own, ZNT01).",
        "Row 4, column 'key question': 'Kind' is not a key question; expected Safe, Effective, Caring, Responsive, "
        "Well-led or Overall.",
        "Row 5, column 'rating': 'Gud' is not a rating; expected Outstanding, Good, Requires improvement or "
        "Inadequate (or Not rated).",
        "Row 6, column 'date': '31/02/2022' is not a date; write it as 2024-07-24 or 24/07/2024.",
        "Row 7, column 'service': a rating of the whole trust has no service; give the site's ODS code for a "
        "service's rating.",
        "Row 8: it repeats row 2 (same location, service, key question and date).",
        "Row 9, column 'location id': it is empty; give a site's ODS code, or ZNT01 for the whole trust.",
        "Row 10: it has fewer values than the header has columns.",
        f"Row 11, column 'date': {NEXT_YEAR:%d/%m/%Y} is in the future.",
    ]
    assert not PublishedRating.objects.exists()
    assert not OrganisationUnit.objects.filter(kind="service").exists()


def test_a_missing_column_is_reported_on_row_1(org, editor):
    with pytest.raises(RatingsImportError) as caught:
        ratings_import(organisation=org, text="location id,rating,date\nZNT01,Good,2022-01-01\n", by=editor)
    assert caught.value.errors == [
        "Row 1: the header lacks the columns 'location name', 'service', 'key question'."
    ]


def test_a_rating_that_contradicts_one_already_recorded_is_refused(org, site, editor):
    ratings_import(organisation=org, text=GOOD, by=editor)
    changed = (
        GOOD.replace("Well-led,Requires improvement", "Well-led,Good")
        + "ZNT11,Northmoor Test General,,Safe,Good,2023-01-01\n"
    )
    with pytest.raises(RatingsImportError) as caught:
        ratings_import(organisation=org, text=changed, by=editor)
    assert caught.value.errors[0].startswith(
        "Row 2, column 'rating': Northmoor Test Trust, Well-led: Requires "
        "improvement (09 Nov 2022) is already recorded; the file says good."
    )
    assert PublishedRating.objects.count() == 3  # the new 2023 row was not saved either


def test_the_command_imports_dry_runs_and_reports_errors(org, site, tmp_path: Path):
    path = tmp_path / "ratings.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("ratings", "import", str(path), "--organisation", "znt01", "--dry-run", stdout=out)
    assert "Dry run, nothing saved." in out.getvalue() and "3 ratings would be added" in out.getvalue()
    assert not PublishedRating.objects.exists()
    call_command("ratings", "import", str(path), "--organisation", "ZNT01", stdout=out)
    assert PublishedRating.objects.count() == 3
    path.write_text(HEADER + "ZNT11,General,,Safe,Gud,2022-11-09\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        call_command("ratings", "import", str(path), "--organisation", "ZNT01", stderr=err)
    assert "Row 2, column 'rating': 'Gud' is not a rating" in err.getvalue()
    with pytest.raises(CommandError, match="No organisation has the ODS code 'NOPE'"):
        call_command("ratings", "import", str(path), "--organisation", "nope")


def test_the_documented_example_file_imports_into_the_demo_trust():
    from wellled.demo.plans import demo_load

    demo_load()
    from wellled.core.models import Organisation

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "cqc_ratings.csv"
    result = ratings_import(
        organisation=Organisation.objects.get(ods_code="ZNM"),
        text=example.read_text(encoding="utf-8"),
        by=None,
        dry_run=True,
    )
    assert result.created > 0


def test_a_file_of_two_million_lines_is_refused_at_the_row_limit(org):
    from wellled.assessments.importers import MAX_ROWS

    text = HEADER + "ZNT01,x,,Safe,Good,2022-11-09\n" * 1 + "\n" * 2_050_000
    with pytest.raises(RatingsImportError) as refused:
        ratings_import(organisation=org, text=text, by=None)
    assert refused.value.errors == [f"The file has more than {MAX_ROWS} rows; split it."]


def test_a_rating_dated_before_1948_is_refused_naming_row_and_column(org, site):
    text = HEADER + "ZNT11,Northmoor Test General,,Overall,Good,1900-01-01\n"
    with pytest.raises(RatingsImportError) as refused:
        ratings_import(organisation=org, text=text, by=None)
    assert refused.value.errors[0].startswith("Row 2, column 'date': 1 January 1900 is before 1948")
