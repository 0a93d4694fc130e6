"""A corpus of messy action-plan workbooks, each read with the exact messages a person would see.

The layouts follow real trust plans (a board self-review by KLOE, a CQC response by finding, a workstream plan with
merged cells); every sentence in them is written for these tests.
"""

import datetime

import pytest
from tests.factories import db_state, make_person
from tests.spreadsheets import HEADER, STATUS_KEY, csv_file, xlsx_file

from wellled.core.choices import Role
from wellled.core.models import AuditLog, Membership, User
from wellled.plans.models import Action, Finding, Plan, Section
from wellled.plans.spreadsheet.importer import ImportRefused, plan_import_apply, plan_import_preview


@pytest.fixture
def leads(org):
    """Two leads that boards know by their initials."""
    return {
        "RG": make_person(
            org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG"
        ),
        "AK": make_person(
            org, role=Role.LEAD, username="amir", first_name="Amir", last_name="Khan", initials="AK"
        ),
    }


def problems(preview):
    return [str(p) for p in preview.problems]


def timescales(action):
    return [(t.due_date, t.precision) for t in action.timescales.all()]


SELF_REVIEW = [
    ["Well-led self-review: action plan"],
    ["Position as at 30 September 2026"],
    [],
    HEADER,
    ["KLOE", "W1: Is there the leadership capacity and capability to deliver?"],
    [
        "W1a",
        "Start a coaching programme for ward leaders",
        "March 2026 July 2026",
        "RG",
        "60 ward leaders coached",
        "Forty leaders have started coaching.",
        "A/G",
    ],
    [
        "W1b",
        "Agree a succession plan for each director",
        "February June 2026",
        "RG / AK / DMc",
        "Plan agreed by the committee",
        "UPDATE AWAITED",
        "amber-green",
    ],
    [],
    STATUS_KEY,
    HEADER,
    [None, None, "December 26", None, None, None, None],
    ["W2 Is there a clear vision and a credible strategy?"],
    [
        "W2a",
        "Refresh the quality strategy with staff",
        "Q3 2026/27",
        "Varied",
        "Strategy approved",
        "Drafted and shared with governors. UPDATE AWAITED",
        "Amber/Green",
    ],
    [
        "W2b",
        "Deliver the digital resilience plan",
        "31/03/2026",
        "AK",
        "No outage longer than an hour",
        None,
        "Blue/complete",
    ],
    ["W2c", "Keep the leadership forum running", "Ongoing", "ak", None, "The forum meets monthly.", "G"],
    [
        "W2d",
        "Publish the estates plan",
        "March 2026",
        "TL",
        "Plan published",
        "Delayed by the consultation.",
        "Red",
    ],
]


@pytest.mark.django_db
def test_board_self_review_by_kloe_is_read_with_its_mess_when_previewed(org, editor, leads):
    preview = plan_import_preview(
        organisation=org,
        plan_or_none=None,
        file=xlsx_file(SELF_REVIEW),
        by=editor,
        plan_name="Self-review 2026",
    )
    assert problems(preview) == [
        "Row 7, column ‘Lead’: ‘DMc’ is not anyone at Northmoor Test Trust, so they become a person to invite "
        "(initials DMc).",
        "Row 7, column ‘Progress update’: UPDATE AWAITED: W1b’s lead still owes an update for this position; any "
        "status given is kept, and the paper prints the action as awaited.",
        "Row 11: This row has no reference, lead or status, so it is read as the rest of W1b (row 7), split by a "
        "page break.",
        "Row 13, column ‘Progress update’: Marked UPDATE AWAITED: the rest of the text is imported as W2a’s last "
        "update, and the paper prints the action as awaited for this position, whatever its status.",
        "Row 15, column ‘Timescale’: ‘Ongoing’ is not a date, so no timescale is taken from it.",
        "Row 16, column ‘Lead’: ‘TL’ is not anyone at Northmoor Test Trust, so they become a person to invite "
        "(initials TL).",
    ]
    assert preview.ok and not preview.errors
    assert [(a.reference, a.row, a.kind) for a in preview.actions] == [
        ("W1a", 6, "create"),
        ("W1b", 7, "create"),
        ("W2a", 13, "create"),
        ("W2b", 14, "create"),
        ("W2c", 15, "create"),
        ("W2d", 16, "create"),
    ]
    assert [(s.code, s.title) for s in preview.new_sections] == [
        ("W1", "Is there the leadership capacity and capability to deliver?"),
        ("W2", "Is there a clear vision and a credible strategy?"),
    ]
    assert [i.display for i in preview.invitees] == ["DMc", "TL"]


