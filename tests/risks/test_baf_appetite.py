"""The BAF against appetite (issue 26, ADR 0047): appetite and tolerance per strategic objective (the category's by
default), each principal risk flagged above tolerance in every format, target dates and "on track to target",
controls rated for effectiveness, assurances positive or negative and stale with age, the suggested assurance
rating, gaps tied to their control and action, and the consequence domain."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.risks import appetite, paper_kind, services
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.models import Gap, Risk

from .conftest import make_risk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _principal(risk, editor, objective, **baf):
    risk.refresh_from_db()
    return services.risk_baf_set(
        risk=risk, by=editor, expected_version=risk.version, principal=True, objective=objective, **baf
    )


@pytest.fixture
def baf(org, editor, lead, category, objective):
    """Two principal risks opened 100 days ago: BAF1 to an objective whose board set its appetite (minimal,
    tolerance 8), at 12 and so above it, with a target of 9 (above it too); BAF2 to an objective with none, read
    against its category's (cautious, 12), at 6 and within it."""
    services.objective_update(
        objective=objective, by=editor, expected_version=AS_IT_STANDS, appetite="minimal", tolerance=8
    )
    other = services.objective_create(organisation=org, by=editor, code="SO2", title="Live within our means")
    opened = TODAY - 100 * DAY
    above = make_risk(
        org,
        editor,
        reference="BAF1",
        title="Deteriorating patients missed",
        category=category,
        owner=lead,
        inherent=(4, 5),
        current=(3, 4),
        target=(3, 3),
        opened_on=opened,
        target_on=TODAY + 100 * DAY,
        consequence_domain="harm",
        controls=["Electronic observations"],
    )
    within = make_risk(
        org,
        editor,
        reference="BAF2",
        title="Overspend on agency staff",
        category=category,
        owner=lead,
        inherent=(4, 4),
        current=(2, 3),
        target=(2, 2),
        opened_on=opened,
        target_on=TODAY + 50 * DAY,
        consequence_domain="finance",
    )
    _principal(above, editor, objective), _principal(within, editor, other)
    return Risk.objects.get(pk=above.pk), Risk.objects.get(pk=within.pk)


# Appetite and tolerance ----------------------------------------------------------------------------------------


def test_objective_appetite_replaces_the_category_default_when_the_board_sets_one(baf, category, objective):
    """GGI risk appetite guidance: appetite is set for the board's strategic objectives; the category's appetite
    stays the default where an objective has none."""
    above, within = baf
    objective.refresh_from_db()
    assert above.appetite_from == objective and above.tolerance == 8 and above.above_appetite
    assert within.appetite_from == category and within.tolerance == 12 and not within.above_appetite


def test_objective_appetite_refused_when_only_half_given_or_not_a_matrix_score(org, editor):
    with pytest.raises(ValidationError) as error:
        services.objective_create(organisation=org, by=editor, code="SO9", title="x", appetite="open")
    assert "tolerance" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            organisation=org, by=editor, code="SO9", title="x", appetite="open", tolerance=7
        )
    assert "5 x 5" in error.value.message_dict["tolerance"][0]


def test_objective_appetite_refused_to_a_viewer(org, viewer, objective):
    with pytest.raises(PermissionDenied):
        services.objective_update(
            objective=objective, by=viewer, expected_version=AS_IT_STANDS, appetite="open", tolerance=15
        )


def test_paper_flags_the_principal_risk_above_tolerance_in_words(org, editor, baf):
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    by_ref = {r.reference: r for r in paper.principal}
    assert by_ref["BAF1"].tolerance_text == "Above tolerance (12 against 8)"
    assert by_ref["BAF1"].appetite_text == "Minimal; tolerance 8 (objective SO1)"
    assert by_ref["BAF2"].tolerance_text == "Within tolerance (6 against 12)"
    assert by_ref["BAF2"].appetite_text == "Cautious; tolerance 12 (category Workforce)"
    assert by_ref["BAF1"].target_above_tolerance  # target 9 against a tolerance of 8
    assert "target above tolerance (9 against 8)" in by_ref["BAF1"].target_text
    assert by_ref["BAF1"].consequence_domain.startswith("Harm")


