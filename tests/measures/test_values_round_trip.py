"""Measures' values both ways (issue 25): export the figures as .xlsx, edit them in a real workbook with openpyxl,
upload: the changed figure is corrected (the earlier one kept and audited), the new period added, every other period
left as it was, nothing deleted; the preview shows the differences row by row before anything is saved."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from wellled.core.models import AuditLog
from wellled.measures.exports import HEADER
from wellled.measures.models import MeasureValue, MeasureValueRevision

pytestmark = pytest.mark.django_db


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(client, book, url="/measures/upload/"):
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "edited.xlsx"
    return client.post(url, {"file": out})


def _stored(*measures):
    return {
        (v.measure_id, v.period): (v.value, v.numerator, v.denominator)
        for v in MeasureValue.objects.filter(measure__in=measures)
    }


def test_export_edit_and_upload_changes_only_what_was_edited(
    login, editor, measure, proportion, foreign_measure
):
    client = login(editor)
    before = _stored(measure, proportion)
    book = _book(client.get("/measures/values.xlsx"))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 24 + 15  # every stored period of both measures, none of the other trust's
    assert {r[0] for r in rows[1:]} == {"Overdue risk reviews", "Survey response rate"}
    assert rows[1][:3] == ("Overdue risk reviews", datetime.datetime(2023, 1, 1), 300)

    unchanged = _upload(client, book)  # uploaded as exported: nothing would change
    assert unchanged.status_code == 200
    assert "Row by row" not in unchanged.content.decode()

    sheet["C2"] = 280  # Overdue risk reviews, January 2023: 300 -> 280
    sheet.append(["Overdue risk reviews", datetime.datetime(2025, 1, 1), 236])  # a new period
    sheet.append(["Survey response rate", "2024-04", None, 350, 1000])  # a new period, typed as text
    sheet.delete_rows(30)  # a row taken out of the file is not deleted from Wellled
    preview = _upload(client, book)
    body = preview.content.decode()
    assert preview.status_code == 200, body[:2000]
    assert "Row by row" in body and "No figure (new period)" in body
    assert _stored(measure, proportion) == before  # nothing saved before Import

    response = client.post("/measures/upload/", {"confirm": client.session["measures_upload"]["token"]})
    assert response.status_code == 302
    after = _stored(measure, proportion)
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    assert changed == {
        (measure.pk, datetime.date(2023, 1, 1)): (280, None, None),
        (measure.pk, datetime.date(2025, 1, 1)): (236, None, None),
        (proportion.pk, datetime.date(2024, 4, 1)): (None, 350, 1000),
    }
    assert set(before) <= set(after)  # nothing deleted
    corrected = MeasureValue.objects.get(measure=measure, period="2023-01-01")
    assert MeasureValueRevision.objects.get(measure_value=corrected).value == 300
    assert AuditLog.objects.filter(
        object_id=str(corrected.pk), note__startswith="Value corrected from"
    ).exists()


def test_one_measure_exports_alone_and_another_trust_cannot_export_it(
    login, editor, outsider, measure, proportion
):
    client = login(editor)
    rows = list(_book(client.get(f"/measures/{measure.pk}/values.xlsx")).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"Overdue risk reviews"}
    client.logout()
    other = login(outsider)
    assert other.get(f"/measures/{measure.pk}/values.xlsx").status_code == 404
    rows = list(_book(other.get("/measures/values.xlsx")).active.iter_rows(values_only=True))
    assert rows == [HEADER]


def test_the_command_exports_and_its_dry_run_prints_each_change(tmp_path, org, measure):
    path = tmp_path / "values.xlsx"
    call_command("measures", "export", str(path), "--organisation", org.ods_code, stdout=StringIO())
    book = openpyxl.load_workbook(path)
    book.active["C3"] = 305.5  # February 2023: 310 -> 305.5
    book.active.append(["Overdue risk reviews", "2025-02", 230])
    book.save(path)
    out = StringIO()
    call_command("measures", "load", str(path), "--organisation", org.ods_code, "--dry-run", stdout=out)
    printed = out.getvalue()
    assert "Row 3: Overdue risk reviews, February 2023: 310 → 305.5" in printed
    assert "Row 26: Overdue risk reviews, February 2025: no figure → 230" in printed
    assert "1 would be added, 1 corrected, 23 unchanged" in printed
    assert MeasureValue.objects.get(measure=measure, period="2023-02-01").value == 310


def test_a_name_that_starts_like_a_formula_survives_the_round_trip(org, editor):
    from wellled.measures import exports, importers, services

    measure = services.measure_create(organisation=org, by=editor, name="+ve screens", kind="count")
    services.values_load(
        organisation=org,
        by=editor,
        source="seed.csv",
        rows=[services.ValueRow(measure.pk, datetime.date(2025, 1, 1), value=4.0)],
    )
    data = exports.values_workbook([measure], MeasureValue.objects.filter(measure=measure))
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A2"].value == "'+ve screens"  # never a formula
    parsed = importers.parse_upload(name="values.xlsx", data=data, measures=[measure])
    assert parsed.ok and parsed.rows[0].measure == measure