@pytest.mark.django_db
def test_board_self_review_creates_the_plan_with_revisions_leads_and_statuses_when_imported(
    org, editor, leads
):
    result = plan_import_apply(
        organisation=org,
        plan_or_none=None,
        file=xlsx_file(SELF_REVIEW),
        by=editor,
        plan_name="Self-review 2026",
    )
    plan = Plan.objects.get(organisation=org, name="Self-review 2026")
    assert result.plan == plan and result.created == ["W1a", "W1b", "W2a", "W2b", "W2c", "W2d"]
    assert result.invited == ["DMc", "TL"]
    actions = {a.reference: a for a in plan.actions.select_related("section", "lead", "status")}
    w1a, w1b, w2a, w2b, w2c, w2d = (actions[r] for r in ["W1a", "W1b", "W2a", "W2b", "W2c", "W2d"])
    month, day = "month", "day"
    assert timescales(w1a) == [(datetime.date(2026, 3, 31), month), (datetime.date(2026, 7, 31), month)]
    assert (w1a.due_date, w1a.section.code, w1a.lead, w1a.status.code) == (
        datetime.date(2026, 7, 31),
        "W1",
        leads["RG"],
        "A/G",
    )
    assert w1a.updates.get().narrative == "Forty leaders have started coaching."
    assert timescales(w1b) == [
        (datetime.date(2026, 2, 28), month),
        (datetime.date(2026, 6, 30), month),
        (datetime.date(2026, 12, 31), month),
    ]
    invited = User.objects.get(initials="DMc")
    assert w1b.lead == leads["RG"] and set(w1b.other_leads.all()) == {leads["AK"], invited}
    # Marked UPDATE AWAITED with a status and no text: an update for the position that says it is awaited.
    assert w1b.leads_display == "RG / AK / DMc" and w1b.updates.get().awaited and w1b.status.code == "A/G"
    assert w1b.updates.get().update_date == datetime.date(2026, 9, 30)
    assert (w2a.lead, w2a.lead_note, w2a.due_date) == (None, "Varied", datetime.date(2026, 12, 31))
    assert w2a.updates.get().narrative == "Drafted and shared with governors."
    assert timescales(w2b) == [(datetime.date(2026, 3, 31), day)] and w2b.status.code == "B"
    assert (w2c.due_date, w2c.lead, w2c.status.code) == (None, leads["AK"], "G")
    assert w2d.lead.initials == "TL" and w2d.status.code == "R" and w2d.section.code == "W2"
    for person in (invited, w2d.lead):
        assert not person.has_usable_password()
        assert Membership.objects.get(user=person, organisation=org).role == Role.LEAD
    created = AuditLog.objects.filter(
        content_type__model="action", action="create", object_id=str(w1a.pk)
    ).get()
    assert created.actor == editor and created.organisation == org and created.after["reference"] == "W1a"
    assert AuditLog.objects.filter(content_type__model="user", action="create", actor=editor).count() == 2


MERGED = [
    ["Section", "Ref", "Planned action", "Timescale", "Lead", "Status"],
    [
        "WS1: Culture and inclusion",
        "1.1",
        "Run listening events on every site",
        datetime.datetime(2026, 6, 1),
        "RG",
        "G",
    ],
    [None, "1.2", "Train managers in fair recruitment", datetime.datetime(2026, 9, 30), None, "A/G"],
    [None, "1.3", "Publish the inclusion data", "Dec 2026", "AK", "A/R"],
    ["WS2: Risk management", "2.1", "Move the risk register to one system", "March 2027", "AK", "R"],
]


@pytest.mark.django_db
def test_merged_cells_apply_to_every_row_they_span_and_date_cells_keep_their_precision_when_read(
    org, editor, leads
):
    file = xlsx_file(MERGED, merges={"": ["A2:A4", "E2:E3"]}, formats={"D2": "mmm-yy", "D3": "dd/mm/yyyy"})
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="Culture"
    )
    assert problems(preview) == []
    rows = {r.reference: r for r in preview.rows}
    assert [rows[r].section.code for r in ["1.1", "1.2", "1.3", "2.1"]] == ["WS1", "WS1", "WS1", "WS2"]
    assert [c.person for c in rows["1.2"].leads] == [leads["RG"]]
    assert rows["1.1"].timescale.dates == ((datetime.date(2026, 6, 30), "month"),)
    assert rows["1.2"].timescale.dates == ((datetime.date(2026, 9, 30), "day"),)
    assert [(s.code, s.title) for s in preview.new_sections] == [
        ("WS1", "Culture and inclusion"),
        ("WS2", "Risk management"),
    ]