# On track to target ---------------------------------------------------------------------------------------------


def test_on_track_follows_the_straight_line_from_inherent_to_target():
    """The rule this product documents (docs/risks.md, ADR 0047): the current score at or below the straight line
    from the inherent score on the day opened to the target score on the target date is on track."""
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    halfway = datetime.date(2026, 7, 2)
    common = {"target_score": 4, "start_score": 20, "start_on": start, "target_on": end}
    assert appetite.expected_score(on=halfway, **common) == pytest.approx(12, abs=0.1)
    assert appetite.track(current_score=12, on=halfway, **common) == appetite.ON_TRACK
    assert appetite.track(current_score=15, on=halfway, **common) == appetite.OFF_TRACK
    assert appetite.track(current_score=4, on=halfway, **common) == appetite.REACHED
    assert appetite.track(current_score=8, on=end + DAY, **common) == appetite.DATE_PASSED
    assert appetite.track(current_score=8, on=halfway, **(common | {"target_on": None})) == appetite.NO_DATE


def test_paper_says_whether_each_principal_risk_is_on_track_by_its_target_date(org, editor, baf):
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    by_ref = {r.reference: r for r in paper.principal}
    # BAF1: 20 to 9 over 200 days, half way expects 14.5; it is at 12.
    assert by_ref["BAF1"].track == appetite.ON_TRACK
    assert by_ref["BAF1"].target_text.startswith("On track to target; target date ")
    # BAF2: 16 to 4 over 150 days, two thirds of the way expects 8; it is at 6.
    assert by_ref["BAF2"].track == appetite.ON_TRACK
    late = baf_paper_build(user=editor, organisation=org, as_at=TODAY + 60 * DAY)
    assert {r.reference: r.track for r in late.principal}["BAF2"] == appetite.DATE_PASSED


# Controls, assurances and the suggested rating ---------------------------------------------------------------


def test_control_rated_for_effectiveness_and_refused_a_rating_outside_the_four(baf, editor):
    control = baf[0].controls.get()
    assert control.effectiveness == "not_assessed"
    control = services.control_update(
        control=control, by=editor, expected_version=control.version, effectiveness="partial"
    )
    assert control.get_effectiveness_display() == "Partially effective"
    with pytest.raises(ValidationError) as error:
        services.control_update(
            control=control, by=editor, expected_version=control.version, effectiveness="great"
        )
    assert "effectiveness" in error.value.message_dict


def test_assurance_stale_when_older_than_the_set_age_and_undated_never_current():
    """Assurance must be current to count: older than the set age (ASSURANCE_STALE_DAYS, a year by default) is
    stale."""
    on = datetime.date(2026, 12, 1)
    age = appetite.ASSURANCE_STALE_DAYS
    assert not appetite.assurance_stale(on - datetime.timedelta(days=age), on=on, stale_days=age)
    assert appetite.assurance_stale(on - datetime.timedelta(days=age + 1), on=on, stale_days=age)
    assert appetite.assurance_stale(None, on=on, stale_days=age)


def test_suggested_rating_is_the_weakest_current_assurance_and_a_negative_counts_limited():
    on = datetime.date(2026, 12, 1)
    fresh, old = on - 10 * DAY, on - 400 * DAY
    reading = appetite.AssuranceReading
    assert (
        appetite.suggested_rating(
            [reading("substantial", "positive", fresh), reading("reasonable", "positive", fresh)],
            on=on,
            stale_days=365,
        )
        == "reasonable"
    )
    # A stale "none" no longer counts; a negative substantial gives at most limited.
    assert (
        appetite.suggested_rating(
            [reading("none", "positive", old), reading("substantial", "negative", fresh)],
            on=on,
            stale_days=365,
        )
        == "limited"
    )
    assert appetite.suggested_rating([reading("none", "positive", old)], on=on, stale_days=365) == ""


