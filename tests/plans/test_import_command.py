"""`wellled plan import` and `wellled plan export` from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command
from tests.factories import db_state, make_person
from tests.spreadsheets import HEADER, xlsx_bytes

from wellled.__main__ import main
from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.plans.models import Action, Plan

ROWS = [
    HEADER,
    ["W1 Leadership capacity"],
    ["W1a", "Coach ward leaders", "March 2026 July 2026", "RG", "60 coached", "Coaching has started.", "A/G"],
    ["W1b", "Agree succession plans", "April 2026", "TL", "Plan agreed", "UPDATE AWAITED", "amber-green"],
]


@pytest.fixture
def workbook(tmp_path, org):
    make_person(org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG")
    path = tmp_path / "self-review.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_dry_run_prints_the_preview_with_problems_by_row_and_column_and_saves_nothing(workbook, people):
    before = db_state()
    out, _ = run(
        "import", str(workbook), "--organisation", "znt01", "--plan", "Self-review 2026", "--dry-run"
    )
    assert out.splitlines() == [
        "Northmoor Test Trust has no plan called ‘Self-review 2026’: the import creates it.",
        "self-review.xlsx: 2 actions read for Self-review 2026: 2 to add, 0 to change, 0 unchanged.",
        "  WARNING: Row 4, column ‘Lead’: ‘TL’ is not anyone at Northmoor Test Trust, so they become a person to "
        "invite (initials TL).",
        "  WARNING: Row 4, column ‘Progress update’: UPDATE AWAITED: W1b’s lead still owes an update for this "
        "position; any status given is kept, and the paper prints the action as awaited.",
        "  New section W1: Leadership capacity",
        "  Lead ‘RG’ taken to be Rosa Green (RG) (row 3): check, or change it on the upload page",
        "  Person to invite: TL (row 4)",
        "  + W1a (row 3): Coach ward leaders",
        "  + W1b (row 4): Agree succession plans",
        "Nothing saved (--dry-run).",
    ]
    assert db_state() == before


@pytest.mark.django_db
def test_import_creates_the_plan_as_the_first_administrator_and_reimport_reports_changes(
    workbook, people, org
):
    out, _ = run("import", str(workbook), "--organisation", "ZNT01", "--plan", "Self-review 2026")
    assert out.splitlines()[-1] == (
        "Imported self-review.xlsx into Self-review 2026: 2 added, 0 changed, 0 unchanged. Invited: TL."
    )
    plan = Plan.objects.get(organisation=org, name="Self-review 2026")
    created = AuditLog.objects.get(content_type__model="plan", object_id=str(plan.pk), action="create")
    assert created.actor == people[Role.ADMINISTRATOR]
    rows = [list(r) for r in ROWS]
    rows[2][5] = "Every ward leader is being coached."
    workbook.write_bytes(xlsx_bytes(rows))
    out, _ = run(
        "import",
        str(workbook),
        "--organisation",
        "ZNT01",
        "--plan",
        "Self-review 2026",
        "--as",
        "governance_editor",
    )
    assert "  ~ W1a (row 3): new progress update (A/G)" in out.splitlines()
    assert (
        out.splitlines()[-1]
        == "Imported self-review.xlsx into Self-review 2026: 0 added, 1 changed, 1 unchanged."
    )
    update = Action.objects.get(plan=plan, reference="W1a").updates.first()
    assert (
        update.narrative == "Every ward leader is being coached."
        and update.created_by == people["governance_editor"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organisation", "ZZZ99", "--plan", "P"], "No organisation has the ODS code 'ZZZ99'."),
        (
            ["--organisation", "ZNT01", "--plan", "P", "--as", "nobody"],
            "No member of Northmoor Test Trust has the username 'nobody'.",
        ),
        (
            ["--organisation", "ZNT01", "--plan", "P", "--as", "viewer"],
            "viewer is a viewer at Northmoor Test Trust, and only governance editors and administrators can import plans.",
        ),
    ],
)
def test_bad_input_ends_with_one_line_and_exit_status_2_when_imported(workbook, people, args, message):
    before = db_state()
    with pytest.raises(CommandError) as caught:
        run("import", str(workbook), *args)
    assert (str(caught.value), caught.value.returncode) == (message, 2)
    assert db_state() == before


@pytest.mark.django_db
def test_file_with_errors_is_reported_and_refused_with_exit_status_2_when_imported(tmp_path, people):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(
        xlsx_bytes([HEADER, ["W1a", "Coach ward leaders", "Spring 2026", None, None, None, "G"]])
    )
    before = db_state()
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--organisation", "ZNT01", "--plan", "P", stdout=out)
    assert (str(caught.value), caught.value.returncode) == ("broken.xlsx has 1 error(s); nothing saved.", 2)
    assert (
        "  ERROR: Row 2, column ‘Timescale’: ‘Spring 2026’ is not a timescale Wellled can read: write a month "
        "and year (March 2026), a date (31/03/2026) or a financial-year quarter (Q3 2026/27)."
    ) in out.getvalue()
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError) as caught:
        run("import", str(path), "--organisation", "ZNT01", "--plan", "P")
    assert str(caught.value).startswith("broken.xlsx: ‘broken.xlsx’ is not an Excel workbook")
    assert db_state() == before


@pytest.mark.django_db
def test_long_files_show_a_progress_bar_on_stderr_when_asked(tmp_path, people):
    path = tmp_path / "long.csv"
    path.write_text("Ref,Planned action,Status\n" + "".join(f"A{i},Long action {i},G\n" for i in range(600)))
    _, err = run("import", str(path), "--organisation", "ZNT01", "--plan", "Long", "--dry-run", "--progress")
    assert err.endswith(f"\rReading actions [{'#' * 30}] 600/600\n") and "250/600" in err
    _, err = run(
        "import", str(path), "--organisation", "ZNT01", "--plan", "Long", "--dry-run", "--no-progress"
    )
    assert err == ""


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_writes_the_plan_and_importing_it_back_changes_nothing(tmp_path, people, plan, fmt):
    path = tmp_path / f"plan.{fmt}"
    out, _ = run(
        "export", "--organisation", "ZNT01", "--plan", plan.name, "--format", fmt, "--out", str(path)
    )
    assert out.startswith(f"Wrote {plan.name} (3 actions) to {path} (") and path.stat().st_size > 0
    out, _ = run("import", str(path), "--organisation", "ZNT01", "--plan", plan.name, "--dry-run")
    assert f"plan.{fmt}: 3 actions read for {plan.name}: 0 to add, 0 to change, 3 unchanged." in out
    with pytest.raises(CommandError) as caught:
        run("export", "--organisation", "ZNT01", "--plan", "Missing", "--format", fmt, "--out", str(path))
    assert caught.value.returncode == 2
    assert (
        str(caught.value) == f"Northmoor Test Trust has no plan called ‘Missing’. Its plans: ‘{plan.name}’."
    )
    with pytest.raises(CommandError) as caught:
        run(
            "export",
            "--organisation",
            "ZNT01",
            "--plan",
            plan.name,
            "--format",
            fmt,
            "--out",
            str(tmp_path / "no" / "such" / "x"),
        )
    assert str(caught.value) == f"The folder {tmp_path / 'no' / 'such'} does not exist."


def test_command_line_exits_with_status_2_and_one_line_when_the_file_is_missing(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["wellled", "plan", "import", "/no/such/plan.xlsx", "--organisation", "ZNT01", "--plan", "P"])
    assert caught.value.code == 2
    assert capsys.readouterr().err == "CommandError: /no/such/plan.xlsx: no such file.\n"


@pytest.mark.django_db
def test_as_at_dates_every_imported_update_and_timescale_and_says_so(workbook, people, org):
    import datetime

    out, _ = run(
        "import",
        str(workbook),
        "--organisation",
        "znt01",
        "--plan",
        "Self-review 2025",
        "--as-at",
        "2025-09-30",
    )
    assert "Position as at 30 September 2025, from the date given for this import." in out
    plan = Plan.objects.get(organisation=org, name="Self-review 2025")
    w1a = plan.actions.get(reference="W1a")
    assert [u.update_date for u in w1a.updates.all()] == [datetime.date(2025, 9, 30)]
    assert {t.position_date for t in w1a.timescales.all()} == {datetime.date(2025, 9, 30)}
    assert plan.cycles.get().name == "Position as at 30 September 2025 (imported)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("30/09/2025", "is not a date: write it as YYYY-MM-DD"),
        ("1901-01-01", "outside 1 January 2000 to today"),
    ],
)
def test_a_bad_as_at_is_refused_with_the_reason_and_nothing_saved(workbook, people, value, message):
    before = db_state()
    out = io.StringIO()
    args = (
        "import",
        str(workbook),
        "--organisation",
        "znt01",
        "--plan",
        "Self-review 2025",
        "--as-at",
        value,
    )
    with pytest.raises(CommandError) as caught:
        call_command("plan", *args, stdout=out, stderr=io.StringIO())
    assert message in str(caught.value) + out.getvalue()
    assert db_state() == before