CQC_RESPONSE = [
    HEADER,
    ["W1a", "Start a coaching programme for ward leaders", "March 2026", "RG", "60 coached", None, "A/G"],
    [],
    ["Part B: Findings of the CQC inspection"],
    [None, "CQC finding", "Planned action", "Progress", "Lead", "RAG"],
    [
        "1.",
        "Leaders were not always visible on the wards.",
        "Hold monthly board walkabouts",
        "Walkabouts started in May.",
        "RG",
        "AG",
    ],
    [
        "2.",
        "Staff did not always feel able to speak up.",
        "Appoint two more speaking-up guardians",
        "One guardian appointed.",
        "AK",
        "A/R",
    ],
    [None, "Feedback on speaking up was mixed.", None, None, None, None],
]


@pytest.mark.django_db
def test_cqc_response_by_finding_makes_numbered_findings_answered_by_actions_when_imported(
    org, editor, leads
):
    file = xlsx_file(CQC_RESPONSE)
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="CQC 2026"
    )
    assert problems(preview) == [
        "Row 8: This row has no reference, lead or status, so it is read as the rest of 2 (row 7), split by a page "
        "break.",
    ]
    assert preview.new_findings == {
        1: "Leaders were not always visible on the wards.",
        2: "Staff did not always feel able to speak up. Feedback on speaking up was mixed.",
    }
    result = plan_import_apply(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="CQC 2026"
    )
    plan = result.plan
    assert result.findings == [1, 2]
    # A Part B table's actions answer its findings and belong to no section (ADR 0033): printed in Part B only.
    assert not Section.objects.filter(plan=plan).exists()
    answer = Action.objects.get(plan=plan, reference="2")
    assert [f.number for f in answer.findings.all()] == [2] and answer.section is None
    assert Finding.objects.get(plan=plan, number=2).finding_type == ""  # no category invented
    assert answer.status.code == "A/R" and answer.lead == leads["AK"]
    assert Finding.objects.get(plan=plan, number=1).actions.get().title == "Hold monthly board walkabouts"
    assert Action.objects.get(plan=plan, reference="W1a").section is None


ERRORS = [
    HEADER,
    ["W1a", "Coach ward leaders", "Spring 2026", "RG", None, None, "G"],
    ["W1b", "Agree succession plans", "March 2026", "RG", None, "Plan drafted.", "Amber"],
    ["W1a", "Coach ward leaders again", "March 2026", "RG", None, None, "G"],
    ["W1c", None, "March 2026", "RG", None, None, "G"],
    [None, "An action with no reference", "March 2026", "RG", None, None, "G"],
    ["W1d", "Report to the board", "April 2026", "RG", None, "Report drafted.", None],
    ["W1e", "Share the strategy", "May 2026", "JB", None, None, "A/G"],
    ["W1f", "Open the new ward", "June 2026", "RG", None, "Building work on time.", "G"],
]


@pytest.mark.django_db
def test_file_with_errors_lists_each_by_row_and_column_and_saves_nothing_when_imported(org, editor, leads):
    make_person(org, role=Role.LEAD, username="jo", first_name="Jo", last_name="Bell", initials="JB")
    make_person(org, role=Role.LEAD, username="jay", first_name="Jay", last_name="Brown", initials="JB")
    file = xlsx_file(ERRORS)
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="Errors"
    )
    codes = "B, G, A/G, A/R, R"
    assert problems(preview) == [
        "Row 2, column ‘Timescale’: ‘Spring 2026’ is not a timescale Wellled can read: write a month and year "
        "(March 2026), a date (31/03/2026) or a financial-year quarter (Q3 2026/27).",
        f"Row 3, column ‘RAG’: ‘Amber’ is not on Northmoor Test Trust’s delivery-status scale: use one of {codes}.",
        "Row 4, column ‘Ref’: W1a is also on row 2: each action needs its own reference.",
        "Row 5, column ‘Planned action’: W1c has no planned action: write what will be done.",
        "Row 6, column ‘Ref’: This row has a lead or a status but no reference: give the action a reference (for "
        "example W1a).",
        f"Row 7, column ‘RAG’: W1d has a progress update but no status: add its delivery status ({codes}).",
        "Row 8, column ‘Lead’: ‘JB’ could be Jo Bell (JB), Jay Brown (JB): write the person’s full name instead.",
    ]
    assert all(p.level == "error" for p in preview.problems) and not preview.ok
    before = db_state()
    with pytest.raises(ImportRefused) as caught:
        plan_import_apply(organisation=org, plan_or_none=None, file=file, by=editor, plan_name="Errors")
    assert len(caught.value.problems) == 7
    assert db_state() == before
    assert not Plan.objects.filter(name="Errors").exists()