def test_rating_other_than_suggested_needs_a_reason_and_is_audited(org, editor, baf):
    above = baf[0]
    control = above.controls.get()
    services.assurance_add(
        control=control,
        by=editor,
        source="Internal audit of escalation",
        line="third",
        level="limited",
        outcome="positive",
        reported_on=TODAY - 10 * DAY,
    )
    above.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.risk_baf_set(
            risk=above, by=editor, expected_version=above.version, assurance_rating="substantial"
        )
    assert "suggests limited" in error.value.message_dict["assurance_rating_reason"][0]
    services.risk_baf_set(
        risk=above,
        by=editor,
        expected_version=above.version,
        assurance_rating="reasonable",
        assurance_rating_reason="The audit covered one ward only.",
    )
    logs = AuditLog.objects.filter(object_id=str(above.pk)).values_list("after", flat=True)
    assert any("The audit covered one ward only." in str(after) for after in logs)
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    rated = {r.reference: r for r in paper.principal}["BAF1"]
    assert rated.rating_text == "Reasonable (suggested limited; overridden: The audit covered one ward only.)"
    assert "Internal audit of escalation" in paper.objectives[0].risks[0].controls[0].assurances[0].text


def test_assurance_refused_a_date_ahead_or_an_outcome_outside_positive_and_negative(baf, editor):
    control = baf[0].controls.get()
    with pytest.raises(ValidationError) as error:
        services.assurance_add(
            control=control,
            by=editor,
            source="Report",
            line="first",
            level="limited",
            outcome="mixed",
            reported_on=TODAY + DAY,
        )
    assert set(error.value.message_dict) == {"outcome", "reported_on"}


