"""`wellled measures load FILE --organisation ODS [--as-user USERNAME] [--dry-run]`."""

import pytest
from django.core.management import CommandError, call_command

from wellled.core.models import AuditLog
from wellled.measures.models import MeasureValue

pytestmark = pytest.mark.django_db


def write(tmp_path, text, name="figures.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_load_as_a_user_saves_values_and_records_who(tmp_path, org, editor, measure, capsys):
    path = write(
        tmp_path, "measure,period,value\nOverdue risk reviews,2019-01,5\nOverdue risk reviews,2023-01,301\n"
    )
    call_command("measures", "load", path, "--organisation", org.ods_code, "--as-user", editor.username)
    assert "1 added, 1 corrected" in capsys.readouterr().out
    assert MeasureValue.objects.get(measure=measure, period="2023-01-01").updated_by == editor
    assert AuditLog.objects.filter(actor=editor, note__startswith="Values from figures.csv").exists()


def test_dry_run_saves_nothing(tmp_path, org, measure, capsys):
    before = MeasureValue.objects.count()
    call_command(
        "measures",
        "load",
        write(tmp_path, "measure,period,value\nOverdue risk reviews,2019-01,5\n"),
        "--organisation",
        org.ods_code,
        "--dry-run",
    )
    assert "Nothing saved (--dry-run)" in capsys.readouterr().out
    assert MeasureValue.objects.count() == before


def test_a_bad_file_prints_each_row_and_column_and_saves_nothing(tmp_path, org, measure, capsys):
    before = MeasureValue.objects.count()
    path = write(
        tmp_path, "measure,period,value\nOverdue risk reviews,2019-01,5\nOverdue risk reviews,2019-02,x\n"
    )
    with pytest.raises(CommandError, match="nothing saved"):
        call_command("measures", "load", path, "--organisation", org.ods_code)
    assert "figures.csv: Row 3, column ‘value’: ‘x’ is not a number." in capsys.readouterr().err
    assert MeasureValue.objects.count() == before


def test_a_viewer_or_an_outsider_cannot_load(tmp_path, org, viewer, outsider, measure):
    path = write(tmp_path, "measure,period,value\nOverdue risk reviews,2019-01,5\n")
    with pytest.raises(CommandError, match="role does not allow"):
        call_command("measures", "load", path, "--organisation", org.ods_code, "--as-user", viewer.username)
    with pytest.raises(CommandError, match="not a member"):
        call_command("measures", "load", path, "--organisation", org.ods_code, "--as-user", outsider.username)
    with pytest.raises(CommandError, match="No organisation"):
        call_command("measures", "load", path, "--organisation", "ZZZ99")


def test_the_demo_loader_is_idempotent_and_links_actions(db):
    from wellled.demo.measures import MEASURES, measures_demo_load
    from wellled.demo.plans import demo_load
    from wellled.measures.models import Measure, SuccessMeasureLink

    demo_load()
    assert measures_demo_load() == len(MEASURES)
    assert measures_demo_load() == 0
    assert Measure.objects.count() == len(MEASURES)
    assert SuccessMeasureLink.objects.count() == 4
    assert MeasureValue.objects.filter(value__isnull=True, numerator__isnull=True).exists()  # gaps