@pytest.mark.django_db
def test_tables_without_a_header_or_a_ref_column_or_any_action_are_explained_when_previewed(
    org, editor, leads
):
    def read(rows):
        return problems(
            plan_import_preview(
                organisation=org, plan_or_none=None, file=xlsx_file(rows), by=editor, plan_name="Structure"
            )
        )

    assert read([["Just a list"], ["of things"]]) == [
        "No table of actions was found: the sheet needs a header row naming its columns, with at least ‘Ref’, "
        "‘Planned action’ and one more (such as ‘Timescale’, ‘Lead’ or ‘Status’)."
    ]
    assert read([HEADER]) == ["The file has a header row but no actions under it."]
    assert read([["Planned action", "Lead", "Status"], ["Coach leaders", "RG", "G"]]) == [
        "Row 1: This table has no ‘Ref’ column: add one, with a reference for each action (for example W1a)."
    ]
    assert read(
        [
            [*HEADER, "Comments from the chair"],
            ["W1a", "Coach leaders", "March 2026", "RG", None, None, "G", "Good"],
        ]
    ) == ["Row 1: ‘Comments from the chair’ is not a column Wellled imports, so it is left out."]
    assert read(
        [
            HEADER,
            ["W1 Leadership"],
            ["W1a", "Coach leaders", "March 2026", "RG", None, None, "G"],
            ["W9 A heading with nothing under it"],
        ]
    ) == [
        "Row 4: The heading ‘W9 A heading with nothing under it’ has no actions under it, so no section is made for "
        "it."
    ]


@pytest.mark.django_db
def test_sheets_are_read_in_order_and_named_in_messages_when_the_workbook_has_several(org, editor, leads):
    part_a = [HEADER, ["W1a", "Coach ward leaders", "March 2026", "RG", None, None, "G"]]
    part_b = [
        ["Ref", "Planned action", "Lead", "Status"],
        ["W1a", "Walk the wards monthly", "AK", "A/G"],
        ["B2", "Appoint guardians", "AK", "Purple"],
    ]
    file = xlsx_file(sheets={"Part A": part_a, "Notes": [["Read me first"]], "Part B": part_b})
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=file, by=editor, plan_name="Two parts"
    )
    assert problems(preview) == [
        "Sheet ‘Part B’, row 2, column ‘Ref’: W1a is also on sheet ‘Part A’, row 2: each action needs its own "
        "reference.",
        "Sheet ‘Part B’, row 3, column ‘Status’: ‘Purple’ is not on Northmoor Test Trust’s delivery-status scale: "
        "use one of B, G, A/G, A/R, R.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "Ref,Planned action,Timescale,Lead,Status\r\nF1,Save £20k on agency staff – phase 1,June 2026,RG,A/G\r\n",
            "cp1252",
        ),
        (
            "Ref;Planned action;Timescale;Lead;Status\nF1;Save £20k on agency staff – phase 1;June 2026;RG;A/G\n",
            "utf-8-sig",
        ),
        (
            "Ref\tPlanned action\tTimescale\tLead\tStatus\nF1\tSave £20k on agency staff – phase 1\tJune 2026\tRG\tA/G\n",
            "utf-8",
        ),
    ],
)
def test_csv_files_are_read_in_their_encoding_and_delimiter_when_imported(org, editor, leads, text, encoding):
    preview = plan_import_preview(
        organisation=org,
        plan_or_none=None,
        file=csv_file(text, encoding=encoding),
        by=editor,
        plan_name="Agency",
    )
    assert problems(preview) == []
    row = preview.rows[0]
    assert (row.reference, row.title, row.status.code) == ("F1", "Save £20k on agency staff – phase 1", "A/G")
    assert [c.person for c in row.leads] == [leads["RG"]]


@pytest.mark.django_db
def test_a_heading_typed_across_cells_and_ruled_lines_are_read_as_such_when_previewed(org, editor, leads):
    rows = [
        HEADER,
        ["KLOE", "W3: Is there a culture of", "high quality,", "sustainable care?"],
        ["------", "--------------", "-----", "----", "------", "-------", "---"],
        ["W3a", "Track development plans for talented staff", "March 2026", "RG", None, None, "A/G"],
    ]
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=xlsx_file(rows), by=editor, plan_name="Culture"
    )
    assert problems(preview) == []
    assert [(s.code, s.title) for s in preview.new_sections] == [
        ("W3", "Is there a culture of high quality, sustainable care?")
    ]