def test_stale_age_set_per_trust_changes_what_is_stale(org, editor, baf):
    control = baf[0].controls.get()
    services.assurance_add(
        control=control,
        by=editor,
        source="Matron audit",
        line="first",
        level="reasonable",
        outcome="positive",
        reported_on=TODAY - 100 * DAY,
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    assert not paper.objectives[0].risks[0].controls[0].assurances[0].stale
    services.assurance_age_set(organisation=org, by=editor, days=90)
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    assurance = paper.objectives[0].risks[0].controls[0].assurances[0]
    assert assurance.stale and "(stale)" in assurance.text


# Gaps -----------------------------------------------------------------------------------------------------------


def test_gap_tied_to_its_control_and_the_action_closing_it(org, editor, baf, objects):
    above = baf[0]
    gap = services.gap_add(
        risk=above,
        by=editor,
        kind="control",
        description="Outreach cover thin overnight",
        control=above.controls.get(),
        action=objects["action"],
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    text = {r.reference: r for r in paper.principal}["BAF1"].gaps[0].text
    assert text == (
        "Gap in control: Outreach cover thin overnight; undermines: Electronic observations; "
        f"closed by action {objects['action'].reference}"
    )
    assert Gap.objects.get().pk == gap.pk


def test_gap_refused_another_trusts_action_or_another_risks_control(org, other_org, editor, outsider, baf):
    from tests.factories import make_plan_objects

    from wellled.plans.models import Plan

    foreign = make_plan_objects(Plan.objects.get(organisation=other_org), outsider, outsider)["action"]
    above, within = baf
    other_control = services.control_add(risk=within, by=editor, description="Agency cap")
    with pytest.raises(ValidationError) as error:
        services.gap_add(
            risk=above,
            by=editor,
            kind="control",
            description="Gap",
            control=other_control,
            action=foreign,
        )
    assert set(error.value.message_dict) == {"control", "action"}


def test_gap_refused_to_a_viewer(baf, viewer):
    with pytest.raises(PermissionDenied):
        services.gap_add(risk=baf[0], by=viewer, kind="control", description="Gap")


def test_gap_page_refused_to_a_viewer(login, viewer, baf):
    assert login(viewer).get(reverse("risk-gap-add", args=[baf[0].pk])).status_code == 403


def test_gap_page_of_another_trusts_risk_is_404(login, outsider, baf):
    assert login(outsider).get(reverse("risk-gap-add", args=[baf[0].pk])).status_code == 404


def test_gap_added_on_its_page_shows_on_the_risk(login, editor, baf, objects):
    client = login(editor)
    control = baf[0].controls.get()
    response = client.post(
        reverse("risk-gap-add", args=[baf[0].pk]),
        {
            "kind": "assurance",
            "description": "No audit of night escalation",
            "control": control.pk,
            "action": objects["action"].pk,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("risk-detail", args=[baf[0].pk])).content.decode()
    assert "No audit of night escalation" in page and objects["action"].reference in page


# Every format of the BAF -------------------------------------------------------------------------------------


def test_issued_baf_pdf_word_csv_and_excel_each_say_appetite_tolerance_and_the_flag(org, editor, baf):
    """What boards read the BAF for (GGI, BAF guidance): each principal risk against its appetite and tolerance,
    and whether it is above it, in every file of the issued paper."""
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    issued = paper_kind.baf_paper_issue(organisation=org, as_at=TODAY, by=editor)
    files = {f.format: bytes(f.content) for f in issued.files.all()}
    pdf = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(files["pdf"])).pages
    )
    document = Document(io.BytesIO(files["docx"]))
    word = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["Principal risks"]
    headers = [c.value for c in sheet[4]]
    excel = [dict(zip(headers, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=5)]
    expected = {
        "BAF1": ("Minimal", "8", "Above tolerance (12 against 8)"),
        "BAF2": ("Cautious", "12", "Within tolerance (6 against 12)"),
    }
    for reference, (word_, tolerance, flag) in expected.items():
        assert f"{word_}; tolerance {tolerance}" in pdf and flag in pdf
        assert f"{word_}; tolerance {tolerance}" in word and flag in word
        for table in (rows, excel):
            row = next(r for r in table if r["Reference"] == reference)
            assert row["Appetite"].startswith(word_)
            assert str(row["Tolerance"]) == tolerance
            assert row["Against tolerance"] == flag
    baf1 = next(r for r in rows if r["Reference"] == "BAF1")
    assert baf1["Target above tolerance"] == "Yes (9 against 8)"
    assert baf1["On track to target"] == "On track to target"
    assert baf1["Target date"] and baf1["Consequence domain"].startswith("Harm")


def test_baf_page_and_issued_paper_page_flag_above_tolerance_in_text(login, org, editor, baf):
    client = login(editor)
    page = client.get(reverse("baf")).content.decode()
    assert "Above tolerance (12 against 8)" in page and "Within tolerance (6 against 12)" in page
    issued = paper_kind.baf_paper_issue(organisation=org, as_at=TODAY, by=editor)
    html = client.get(reverse("baf-paper-detail", args=[issued.pk])).content.decode()
    assert "Above tolerance (12 against 8)" in html


def test_draft_baf_says_above_tolerance(login, org, editor, baf):
    response = login(editor).get(reverse("paper-draft", args=["baf", "csv"]), {"as_at": TODAY.isoformat()})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Above tolerance (12 against 8)" in body.decode("utf-8-sig")


def test_old_issued_baf_without_the_new_fields_still_reads(org, editor, baf):
    """A BAF issued before appetite per objective reads back, its new fields empty (snapshot defaults)."""
    from wellled.reports.snapshot import snapshot_from_data, snapshot_to_data
    from wellled.risks.baf_paper import BafPaper

    data = snapshot_to_data(baf_paper_build(user=editor, organisation=org, as_at=TODAY))
    for objective in data["paper"]["objectives"]:
        for risk in objective["risks"]:
            for name in ("tolerance", "appetite_source", "target_date", "track", "gaps", "suggested_rating"):
                risk.pop(name)
    old = snapshot_from_data(BafPaper, data)
    assert old.principal[0].tolerance_text == "No tolerance set"


# The API --------------------------------------------------------------------------------------------------------


def test_api_shows_the_objective_tolerance_and_the_baf_flag(client, org, editor, baf):
    from wellled.api.services import token_create

    raw = token_create(user=editor, organisation=org, name="Tests", by=editor)[1]
    headers = {"Authorization": f"Bearer {raw}"}
    risk = client.get(f"/api/risks/{baf[0].pk}/", headers=headers).json()
    assert risk["tolerance"] == 8 and risk["appetite"] == "minimal" and risk["above_appetite"] is True
    assert risk["target_above_tolerance"] is True and risk["consequence_domain"] == "harm"
    assert risk["controls"][0]["effectiveness"] == "not_assessed"
    above = client.get("/api/risks/?above_appetite=true", headers=headers).json()
    assert [r["reference"] for r in above["results"]] == ["BAF1"]
    paper = client.get("/api/baf/", headers=headers).json()
    first = paper["objectives"][0]["risks"][0]
    assert first["tolerance_text"] == "Above tolerance (12 against 8)" and first["above_tolerance"] is True


# The register workbook ---------------------------------------------------------------------------------------


def test_register_workbook_carries_the_domain_and_target_date_both_ways(org, editor, baf):
    """The register round trip (core.registers) includes the new columns: exported, changed in Excel, imported
    back through risk_update; a domain outside the five is refused naming its row and column."""
    from wellled.core.registers import Upload
    from wellled.core.workbook import workbook_bytes
    from wellled.risks.selectors import RegisterFilters, risk_register
    from wellled.risks.spreadsheet import register_export, register_import

    data = register_export(
        risks=risk_register(user=editor, organisation=org, filters=RegisterFilters(status="all"), on=TODAY)
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["BAF1"][headers.index("Consequence domain")].value.startswith("Harm")
    assert rows["BAF1"][headers.index("Target date")].value is not None
    rows["BAF2"][headers.index("Consequence domain")].value = "Reputation"
    rows["BAF2"][headers.index("Target date")].value = TODAY + 200 * DAY
    result = register_import(organisation=org, by=editor, file=Upload("register.xlsx", workbook_bytes(book)))
    assert result.applied, [str(p) for p in result.problems]
    within = Risk.objects.get(reference="BAF2")
    assert within.consequence_domain == "reputation" and within.target_on == TODAY + 200 * DAY

    rows["BAF2"][headers.index("Consequence domain")].value = "Weather"
    refused = register_import(organisation=org, by=editor, file=Upload("register.xlsx", workbook_bytes(book)))
    assert not refused.ok
    assert any("Consequence domain" in str(p) and "Weather" in str(p) for p in refused.problems)


def test_control_effectiveness_rated_on_its_edit_page_and_shown_on_the_risk(login, editor, baf):
    client = login(editor)
    control = baf[0].controls.get()
    response = client.post(
        reverse("control-edit", args=[control.pk]),
        {"description": control.description, "effectiveness": "ineffective", "version": control.version},
    )
    assert response.status_code == 302, response.content[:300]
    page = client.get(reverse("risk-detail", args=[baf[0].pk])).content.decode()
    assert "Effectiveness: <strong>Ineffective</strong>" in page


def test_risk_settings_page_sets_the_age_at_which_assurance_is_stale(login, org, editor, baf):
    from wellled.risks.models import assurance_stale_days

    client = login(editor)
    assert assurance_stale_days(org) == appetite.ASSURANCE_STALE_DAYS
    response = client.post(
        reverse("risk-settings"), {"escalation_threshold": "15", "assurance_stale_days": "180"}
    )
    assert response.status_code == 302
    assert assurance_stale_days(org) == 180
    refused = client.post(
        reverse("risk-settings"), {"escalation_threshold": "15", "assurance_stale_days": "0"}
    )
    assert refused.status_code == 200 and "Assurance is stale after" in refused.content.decode()
    assert assurance_stale_days(org) == 180  # refused, the form shown again with its error


def test_gap_tied_to_its_closing_action_later_and_a_stale_edit_refused(editor, baf, objects):
    from wellled.core.service_kit import ConcurrentEditError

    gap = services.gap_add(risk=baf[0], by=editor, kind="assurance", description="No audit of night shifts")
    changed = services.gap_update(gap=gap, by=editor, expected_version=gap.version, action=objects["action"])
    assert changed.action == objects["action"] and changed.version == gap.version + 1
    with pytest.raises(ConcurrentEditError):
        services.gap_update(gap=gap, by=editor, expected_version=gap.version, description="Overwritten")
